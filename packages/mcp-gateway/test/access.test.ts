/**
 * The rules the core holds every principal to, whatever stages run: tenancy of each server,
 * credential scopes, the decisions endpoint, and key names in the audit log.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/index.js';
import { createStagesFromConfig } from '../src/node/index.js';
import { generateApiKey, type PolicyStages } from '../src/policies/index.js';
import { type FixtureServer, startFixtureServer } from './fixtures/fixture-server.js';
import { callTool, errorCode, post, rpc } from './helpers.js';

const TEKUP = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

let upstream: FixtureServer;
let gateway: Gateway;
let policies: PolicyStages;
const keys: Record<string, string> = {};

beforeAll(async () => {
  upstream = await startFixtureServer({ name: 'access' });
  const records = [];
  for (const [name, fields] of Object.entries({
    reader: { tenantId: TEKUP, scopes: ['*:read'] },
    writer: { tenantId: TEKUP, scopes: ['*:read', '*:write'] },
    billyOnly: { tenantId: TEKUP, scopes: ['billy:read'] },
    other: { tenantId: OTHER },
    nobody: {},
  })) {
    const { key, record } = await generateApiKey({
      ownerId: `svc-${name}`,
      role: 'admin',
      label: `${name} key`,
      ...fields,
    });
    keys[name] = key;
    records.push(record);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'gateway-access-'));
  const config = {
    operators: { tenants: [TEKUP] },
    servers: {
      billy: { instances: [upstream.url] },
      vault: { instances: [upstream.url], tenancy: 'internal' as const },
      knowledge: { instances: [upstream.url], tenancy: 'shared' as const },
    },
  };
  policies = await createStagesFromConfig(
    { ...config, auth: { keys: records }, audit: { dataDir } },
    {},
  );
  gateway = createGateway({
    ...config,
    healthChecks: false,
    authenticate: policies.authenticate,
    stages: policies.stages,
  });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await policies?.close();
  await upstream?.stop();
});

const as = (name: string) => ({ headers: { authorization: `Bearer ${keys[name]}` } });

async function listed(server: string, key: string): Promise<string[]> {
  const response = await post(gateway, server, rpc('tools/list'), {
    headers: { authorization: `Bearer ${keys[key]}`, accept: 'application/json' },
  });
  const body = (await response.json()) as { result?: { tools: { name: string }[] } };
  return (body.result?.tools ?? []).map((tool) => tool.name);
}

describe('credential scopes', () => {
  it('lets a read-only key read, refuses its writes with a typed 403 and hides write tools', async () => {
    const read = await callTool(gateway, 'billy', 'echo', { text: 'hi' }, as('reader'));
    expect(read.status).toBe(200);
    const write = await callTool(gateway, 'billy', 'create_invoice', { amount: 1 }, as('reader'));
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({
      error: { data: { code: 'forbidden', reason: 'scope', needed: 'billy:write' } },
    });
    expect(upstream.calls.get('create_invoice') ?? 0).toBe(0);
    const tools = await listed('billy', 'reader');
    expect(tools).toContain('echo');
    expect(tools).not.toContain('create_invoice');
    expect(tools).not.toContain('unannotated');
    expect(await listed('billy', 'writer')).toContain('create_invoice');
  });

  it('limits a key scoped to one server to that server', async () => {
    expect((await callTool(gateway, 'billy', 'echo', { text: 'a' }, as('billyOnly'))).status).toBe(
      200,
    );
    const elsewhere = await callTool(gateway, 'knowledge', 'echo', { text: 'a' }, as('billyOnly'));
    expect(elsewhere.status).toBe(403);
  });
});

describe('tenancy', () => {
  it('forwards the tenant and refuses tenant servers to a key without one', async () => {
    const who = await callTool(gateway, 'billy', 'whoami', {}, as('writer'));
    expect(
      JSON.parse(String((who.body.result as { content: { text: string }[] }).content[0]?.text)),
    ).toMatchObject({
      tenantId: TEKUP,
    });
    const nobody = await callTool(gateway, 'billy', 'echo', { text: 'x' }, as('nobody'));
    expect(nobody.status).toBe(403);
    expect(nobody.body).toMatchObject({ error: { data: { reason: 'tenant_required' } } });
    // A shared server serves everyone.
    expect((await callTool(gateway, 'knowledge', 'echo', { text: 'x' }, as('nobody'))).status).toBe(
      200,
    );
  });

  it('keeps an internal server to the operator organization: not callable, not listed', async () => {
    const refused = await callTool(gateway, 'vault', 'echo', { text: 'x' }, as('other'));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { data: { reason: 'internal_server' } } });
    expect(await listed('vault', 'other')).toEqual([]);
    expect((await callTool(gateway, 'vault', 'echo', { text: 'x' }, as('writer'))).status).toBe(
      200,
    );
    const servers = async (key: string) => {
      const response = await gateway.fetch(
        new Request('http://localhost/servers', {
          headers: { authorization: `Bearer ${keys[key]}` },
        }),
      );
      return (await response.json()) as {
        servers: { name: string; instances: { url: string }[] }[];
      };
    };
    const seen = await servers('other');
    expect(seen.servers.map((server) => server.name)).toEqual(['billy', 'knowledge']);
    expect(seen.servers[0]?.instances[0]?.url).toBe('instance-1');
    const operator = await servers('writer');
    expect(operator.servers.map((server) => server.name)).toContain('vault');
    expect(operator.servers[0]?.instances[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1/);
    const metrics = (key: string) =>
      gateway.fetch(
        new Request('http://localhost/metrics', {
          headers: { authorization: `Bearer ${keys[key]}` },
        }),
      );
    expect((await metrics('other')).status).toBe(403);
    expect((await metrics('writer')).status).toBe(200);
    const health = await gateway.fetch(new Request('http://localhost/health'));
    expect(Object.keys(((await health.json()) as { servers: object }).servers)).not.toContain(
      'vault',
    );
  });
});

// The first audit query waits for the embedded PGlite to start (seconds on a shared 2-core machine).
describe('decisions and the audit log', { timeout: 30_000 }, () => {
  it('records a rejected call once, under the key’s name, without calling upstream', async () => {
    const before = upstream.calls.get('create_invoice') ?? 0;
    const report = () =>
      gateway.fetch(
        new Request('http://localhost/decisions', {
          method: 'POST',
          headers: { authorization: `Bearer ${keys.writer}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            server: 'billy',
            tool: 'create_invoice',
            callId: 'call-1',
            decision: 'rejected',
          }),
        }),
      );
    expect((await report()).status).toBe(201);
    expect((await report()).status).toBe(201);
    expect(upstream.calls.get('create_invoice') ?? 0).toBe(before);
    const page = await policies.auditStore?.query({ outcome: 'rejected', withTotal: true });
    expect(page?.total).toBe(1);
    expect(page?.rows[0]).toMatchObject({
      server: 'billy',
      tool: 'create_invoice',
      outcome: 'rejected',
      success: false,
      keyName: 'writer key',
      tenantId: TEKUP,
    });
  });

  it('answers bad decision reports with typed 4xx', async () => {
    const send = (body: unknown, key = keys.writer) =>
      gateway.fetch(
        new Request('http://localhost/decisions', {
          method: 'POST',
          headers: {
            ...(key ? { authorization: `Bearer ${key}` } : {}),
            'content-type': 'application/json',
          },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      );
    const cases: [unknown, number, string, string?][] = [
      ['{', 400, 'parse_error'],
      ['[', 400, 'parse_error'],
      [`${'['.repeat(5000)}${']'.repeat(5000)}`, 400, 'invalid_request'],
      [{ server: 'billy', tool: 'x', callId: 'c', decision: 'approved' }, 400, 'invalid_request'],
      [{ server: 'nope', tool: 'x', callId: 'c', decision: 'rejected' }, 404, 'unknown_server'],
      [
        { server: 'vault', tool: 'echo', callId: 'c', decision: 'rejected' },
        403,
        'forbidden',
        'other',
      ],
    ];
    for (const [body, status, code, key = 'writer'] of cases) {
      const response = await send(body, keys[key]);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(errorCode((await response.json()) as Record<string, unknown>)).toBe(code);
    }
    const anonymous = await send(
      { server: 'billy', tool: 'x', callId: 'c', decision: 'rejected' },
      '',
    );
    expect(anonymous.status).toBe(401);
  });

  it('names the key on every row it caused', async () => {
    await callTool(gateway, 'billy', 'echo', { text: 'named' }, as('reader'));
    await policies.flushAudit();
    const page = await policies.auditStore?.query({ tool: 'echo', limit: 500 });
    const rows = page?.rows.filter((row) => row.keyId !== undefined) ?? [];
    expect(rows.length).toBeGreaterThan(0);
    expect(
      rows.every((row) => typeof row.keyName === 'string' && row.keyName.endsWith(' key')),
    ).toBe(true);
  });
});
