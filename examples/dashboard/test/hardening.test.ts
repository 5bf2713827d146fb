/** The dashboard against hostile browsers and callers: rebinding, stolen cookies, guessing, bad bodies. */
import { afterAll, describe, expect, it } from 'vitest';
import { cookieFrom, dashboardRequest, prepareTestEnvironment } from './setup-env';

prepareTestEnvironment();

const login = await import('@/app/api/auth/login/route');
const logout = await import('@/app/api/auth/logout/route');
const keys = await import('@/app/api/keys/route');
const gatewayRoute = await import('@/app/api/gateway/[...path]/route');
const { runtime } = await import('@/server/gateway');

afterAll(async () => {
  await (await runtime()).close();
});

const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
  login.POST(dashboardRequest('/api/auth/login', { body: { email, password }, headers }));

describe('the same-origin check', () => {
  it('trusts configured origins only, never Host or X-Forwarded-Host (DNS rebinding)', async () => {
    const rebound = await login.POST(
      dashboardRequest('/api/auth/login', {
        body: { email: 'admin@tekup.dk', password: 'tekup-demo' },
        origin: 'http://rebind.attacker.example:3000',
        headers: {
          host: 'rebind.attacker.example:3000',
          'x-forwarded-host': 'rebind.attacker.example:3000',
        },
      }),
    );
    expect(rebound.status).toBe(403);
    expect(rebound.headers.get('set-cookie')).toBeNull();
    const cookie = cookieFrom(await signIn('admin@tekup.dk', 'tekup-demo'));
    const minted = await keys.POST(
      dashboardRequest('/api/keys', {
        cookie,
        body: { name: 'stolen' },
        origin: 'http://rebind.attacker.example:3000',
        headers: { host: 'rebind.attacker.example:3000' },
      }),
    );
    expect(minted.status).toBe(403);
  });
});

describe('sign out', () => {
  it('ends the session on the server: a copy of the cookie stops working', async () => {
    const cookie = cookieFrom(await signIn('member@tekup.dk', 'tekup-demo'));
    const call = () =>
      gatewayRoute.POST(
        dashboardRequest('/api/gateway/mcp/billy', {
          cookie,
          body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
          headers: { accept: 'application/json' },
        }),
      );
    expect((await call()).status).toBe(200);
    const out = await logout.POST(dashboardRequest('/api/auth/logout', { cookie, method: 'POST' }));
    expect(out.status).toBe(303);
    expect((await call()).status).toBe(401);
  });
});

describe('sign-in throttling', () => {
  it('locks an account out with a growing wait after repeated failures, whatever the client', async () => {
    const statuses: number[] = [];
    const waits: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      // A different client each time: the account's own count still holds.
      const response = await signIn('anna@nordlys.dk', 'guess', {
        'x-forwarded-for': `198.51.100.${attempt}`,
      });
      statuses.push(response.status);
      if (response.status === 429) waits.push(Number(response.headers.get('retry-after')));
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    // Even the right password waits out the lock.
    const right = await signIn('anna@nordlys.dk', 'tekup-demo', {
      'x-forwarded-for': '198.51.100.99',
    });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(waits.every((wait) => wait >= 1)).toBe(true);
  });

  it('limits one client guessing across many accounts', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 22; attempt++) {
      const response = await signIn(`nobody${attempt}@example.dk`, 'guess', {
        'x-forwarded-for': '203.0.113.7',
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe('bounded bodies', () => {
  it('answers oversized, malformed and too-deep bodies with typed 4xx', async () => {
    const cookie = cookieFrom(await signIn('admin@tekup.dk', 'tekup-demo'));
    const send = (body: string) =>
      keys.POST(
        new Request('http://dashboard.test/api/keys', {
          method: 'POST',
          headers: { cookie, origin: 'http://dashboard.test', 'content-type': 'application/json' },
          body,
        }),
      );
    const deep = await send(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    const large = await send(JSON.stringify({ name: 'x'.repeat(100_000) }));
    expect(large.status).toBe(413);
    expect((await send('{')).status).toBe(400);
  });
});

describe('a database behind an open circuit breaker', () => {
  it('is a typed 503 with Retry-After, not a 500', async () => {
    const { errorResponse } = await import('@/server/http');
    const { StoreUnavailableError } = await import('@tekup/mcp-gateway');
    const response = errorResponse(new StoreUnavailableError('audit-database is unavailable'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'store_unavailable',
    );
  });
});
