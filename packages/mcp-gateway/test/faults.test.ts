/**
 * The fault suite: real processes killed (SIGKILL) and frozen (SIGSTOP) under load, a write
 * whose instance dies mid-call, Redis and Postgres cut off and back, and the gateway itself
 * killed right after answering. Prints what it saw (calls, failures, latencies, rows).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/index.js';
import { createFileAuditSpool, createStagesFromConfig } from '../src/node/index.js';
import { generateApiKey } from '../src/policies/index.js';
import { noopPolicyMetrics } from '../src/policies/metrics.js';
import { createPgliteAuditStore } from '../src/stores/pglite-audit-store.js';
import { createPostgresAuditStore } from '../src/stores/postgres-audit-store.js';
import { type Child, startChild, startFixtureProcess } from './fixtures/child.js';
import { type FixtureServer, startFixtureServer } from './fixtures/fixture-server.js';
import { startTcpProxy } from './fixtures/tcp-proxy.js';
import { callTool, errorCode } from './helpers.js';

const ATTEMPT_MS = 500;

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

function report(label: string, figures: Record<string, number | string>): void {
  process.stdout.write(
    `\n${label}: ${Object.entries(figures)
      .map(
        ([key, value]) =>
          `${key} ${typeof value === 'number' ? Math.round(value * 10) / 10 : value}`,
      )
      .join(', ')}\n`,
  );
}

/** Runs read-only calls from `concurrency` workers until `stop()`; records latency and failures. */
function startLoad(gateway: Gateway, concurrency: number) {
  const latencies: number[] = [];
  const failures: string[] = [];
  const byInstance = new Map<string, number>();
  let running = true;
  let counter = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (running) {
      const started = performance.now();
      const call = await callTool(gateway, 'billy', 'echo', { text: `n${counter++}` });
      latencies.push(performance.now() - started);
      if (call.status !== 200) failures.push(`${call.status} ${errorCode(call.body)}`);
      else {
        const text = (call.body.result as { content: { text: string }[] }).content[0]?.text ?? '';
        const instance = text.split(':')[0] ?? '?';
        byInstance.set(instance, (byInstance.get(instance) ?? 0) + 1);
      }
    }
  });
  return {
    latencies,
    failures,
    byInstance,
    /** Resolves once `count` more calls have finished. */
    async after(count: number) {
      const target = latencies.length + count;
      while (latencies.length < target) await new Promise((resolve) => setImmediate(resolve));
    },
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

describe('instances that die or hang under load', () => {
  let b: FixtureServer;
  const children: Child[] = [];

  beforeAll(async () => {
    b = await startFixtureServer({ name: 'b' });
  });

  afterAll(async () => {
    for (const child of children) await child.kill();
    await b.stop();
  });

  const gatewayOver = (a: string) =>
    createGateway({
      servers: { billy: { instances: [a, b.url], tenancy: 'shared' } },
      healthChecks: false,
      timeouts: { attemptMs: ATTEMPT_MS, toolCallMs: 8000, requestMs: 8000 },
      ejection: { consecutiveFailures: 3, cooldownMs: 60_000 },
    });

  it('loses no read-only call when an instance is killed (SIGKILL) mid-run', async () => {
    const a = await startFixtureProcess('a');
    children.push(a);
    const gateway = gatewayOver(a.url);
    const load = startLoad(gateway, 8);
    await load.after(200);
    await a.kill('SIGKILL');
    await load.after(400);
    await load.stop();
    report('SIGKILL of one of two instances, 8 concurrent readers', {
      calls: load.latencies.length,
      failed: load.failures.length,
      'p50 ms': percentile(load.latencies, 0.5),
      'p99 ms': percentile(load.latencies, 0.99),
      'max ms': Math.max(...load.latencies),
      'answered by a': load.byInstance.get('a') ?? 0,
      'answered by b': load.byInstance.get('b') ?? 0,
    });
    expect(load.failures).toEqual([]);
    expect(load.byInstance.get('a') ?? 0).toBeGreaterThan(0);
    await gateway.close();
  }, 60_000);

  it('holds callers of a frozen instance (SIGSTOP) for one attempt deadline at most, then ejects it', async () => {
    const a = await startFixtureProcess('a');
    children.push(a);
    const gateway = gatewayOver(a.url);
    const load = startLoad(gateway, 8);
    await load.after(200);
    a.process.kill('SIGSTOP');
    const frozenFrom = load.latencies.length;
    await load.after(400);
    const during = load.latencies.slice(frozenFrom);
    a.process.kill('SIGCONT');
    await load.stop();
    const instanceA = gateway.status()[0]?.instances[0];
    report('SIGSTOP of one of two instances, 8 concurrent readers', {
      calls: load.latencies.length,
      failed: load.failures.length,
      'attempt deadline ms': ATTEMPT_MS,
      'max ms while frozen': Math.max(...during),
      'p50 ms while frozen': percentile(during, 0.5),
      'calls over the deadline': during.filter((value) => value > ATTEMPT_MS).length,
      'instance a': instanceA?.state ?? '?',
    });
    expect(load.failures).toEqual([]);
    // One attempt's deadline, then another instance answers (its own latency, the backoff).
    expect(Math.max(...during)).toBeLessThan(ATTEMPT_MS + 400);
    expect(instanceA?.state).toBe('ejected');
    await gateway.close();
  }, 60_000);

  it('answers a write whose instance dies mid-call with outcome_unknown, and never retries it', async () => {
    const a = await startFixtureProcess('a');
    children.push(a);
    const gateway = gatewayOver(a.url);
    let result: Awaited<ReturnType<typeof callTool>> | undefined;
    for (let attempt = 0; attempt < 6 && result === undefined; attempt++) {
      const before = b.calls.get('create_invoice') ?? 0;
      const call = callTool(gateway, 'billy', 'create_invoice', { amount: 5, ms: 3000 });
      const landed = await Promise.race([
        a.waitFor(/^started create_invoice/).then(() => 'a'),
        b.waitForCall('create_invoice').then(() => 'b'),
      ]);
      if (landed === 'b' && (b.calls.get('create_invoice') ?? 0) > before) {
        await call;
        continue;
      }
      const onB = b.calls.get('create_invoice') ?? 0;
      await a.kill('SIGKILL');
      result = await call;
      expect(b.calls.get('create_invoice') ?? 0).toBe(onB);
    }
    report('write whose instance is killed mid-call', {
      status: result?.status ?? 0,
      code: result ? String(errorCode(result.body)) : '?',
      'retry-after': result?.headers.get('retry-after') ?? 'none',
    });
    expect(result?.status).toBe(502);
    expect(result ? errorCode(result.body) : undefined).toBe('outcome_unknown');
    expect(result?.headers.get('retry-after')).toBeNull();
    await gateway.close();
  }, 60_000);
});

const redisUrl = process.env.REDIS_URL;
const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!redisUrl)('Redis cut off, then back (needs REDIS_URL)', () => {
  it.each(['open', 'closed'] as const)(
    'keeps latency near normal with fail mode %s, and honours the mode',
    async (failMode) => {
      const upstream = await startFixtureServer({ name: 'r' });
      let failures = 0;
      const target = new URL(redisUrl as string);
      const proxy = await startTcpProxy({
        host: target.hostname,
        port: Number(target.port || 6379),
      });
      const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'admin' });
      const policies = await createStagesFromConfig(
        {
          auth: { keys: [record] },
          rateLimit: {
            default: { points: 1_000_000, durationSeconds: 60 },
            failMode,
            redisPrefix: `tekup:test:${randomUUID()}:rl:`,
          },
          cache: { redisPrefix: `tekup:test:${randomUUID()}:cache:` },
          audit: { enabled: false },
        },
        {
          env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` },
          metrics: { ...noopPolicyMetrics, storeFailure: () => void failures++ },
        },
      );
      const gateway = createGateway({
        servers: { billy: { instances: [upstream.url], tenancy: 'shared' } },
        healthChecks: false,
        authenticate: policies.authenticate,
        stages: policies.stages,
      });
      const phase = async (count: number) => {
        const latencies: number[] = [];
        const statuses = new Map<number, number>();
        for (let index = 0; index < count; index++) {
          const started = performance.now();
          const call = await callTool(
            gateway,
            'billy',
            'echo',
            { text: randomUUID() },
            { headers: { authorization: `Bearer ${key}` } },
          );
          latencies.push(performance.now() - started);
          statuses.set(call.status, (statuses.get(call.status) ?? 0) + 1);
        }
        return { latencies, statuses };
      };
      try {
        await phase(20);
        const normal = await phase(200);
        proxy.set('blackhole');
        const outage = await phase(200);
        proxy.set('pass');
        // Until the breaker's next probe finds Redis back, calls skip it (and count a failure).
        let recovered = 0;
        while (recovered < 3) {
          const seen = failures;
          await phase(1);
          recovered = failures === seen ? recovered + 1 : 0;
        }
        const back = await phase(200);
        const p50 = (values: number[]) => percentile(values, 0.5);
        report(
          `Redis blackholed, fail mode ${failMode} (200 calls a phase, each a cache miss and a limit check)`,
          {
            'normal p50 ms': p50(normal.latencies),
            'outage p50 ms': p50(outage.latencies),
            'outage p95 ms': percentile(outage.latencies, 0.95),
            'outage max ms': Math.max(...outage.latencies),
            'back p50 ms': p50(back.latencies),
            'ratio outage/normal': p50(outage.latencies) / p50(normal.latencies),
            'outage answers': JSON.stringify(Object.fromEntries(outage.statuses)),
          },
        );
        expect(p50(outage.latencies)).toBeLessThanOrEqual(2 * p50(normal.latencies) + 2);
        if (failMode === 'open') expect(outage.statuses.get(200)).toBe(200);
        else expect(outage.statuses.get(503) ?? 0).toBeGreaterThan(190);
        expect(back.statuses.get(200)).toBe(200);
      } finally {
        await gateway.close();
        await policies.close();
        await proxy.close();
        await upstream.stop();
      }
    },
    60_000,
  );
});

describe.skipIf(!databaseUrl)('Postgres cut off, then back (needs DATABASE_URL)', () => {
  it('answers while the audit database is away and writes every row once it is back', async () => {
    const upstream = await startFixtureServer({ name: 'p' });
    const target = new URL(databaseUrl as string);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(databaseUrl as string);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const schema = `faults_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const dataDir = await mkdtemp(join(tmpdir(), 'gateway-pg-outage-'));
    const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'admin' });
    const policies = await createStagesFromConfig(
      { auth: { keys: [record] }, audit: { schema, flushIntervalMs: 50 } },
      {
        env: { DATABASE_URL: proxied.href },
        auditSpool: createFileAuditSpool({ dir: join(dataDir, 'spool') }),
      },
    );
    const gateway = createGateway({
      servers: { billy: { instances: [upstream.url], tenancy: 'shared' } },
      healthChecks: false,
      authenticate: policies.authenticate,
      stages: policies.stages,
    });
    const ids: string[] = [];
    const call = async () => {
      const requestId = randomUUID();
      const started = performance.now();
      const response = await callTool(
        gateway,
        'billy',
        'echo',
        { text: requestId },
        {
          headers: { 'x-request-id': requestId, authorization: `Bearer ${key}` },
        },
      );
      expect(response.status).toBe(200);
      ids.push(requestId);
      return performance.now() - started;
    };
    try {
      await policies.flushAudit();
      const normal: number[] = [];
      for (let index = 0; index < 100; index++) normal.push(await call());
      proxy.set('blackhole');
      const outage: number[] = [];
      for (let index = 0; index < 100; index++) outage.push(await call());
      proxy.set('pass');
      await policies.flushAudit();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM ${schema}.mcp_audit_logs WHERE request_id = ANY($1::uuid[])`,
        [ids],
      );
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
      report('Postgres blackholed under the audit log (100 calls each way)', {
        'normal p50 ms': percentile(normal, 0.5),
        'outage p50 ms': percentile(outage, 0.5),
        'outage max ms': Math.max(...outage),
        answered: ids.length,
        'rows after it is back': rows[0]?.n ?? 0,
      });
      expect(rows[0]?.n).toBe(ids.length);
    } finally {
      await gateway.close();
      await policies.close();
      await proxy.close();
      await upstream.stop();
    }
  }, 120_000);
});

describe.skipIf(!databaseUrl)(
  'the audit database refusing connections (needs DATABASE_URL)',
  () => {
    it('stops dialling it after three failures, fails at once, and finds it back', async () => {
      const target = new URL(databaseUrl as string);
      const proxy = await startTcpProxy({
        host: target.hostname,
        port: Number(target.port || 5432),
      });
      const proxied = new URL(databaseUrl as string);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);
      const schema = `faults_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
      const store = createPostgresAuditStore({ connectionString: proxied.href, schema });
      try {
        await store.query({ limit: 1 });
        proxy.set('refuse');
        const outcomes: string[] = [];
        for (let index = 0; index < 10; index++) {
          outcomes.push(
            await store.query({ limit: 1 }).then(
              () => 'answered',
              (error: Error) => error.name,
            ),
          );
        }
        const dialled = proxy.accepted;
        const started = performance.now();
        const fast = await store.query({ limit: 1 }).catch((error: Error) => error);
        const failFastMs = performance.now() - started;
        report('audit database refusing connections', {
          'refused then short-cut': outcomes.join(' '),
          'fail-fast ms': failFastMs,
        });
        expect(outcomes.slice(0, 3).every((outcome) => outcome === 'Error')).toBe(true);
        expect(outcomes.slice(3).every((outcome) => outcome === 'StoreUnavailableError')).toBe(
          true,
        );
        expect((fast as Error).name).toBe('StoreUnavailableError');
        expect(proxy.accepted).toBe(dialled);
        proxy.set('pass');
        // One probe a second: the first call after that finds the database back.
        await expect
          .poll(
            () =>
              store.query({ limit: 1 }).then(
                () => 'answered',
                () => 'refused',
              ),
            {
              timeout: 5000,
              interval: 250,
            },
          )
          .toBe('answered');
      } finally {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
        await store.close();
        await proxy.close();
      }
    }, 30_000);
  },
);

describe('the gateway killed right after answering', () => {
  it('has every answered call in the audit log after a restart (kill -9, embedded store)', async () => {
    const upstream = await startFixtureServer({ name: 'k' });
    const folder = await mkdtemp(join(tmpdir(), 'gateway-kill-'));
    const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'admin' });
    const file = join(folder, 'gateway.json');
    await writeFile(
      file,
      JSON.stringify({
        servers: { billy: { instances: [upstream.url], tenancy: 'shared' } },
        auth: { keys: [record] },
        // A long flush interval: the rows are still only in the spool when the process dies.
        audit: { dataDir: folder, flushIntervalMs: 60_000, batchSize: 10_000 },
        healthCheck: { intervalMs: 60_000 },
      }),
    );
    const bin = new URL('../src/node/bin.ts', import.meta.url);
    const startGateway = async () => {
      // The embedded store on purpose, whatever the environment offers.
      const child = startChild(bin, ['--config', file, '--port', '0'], {
        DATABASE_URL: undefined,
        REDIS_URL: undefined,
      });
      const [, url] = await child.waitFor(/"url":"(http:\/\/[^"]+)"/);
      return { child, url: url as string };
    };
    const first = await startGateway();
    const answered: string[] = [];
    try {
      for (let index = 0; index < 60; index++) {
        const requestId = randomUUID();
        const response = await fetch(`${first.url}/mcp/billy`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            accept: 'application/json',
            'x-request-id': requestId,
          },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: index,
            method: 'tools/call',
            params: { name: 'echo', arguments: { text: String(index) } },
          }),
        });
        if (response.status === 200) answered.push(requestId);
        await response.text();
      }
    } finally {
      await first.child.kill('SIGKILL');
    }
    // The next process on the same data takes the spooled rows over and stores them; a graceful
    // stop flushes before it exits.
    const second = await startGateway();
    await second.child.kill('SIGTERM');
    const store = createPgliteAuditStore({ dataDir: join(folder, 'audit') });
    const page = await store.query({ tool: 'echo', limit: 500 });
    await store.close();
    const stored = new Set(page.rows.map((row) => row.requestId));
    await upstream.stop();
    report('gateway killed (SIGKILL) right after answering, then restarted', {
      answered: answered.length,
      'rows after restart': answered.filter((id) => stored.has(id)).length,
      'rows in all': page.rows.length,
    });
    expect(answered.length).toBe(60);
    expect(answered.filter((id) => !stored.has(id))).toEqual([]);
    expect(page.rows.length).toBe(60);
  }, 120_000);
});
