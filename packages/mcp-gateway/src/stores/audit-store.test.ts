import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditStage } from '../policies/audit/audit-stage.js';
import { createCacheStage } from '../policies/cache/cache-stage.js';
import { noopPolicyMetrics } from '../policies/metrics.js';
import { createRateLimitStage } from '../policies/rate-limit/rate-limit-stage.js';
import { createRbacStage } from '../policies/rbac/rbac-stage.js';
import {
  createManualClock,
  createTestContext,
  destructiveSafety,
  readOnlySafety,
  runPipeline,
} from '../policies/test-context.js';
import { createBatchingAuditSink } from './batching-audit-sink.js';
import { createMemoryCacheStore } from './memory-cache-store.js';
import { createMemoryRateLimitStore } from './memory-rate-limit-store.js';
import { createPgliteAuditStore } from './pglite-audit-store.js';
import { createPostgresAuditStore } from './postgres-audit-store.js';
import { type SqlAuditStore, auditMigrations, isUuid } from './sql-audit-store.js';
import type { AuditRecord, AuditStore } from './types.js';

const alice = '3b9f1c2e-5d4a-4e8b-9c7d-1a2b3c4d5e6f';

function record(server: string, index: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    requestId: crypto.randomUUID(),
    server,
    tool: index % 2 ? 'list_invoices' : 'create_invoice',
    principalId: index % 3 ? alice : 'anonymous',
    principalKind: index % 3 ? 'user' : 'anonymous',
    role: 'member',
    tenantId: 'acme',
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
    durationMs: index,
    success: index % 4 !== 0,
    outcome: index % 4 === 0 ? 'denied' : 'success',
    errorCode: index % 4 === 0 ? 'forbidden' : undefined,
    ...overrides,
  };
}

/**
 * 500 concurrent calls through audit → rbac → rate limit → cache → upstream;
 * the test then counts the rows in the database.
 */
async function concurrentCalls(store: AuditStore, server: string) {
  const clock = createManualClock(Date.now());
  // The store outlives this sink: the test reads from it afterwards.
  const sink = createBatchingAuditSink({
    store: { insert: (records) => store.insert(records), close: async () => {} },
    batchSize: 64,
    flushIntervalMs: 5,
  });
  const audit = createAuditStage({ sink, clock });
  const stages = [
    audit,
    createRbacStage({ roles: { member: { allow: ['*'] } } }),
    createRateLimitStage({
      store: createMemoryRateLimitStore(),
      limits: {
        default: { points: 1000, durationSeconds: 60 },
        tools: { [`${server}/expensive`]: { cost: 1001 } },
      },
      clock,
    }),
    createCacheStage({ store: createMemoryCacheStore(), clock }),
  ];
  await Promise.all(
    Array.from({ length: 500 }, async (_unused, index) => {
      const kind = index % 5;
      const context = createTestContext({
        server,
        principal: { id: `user-${index % 7}`, role: 'member' },
        tool: ['list_invoices', 'void_invoice', 'expensive', 'broken', 'list_invoices'][kind],
        safety: kind === 1 ? destructiveSafety : readOnlySafety,
        arguments: { page: kind === 4 ? 'shared' : index },
        startedAt: clock.now(),
      });
      try {
        await runPipeline(stages, context, async (current) => {
          await new Promise((resolve) => setTimeout(resolve, index % 3));
          if (current.tool?.name === 'broken') return { content: [], isError: true };
          return { content: [{ type: 'text', text: `row ${index}` }] };
        });
      } catch {
        // refusals are counted from the audit rows
      }
    }),
  );
  await audit.close?.();
}

function describeAuditStore(
  name: string,
  open: () => SqlAuditStore,
  options: {
    skip?: string | undefined;
    rawCount?: (server: string) => Promise<{ total: number; nullUserIds: number }>;
  },
) {
  describe.skipIf(options.skip !== undefined)(
    `${name}${options.skip ? ` (${options.skip})` : ''}`,
    () => {
      let store: SqlAuditStore;
      // Starting PGlite takes seconds on a busy machine.
      beforeAll(async () => {
        store = open();
        await store.ready();
      }, 60_000);
      afterAll(async () => {
        await store?.close();
      });

      it('inserts idempotently and pages newest first with a cursor or an offset', async () => {
        const server = `paging-${crypto.randomUUID().slice(0, 8)}`;
        const rows = Array.from({ length: 12 }, (_unused, index) => record(server, index));
        await store.insert(rows);
        await store.insert(rows.slice(0, 5));
        const first = await store.query({ server, limit: 5, withTotal: true });
        expect(first.total).toBe(12);
        expect(first.rows.map((row) => row.durationMs)).toEqual([11, 10, 9, 8, 7]);
        const second = await store.query({ server, limit: 5, cursor: first.nextCursor });
        expect(second.rows.map((row) => row.durationMs)).toEqual([6, 5, 4, 3, 2]);
        const third = await store.query({ server, limit: 5, cursor: second.nextCursor });
        expect(third.rows.map((row) => row.durationMs)).toEqual([1, 0]);
        expect(third.nextCursor).toBeUndefined();
        const byOffset = await store.query({ server, limit: 5, offset: 5 });
        expect(byOffset.rows.map((row) => row.durationMs)).toEqual([6, 5, 4, 3, 2]);
        const stored = first.rows[0] as AuditRecord;
        const original = rows[11] as AuditRecord;
        expect(stored).toEqual({
          ...original,
          errorCode: undefined,
          tenantId: 'acme',
        } satisfies AuditRecord);
      });

      it('filters by user, tool, outcome and time, and counts per outcome', async () => {
        const server = `filter-${crypto.randomUUID().slice(0, 8)}`;
        await store.insert(Array.from({ length: 12 }, (_unused, index) => record(server, index)));
        const anonymous = await store.query({ server, userId: 'anonymous', limit: 100 });
        expect(anonymous.rows.map((row) => row.durationMs).sort((a, b) => a - b)).toEqual([
          0, 3, 6, 9,
        ]);
        expect((await store.query({ server, userId: alice, limit: 100 })).rows).toHaveLength(8);
        expect(
          (await store.query({ server, tool: 'list_invoices', limit: 100 })).rows,
        ).toHaveLength(6);
        expect((await store.query({ server, outcome: 'denied', limit: 100 })).rows).toHaveLength(3);
        const window = await store.query({
          server,
          from: new Date(Date.UTC(2026, 0, 1, 0, 0, 2)),
          to: new Date(Date.UTC(2026, 0, 1, 0, 0, 5)),
        });
        expect(window.rows.map((row) => row.durationMs)).toEqual([4, 3, 2]);
        const stats = await store.stats({ server });
        expect(stats).toEqual({
          total: 12,
          byOutcome: {
            success: 9,
            failure: 0,
            denied: 3,
            rate_limited: 0,
            cached: 0,
            rejected: 0,
            input_required: 0,
            elicitation_accepted: 0,
            elicitation_declined: 0,
            elicitation_cancelled: 0,
            sampling_approved: 0,
            sampling_declined: 0,
          },
        });
        if (options.rawCount) {
          // non-uuid principals keep a null user_id and their id in `principal`
          expect(await options.rawCount(server)).toEqual({ total: 12, nullUserIds: 4 });
        }
      });

      it('skips a row the database refuses instead of blocking the batch', async () => {
        const server = `poison-${crypto.randomUUID().slice(0, 8)}`;
        await store.insert([
          record(server, 1, { tool: 'with\u0000nul', arguments: { text: 'a\u0000b' } }),
          record(server, 2, { requestId: 'not-a-uuid' }),
          record(server, 3, { durationMs: 1e12 }),
        ]);
        const { rows } = await store.query({ server });
        expect(rows.map((row) => [row.tool, row.durationMs])).toEqual([
          ['list_invoices', 2_147_483_647],
          ['withnul', 1],
        ]);
      });

      it('stores exactly one row per call under 500 concurrent calls', async () => {
        const server = `load-${crypto.randomUUID().slice(0, 8)}`;
        await concurrentCalls(store, server);
        const stats = await store.stats({ server });
        expect(stats.total).toBe(500);
        // kinds: 0 list (miss), 1 destructive (denied), 2 cost > limit (rate limited), 3 isError, 4 same args (1 miss + 99 cached)
        expect(stats.byOutcome).toEqual({
          success: 101,
          failure: 100,
          denied: 100,
          rate_limited: 100,
          cached: 99,
          rejected: 0,
          input_required: 0,
          elicitation_accepted: 0,
          elicitation_declined: 0,
          elicitation_cancelled: 0,
          sampling_approved: 0,
          sampling_declined: 0,
        });
        if (options.rawCount) expect((await options.rawCount(server)).total).toBe(500);
      });
    },
  );
}

describeAuditStore('PGlite audit store (in memory)', () => createPgliteAuditStore(), {});

const databaseUrl = process.env.DATABASE_URL;
const schema = `audit_test_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;

describeAuditStore(
  'Postgres audit store',
  () => createPostgresAuditStore({ connectionString: databaseUrl ?? '', schema }),
  {
    skip: databaseUrl ? undefined : 'needs DATABASE_URL',
    async rawCount(server) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT count(*)::int AS total, count(*) FILTER (WHERE user_id IS NULL)::int AS "nullUserIds"
           FROM ${schema}.mcp_audit_logs WHERE server = $1`,
          [server],
        );
        return rows[0] as { total: number; nullUserIds: number };
      } finally {
        await client.end();
      }
    },
  },
);

describe('audit durability', () => {
  it('keeps PGlite rows across a restart of the data dir, and migrations are idempotent', {
    timeout: 60_000,
  }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tekup-audit-'));
    try {
      const before = createPgliteAuditStore({ dataDir });
      await before.insert([record('restart', 1), record('restart', 2)]);
      await before.close();
      const after = createPgliteAuditStore({ dataDir });
      await after.ready();
      expect((await after.stats({ server: 'restart' })).total).toBe(2);
      await after.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('buffers while PGlite inserts fail and writes every row once when they succeed again', {
    timeout: 60_000,
  }, async () => {
    const store = createPgliteAuditStore();
    let failuresLeft = 4;
    const flaky: AuditStore = {
      ...store,
      insert(records) {
        if (failuresLeft-- > 0) return Promise.reject(new Error('database stopped'));
        return store.insert(records);
      },
    };
    let failures = 0;
    const sink = createBatchingAuditSink({
      store: flaky,
      batchSize: 20,
      retryBaseMs: 1,
      retryMaxMs: 8,
      metrics: { ...noopPolicyMetrics, storeFailure: () => failures++ },
    });
    const rows = Array.from({ length: 50 }, (_unused, index) => record('flaky', index));
    for (const row of rows) sink.write(row);
    await sink.flush();
    expect(failures).toBe(4);
    expect((await store.stats({ server: 'flaky' })).total).toBe(50);
    await sink.close();
  });

  it('checks plain identifiers and uuids', () => {
    expect(() => auditMigrations({ table: 'x; drop table y' })).toThrow(TypeError);
    expect(auditMigrations({ schema: 'audit' })[0]).toBe('CREATE SCHEMA IF NOT EXISTS audit');
    expect(isUuid(alice)).toBe(true);
    expect(isUuid('anonymous')).toBe(false);
  });
});

/** A TCP proxy to Postgres that can be stopped and started again on the same port. */
function createToggleProxy(target: { host: string; port: number }) {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let port = 0;
  return {
    get port() {
      return port;
    },
    async start() {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const end = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      });
      await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
      const address = server.address();
      if (address && typeof address === 'object') port = address.port;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

describe.skipIf(!databaseUrl)('Postgres outage and restart (needs DATABASE_URL)', () => {
  const outageSchema = `audit_outage_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;

  afterAll(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${outageSchema} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('rows written while the database is unreachable arrive after it returns, and survive a restart', async () => {
    const url = new URL(databaseUrl ?? '');
    const proxy = createToggleProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    const proxied = new URL(url);
    proxied.port = String(proxy.port);
    const store = createPostgresAuditStore({
      connectionString: proxied.toString(),
      schema: outageSchema,
      timeoutMs: 500,
    });
    let failures = 0;
    let sawTwoFailures: () => void = () => {};
    const twoFailures = new Promise<void>((resolve) => {
      sawTwoFailures = resolve;
    });
    const sink = createBatchingAuditSink({
      store,
      batchSize: 10,
      flushIntervalMs: 10,
      retryBaseMs: 20,
      retryMaxMs: 100,
      closeTimeoutMs: 5000,
      metrics: {
        ...noopPolicyMetrics,
        storeFailure: () => {
          failures++;
          if (failures === 2) sawTwoFailures();
        },
      },
    });
    for (let index = 0; index < 10; index++) sink.write(record('outage', index));
    await sink.flush();

    await proxy.stop();
    for (let index = 10; index < 40; index++) sink.write(record('outage', index));
    // Let several inserts fail against the stopped proxy.
    await twoFailures;
    expect(sink.depth()).toBeGreaterThan(0);
    await proxy.start();
    await sink.close();
    expect(sink.dropped()).toBe(0);

    const reopened = createPostgresAuditStore({
      connectionString: databaseUrl ?? '',
      schema: outageSchema,
    });
    try {
      expect((await reopened.stats({ server: 'outage' })).total).toBe(40);
    } finally {
      await reopened.close();
      await proxy.stop();
    }
  });
});
