/**
 * The cross-tenant matrix through the standalone gateway (`mcp-gateway --config`), over the
 * real demo fleet: each organization calls every tool of every tenant-scoped server and tries
 * the other's records; no answer may show the other organization's data, a write by one never
 * appears for the other, and a key without a tenant reads nothing. Runs on the embedded stores
 * always, and on Redis + Postgres when REDIS_URL and DATABASE_URL are set.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDemoData,
  OPERATOR_TENANTS,
  type RunningFleet,
  SERVER_NAMES,
  serverPolicy,
  startFleet,
  TENANTS,
} from '@tekup/demo-servers';
import {
  exerciseTenantTools,
  exerciseWithoutTenant,
  isolationProblems,
  type ProbeCall,
  refusalProblems,
  tenantFingerprints,
} from '@tekup/demo-servers/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/index.js';
import { type GatewayServer, runCli } from '../src/node/index.js';
import { generateApiKey } from '../src/policies/index.js';

const now = new Date('2026-03-04T09:30:00Z');
const data = createDemoData({ now });
const [tekup, nordlys] = TENANTS;

const redisUrl = process.env.REDIS_URL;
const databaseUrl = process.env.DATABASE_URL;
const modes = [
  { name: 'embedded stores', env: {} as Record<string, string> },
  ...(redisUrl && databaseUrl
    ? [{ name: 'Redis and Postgres', env: { REDIS_URL: redisUrl, DATABASE_URL: databaseUrl } }]
    : []),
];

let fleet: RunningFleet;
const keys: Record<'tekup' | 'nordlys' | 'nobody', string> = { tekup: '', nordlys: '', nobody: '' };
let config: Record<string, unknown>;

beforeAll(async () => {
  fleet = await startFleet({ basePort: 0, now, instances: { billy: 2 } });
  const records = [];
  for (const [name, tenantId] of [
    ['tekup', tekup.id],
    ['nordlys', nordlys.id],
    ['nobody', undefined],
  ] as const) {
    const { key, record } = await generateApiKey({
      ownerId: `svc-${name}`,
      role: 'admin',
      label: `${name} backend`,
      environment: 'test',
      ...(tenantId ? { tenantId } : {}),
    });
    keys[name] = key;
    records.push(record);
  }
  config = {
    operators: { tenants: OPERATOR_TENANTS },
    servers: Object.fromEntries(
      SERVER_NAMES.map((name) => [name, { instances: fleet.urls[name], ...serverPolicy(name) }]),
    ),
    auth: { keys: records },
  };
}, 60_000);

afterAll(async () => {
  await fleet?.close();
});

/** Starts a CLI gateway over the fleet with its own cache and audit namespace. */
async function startGateway(
  env: Record<string, string>,
  namespace: string,
): Promise<GatewayServer> {
  const folder = await mkdtemp(join(tmpdir(), 'gateway-tenancy-'));
  const file = join(folder, 'gateway.json');
  await writeFile(
    file,
    JSON.stringify({
      ...config,
      cache: { redisPrefix: `tekup:test:${namespace}:cache:` },
      audit: { dataDir: folder, schema: `tenancy_${namespace}` },
    }),
  );
  return runCli(['--config', file, '--port', '0'], { env, logger: silentLogger });
}

function callAs(gateway: GatewayServer, key: string): ProbeCall {
  return async (server, tool, args) => {
    const response = await fetch(`${gateway.url}/mcp/${server}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: tool, arguments: args },
      }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as {
      result?: { isError?: boolean; structuredContent?: Record<string, unknown> };
      error?: unknown;
    };
    return {
      text,
      failed: body.error !== undefined || body.result?.isError === true,
      ...(body.result?.structuredContent ? { structured: body.result.structuredContent } : {}),
    };
  };
}

describe.each(modes)('tenancy through the standalone gateway ($name)', ({ env }) => {
  let gateway: GatewayServer;
  const namespace = randomUUID().slice(0, 8);

  beforeAll(async () => {
    gateway = await startGateway(env, namespace);
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
  });

  it('keeps every tool of billy, calendar and database to the caller’s organization', async () => {
    const tekupRun = await exerciseTenantTools(
      callAs(gateway, keys.tekup),
      data,
      tekup.id,
      nordlys.id,
      `gw-${namespace}-a`,
    );
    const nordlysRun = await exerciseTenantTools(
      callAs(gateway, keys.nordlys),
      data,
      nordlys.id,
      tekup.id,
      `gw-${namespace}-b`,
    );
    expect(
      isolationProblems(tekupRun, [...tenantFingerprints(data, nordlys.id), ...nordlysRun.created]),
    ).toEqual([]);
    expect(
      isolationProblems(nordlysRun, [...tenantFingerprints(data, tekup.id), ...tekupRun.created]),
    ).toEqual([]);
    // A second look after both wrote: the cached listings hold no record of the other side.
    const again = await exerciseTenantTools(
      callAs(gateway, keys.tekup),
      data,
      tekup.id,
      nordlys.id,
      `gw-${namespace}-c`,
    );
    expect(isolationProblems(again, [...nordlysRun.created])).toEqual([]);
  }, 120_000);

  it('refuses every tenant-scoped tool to a key without a tenant, with a typed 403', async () => {
    const records = await exerciseWithoutTenant(callAs(gateway, keys.nobody), data);
    expect(refusalProblems(records)).toEqual([]);
    for (const record of records) {
      expect(JSON.parse(record.answer.text)).toMatchObject({
        error: { data: { code: 'forbidden', reason: 'tenant_required' } },
      });
    }
  });

  it('hides internal servers and upstream URLs from another organization', async () => {
    const call = callAs(gateway, keys.nordlys);
    const vault = await call('vault', 'search_vault', { query: 'gateway' });
    expect(vault.failed).toBe(true);
    expect(JSON.parse(vault.text)).toMatchObject({
      error: { data: { code: 'forbidden', reason: 'internal_server' } },
    });
    const list = await fetch(`${gateway.url}/servers`, {
      headers: { authorization: `Bearer ${keys.nordlys}` },
    });
    const servers = (
      (await list.json()) as { servers: { name: string; instances: { url: string }[] }[] }
    ).servers;
    expect(servers.map((server) => server.name).sort()).toEqual(
      ['billy', 'calendar', 'database', 'knowledge'].sort(),
    );
    expect(JSON.stringify(servers)).not.toContain('127.0.0.1');
    const operator = await fetch(`${gateway.url}/servers`, {
      headers: { authorization: `Bearer ${keys.tekup}` },
    });
    const all = ((await operator.json()) as { servers: { name: string }[] }).servers;
    expect(all.map((server) => server.name)).toContain('vault');
    expect(JSON.stringify(all)).toContain('127.0.0.1');
    const knowledge = await call('knowledge', 'search_docs', { query: 'invoice' });
    expect(knowledge.failed).toBe(false);
  });
});

describe('fresh reads after writes', () => {
  it('lists a new invoice at once, on another gateway instance sharing the cache', async () => {
    const shared = modes.at(-1)?.env ?? {};
    const namespace = randomUUID().slice(0, 8);
    const first = await startGateway(shared, namespace);
    // Two instances share a cache only through Redis; on embedded stores one instance serves both.
    const second = shared.REDIS_URL ? await startGateway(shared, namespace) : first;
    try {
      const list = async () => {
        const answer = await callAs(second, keys.nordlys)('billy', 'list_invoices', { limit: 100 });
        return ((answer.structured?.invoices ?? []) as { id: string }[]).map(
          (invoice) => invoice.id,
        );
      };
      const before = await list();
      expect(await list()).toEqual(before); // now served from the cache
      const created = await callAs(first, keys.nordlys)('billy', 'create_invoice', {
        customer: 'Hotel Kronborg',
        product: 'Hotelrengøring',
        quantity: 4,
      });
      const id = String((created.structured?.invoice as { id?: string } | undefined)?.id);
      expect(await list()).toContain(id);
      const rows = await callAs(second, keys.nordlys)('database', 'query', {
        sql: `SELECT id FROM invoices WHERE id = '${id}'`,
      });
      expect(rows.structured?.rows).toEqual([{ id }]);
      // The other organization's cached reads were not touched, and never show it.
      const tekupList = await callAs(second, keys.tekup)('billy', 'list_invoices', { limit: 100 });
      expect(tekupList.text).not.toContain(id);
    } finally {
      if (second !== first) await second.close();
      await first.close();
    }
  }, 60_000);
});
