import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.js';
import { sha256Hex } from '../hash.js';
import { createManualClock } from '../test-context.js';
import {
  type ApiKeyRecord,
  createApiKeyAuthenticator,
  generateApiKey,
  isLoopbackAddress,
} from './api-key-authenticator.js';
import { createHostAuthenticator } from './host-authenticator.js';

function request(headers: Record<string, string> = {}): Request {
  return new Request('http://gateway.test/mcp/billy', { method: 'POST', headers });
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('generateApiKey', () => {
  it('returns a high-entropy key once and stores only its SHA-256', async () => {
    const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'service' });
    expect(key).toMatch(/^tk_live_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(record.hash).toBe(await sha256Hex(key));
    expect(JSON.stringify(record)).not.toContain(key.slice(25));
    const other = await generateApiKey({ ownerId: 'svc', role: 'service', environment: 'test' });
    expect(other.key).toMatch(/^tk_test_/);
    expect(other.record.id).not.toBe(record.id);
  });
});

describe('createApiKeyAuthenticator', () => {
  it('accepts every active key of an owner (rotation) and maps it to a principal', async () => {
    const first = await generateApiKey({ ownerId: 'svc-billing', role: 'billing', tenantId: 't1' });
    const second = await generateApiKey({
      ownerId: 'svc-billing',
      role: 'billing',
      tenantId: 't1',
    });
    const authenticate = createApiKeyAuthenticator({ keys: [first.record, second.record] });
    for (const { key, record } of [first, second]) {
      const principal = await authenticate(request({ authorization: `Bearer ${key}` }), {});
      expect(principal).toEqual({
        id: 'svc-billing',
        kind: 'service',
        role: 'billing',
        tenantId: 't1',
        keyId: record.id,
      });
    }
  });

  it('refuses missing, malformed, unknown and wrong keys with 401', async () => {
    const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'service' });
    const authenticate = createApiKeyAuthenticator({ keys: [record] });
    const wrongSecret = `${key.slice(0, -4)}AAAA`;
    const unknownId = key.replace(record.id, '0000000000000000');
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer not-a-key' },
      { authorization: `Bearer ${wrongSecret}` },
      { authorization: `Bearer ${unknownId}` },
    ];
    for (const headers of cases) {
      const error = await failure(authenticate(request(headers), { remoteAddress: '10.0.0.1' }));
      expect(error.code).toBe('unauthorized');
      expect(error.status).toBe(401);
    }
    await expect(
      authenticate(request({ authorization: `bearer ${key}` }), {}),
    ).resolves.toMatchObject({
      id: 'svc',
    });
  });

  it('refuses revoked and expired keys by the injected clock', async () => {
    const clock = createManualClock(Date.parse('2026-03-01T00:00:00Z'));
    const expiring = await generateApiKey({
      ownerId: 'svc',
      role: 'service',
      expiresAt: '2026-03-02T00:00:00Z',
    });
    const revoked = await generateApiKey({
      ownerId: 'svc',
      role: 'service',
      revokedAt: clock.now() + 10,
    });
    const authenticate = createApiKeyAuthenticator({
      keys: [expiring.record, revoked.record],
      clock,
    });
    const bearer = (key: string) => request({ authorization: `Bearer ${key}` });
    await expect(authenticate(bearer(expiring.key), {})).resolves.toBeTruthy();
    await expect(authenticate(bearer(revoked.key), {})).resolves.toBeTruthy();
    clock.advance(10);
    expect((await failure(authenticate(bearer(revoked.key), {}))).message).toMatch(/revoked/);
    clock.advance(24 * 3600_000);
    expect((await failure(authenticate(bearer(expiring.key), {}))).message).toMatch(/expired/);
  });

  it('lets a trusted key act on behalf of a user, with itself as actor', async () => {
    const dashboard = await generateApiKey({
      ownerId: 'dashboard',
      role: 'service',
      trusted: true,
      onBehalfRoles: ['member', 'admin'],
    });
    const authenticate = createApiKeyAuthenticator({ keys: [dashboard.record] });
    const principal = await authenticate(
      request({
        authorization: `Bearer ${dashboard.key}`,
        'x-tekup-on-behalf-of': JSON.stringify({ id: 'user-1', role: 'member', tenantId: 'acme' }),
      }),
      {},
    );
    expect(principal).toEqual({
      id: 'user-1',
      kind: 'user',
      role: 'member',
      tenantId: 'acme',
      keyId: dashboard.record.id,
      actor: { id: 'dashboard', kind: 'service', role: 'service', keyId: dashboard.record.id },
    });
    const badRole = await failure(
      authenticate(
        request({
          authorization: `Bearer ${dashboard.key}`,
          'x-tekup-on-behalf-of': JSON.stringify({ id: 'user-1', role: 'superuser' }),
        }),
        {},
      ),
    );
    expect(badRole.code).toBe('forbidden');
    const malformed = await failure(
      authenticate(
        request({ authorization: `Bearer ${dashboard.key}`, 'x-tekup-on-behalf-of': 'user-1' }),
        {},
      ),
    );
    expect(malformed.code).toBe('invalid_request');
    const huge = await failure(
      authenticate(
        request({
          authorization: `Bearer ${dashboard.key}`,
          'x-tekup-on-behalf-of': JSON.stringify({ id: 'u'.repeat(2000), role: 'member' }),
        }),
        {},
      ),
    );
    expect(huge.code).toBe('invalid_request');
  });

  it('refuses on-behalf-of from an untrusted key with 403, and across tenants', async () => {
    const plain = await generateApiKey({ ownerId: 'svc', role: 'service' });
    const scoped = await generateApiKey({
      ownerId: 'app',
      role: 'service',
      trusted: true,
      tenantId: 'acme',
    });
    const authenticate = createApiKeyAuthenticator({ keys: [plain.record, scoped.record] });
    const onBehalf = JSON.stringify({ id: 'user-1', role: 'member', tenantId: 'other' });
    for (const key of [plain.key, scoped.key]) {
      const error = await failure(
        authenticate(
          request({ authorization: `Bearer ${key}`, 'x-tekup-on-behalf-of': onBehalf }),
          {},
        ),
      );
      expect(error.code).toBe('forbidden');
      expect(error.status).toBe(403);
    }
  });

  it('serves anonymous loopback callers only when allowed', async () => {
    const open = createApiKeyAuthenticator({
      keys: [],
      allowAnonymousLoopback: true,
      anonymousRole: 'local',
    });
    await expect(open(request(), { remoteAddress: '127.0.0.1' })).resolves.toEqual({
      id: 'anonymous',
      kind: 'anonymous',
      role: 'local',
    });
    await expect(open(request(), { remoteAddress: '::ffff:127.0.0.1' })).resolves.toBeTruthy();
    expect((await failure(open(request(), { remoteAddress: '192.168.1.9' }))).code).toBe(
      'unauthorized',
    );
    expect((await failure(open(request(), {}))).code).toBe('unauthorized');
    const closed = createApiKeyAuthenticator({ keys: [] });
    expect((await failure(closed(request(), { remoteAddress: '::1' }))).code).toBe('unauthorized');
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('128.0.0.1')).toBe(false);
  });

  it('reads records from an async key store', async () => {
    const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'service' });
    const lookups: string[] = [];
    const authenticate = createApiKeyAuthenticator({
      keys: {
        async get(id: string): Promise<ApiKeyRecord | undefined> {
          lookups.push(id);
          return id === record.id ? record : undefined;
        },
      },
    });
    await expect(
      authenticate(request({ authorization: `Bearer ${key}` }), {}),
    ).resolves.toMatchObject({
      keyId: record.id,
    });
    expect(lookups).toEqual([record.id]);
  });
});

describe('createHostAuthenticator', () => {
  it('returns the host principal, else falls back, else 401', async () => {
    const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'service' });
    const authenticate = createHostAuthenticator(
      (incoming) =>
        incoming.headers.get('cookie') === 'session=ok'
          ? { id: 'user-7', kind: 'user', role: 'admin', tenantId: 'acme' }
          : undefined,
      { fallback: createApiKeyAuthenticator({ keys: [record] }) },
    );
    await expect(authenticate(request({ cookie: 'session=ok' }), {})).resolves.toMatchObject({
      id: 'user-7',
    });
    await expect(
      authenticate(request({ authorization: `Bearer ${key}` }), {}),
    ).resolves.toMatchObject({
      id: 'svc',
    });
    const noFallback = createHostAuthenticator(() => undefined);
    expect((await failure(noFallback(request(), {}))).code).toBe('unauthorized');
  });
});
