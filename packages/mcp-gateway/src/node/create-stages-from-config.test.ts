import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.js';
import { createPgliteAuditStore } from '../stores/pglite-audit-store.js';
import { generateApiKey } from '../policies/auth/api-key-authenticator.js';
import {
  createManualClock,
  createTestContext,
  destructiveSafety,
  runPipeline,
} from '../policies/test-context.js';
import { createStagesFromConfig } from './create-stages-from-config.js';

const upstream = async () => ({ content: [{ type: 'text', text: 'ok' }] });

async function outcome(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof GatewayError ? error.code : String(error)),
  );
}

describe('createStagesFromConfig', () => {
  it('rejects invalid sections with a readable TypeError', async () => {
    await expect(
      createStagesFromConfig({ rateLimit: { default: { points: -1, durationSeconds: 60 } } }),
    ).rejects.toThrow(/Invalid policy configuration[\s\S]*points/);
    await expect(createStagesFromConfig({ rbac: { roles: { x: { alow: [] } } } })).rejects.toThrow(
      TypeError,
    );
  });

  it('defaults to loopback-only anonymous access, an in-memory cache and no other stages', async () => {
    const policies = await createStagesFromConfig({ audit: { enabled: false } });
    try {
      expect(policies.stages.map((stage) => stage.name)).toEqual(['cache']);
      expect(policies.engines).toEqual({ rateLimit: 'off', cache: 'memory', audit: 'off' });
      const request = new Request('http://127.0.0.1/mcp/billy', { method: 'POST' });
      await expect(
        policies.authenticate(request, { remoteAddress: '127.0.0.1' }),
      ).resolves.toMatchObject({
        kind: 'anonymous',
      });
      expect(await outcome(policies.authenticate(request, { remoteAddress: '10.1.2.3' }))).toBe(
        'unauthorized',
      );
    } finally {
      await policies.close();
    }
  });

  it('builds auth, rbac, rate limit and cache in pipeline order from one config', async () => {
    const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'member' });
    const clock = createManualClock();
    const policies = await createStagesFromConfig(
      {
        auth: { keys: [record] },
        rbac: { roles: { member: { allow: ['billy/*'] } } },
        rateLimit: { default: { points: 2, durationSeconds: 60 } },
        cache: { ttlSeconds: { billy: 10 } },
        audit: { enabled: false },
        servers: { billy: { instances: ['http://127.0.0.1:4101/mcp'] } },
      },
      { clock },
    );
    try {
      expect(policies.stages.map((stage) => stage.name)).toEqual(['rbac', 'rate-limit', 'cache']);
      const principal = await policies.authenticate(
        new Request('http://gateway/mcp/billy', { headers: { authorization: `Bearer ${key}` } }),
        { remoteAddress: '127.0.0.1' },
      );
      expect(
        await outcome(
          policies.authenticate(new Request('http://gateway/'), { remoteAddress: '127.0.0.1' }),
        ),
      ).toBe('unauthorized');
      const call = (init: Parameters<typeof createTestContext>[0]) => {
        const context = createTestContext({ principal, ...init });
        return outcome(runPipeline(policies.stages, context, upstream)).then((result) => ({
          result,
          context,
        }));
      };
      expect((await call({ server: 'knowledge', tool: 'search' })).result).toBe('forbidden');
      expect((await call({ tool: 'void', safety: destructiveSafety })).result).toBe('forbidden');
      const first = await call({});
      expect(first.result).toBe('ok');
      expect(first.context.outcome.cache).toBe('miss');
      expect(first.context.responseHeaders.get('RateLimit-Remaining')).toBe('1');
      const second = await call({});
      expect(second.context.outcome.cache).toBe('hit');
      expect((await call({})).result).toBe('rate_limited');
      clock.advance(60_000);
      // billy's TTL from the config: 10 s
      expect((await call({})).context.outcome.cache).toBe('miss');
    } finally {
      await policies.close();
    }
  });

  it('lets a host add its own API keys and watch audit rows; flushAudit writes queued rows', {
    timeout: 60_000,
  }, async () => {
    const { key, record } = await generateApiKey({ ownerId: 'host-user', role: 'member' });
    const seen: string[] = [];
    const policies = await createStagesFromConfig(
      {
        audit: {
          dataDir: await mkdtemp(join(tmpdir(), 'tekup-policies-host-')),
          flushIntervalMs: 60_000,
        },
      },
      {
        env: {},
        apiKeys: { get: (id) => (id === record.id ? record : undefined) },
        resolvePrincipal: (request) =>
          request.headers.get('cookie') === 'session=ok'
            ? { id: 'cookie-user', kind: 'user', role: 'member' }
            : undefined,
        onAuditRecord: (row) => seen.push(`${row.principalId}:${row.outcome}`),
      },
    );
    try {
      const fromCookie = await policies.authenticate(
        new Request('http://host/api/gateway/mcp/billy', { headers: { cookie: 'session=ok' } }),
        {},
      );
      expect(fromCookie.id).toBe('cookie-user');
      const fromKey = await policies.authenticate(
        new Request('http://host/api/gateway/mcp/billy', {
          headers: { authorization: `Bearer ${key}` },
        }),
        {},
      );
      expect(fromKey).toMatchObject({ id: 'host-user', role: 'member' });
      // A host that authenticates its users never falls back to anonymous loopback access.
      expect(
        await outcome(
          policies.authenticate(new Request('http://host/'), { remoteAddress: '127.0.0.1' }),
        ),
      ).toBe('unauthorized');

      await runPipeline(policies.stages, createTestContext({ principal: fromKey }), upstream);
      await policies.flushAudit();
      expect(seen).toEqual(['host-user:success']);
      const page = await policies.auditStore?.query({ userId: 'host-user' });
      expect(page?.rows).toHaveLength(1);
    } finally {
      await policies.close();
    }
  });

  it('audits into PGlite under the data dir and flushes on close', {
    timeout: 60_000,
  }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tekup-policies-'));
    try {
      const policies = await createStagesFromConfig(
        {
          audit: { dataDir, flushIntervalMs: 60_000 },
          rbac: { roles: { anonymous: { allow: ['billy'] } } },
        },
        { env: {} },
      );
      expect(policies.engines.audit).toBe('pglite');
      const principal = { id: 'anonymous', kind: 'anonymous' as const, role: 'anonymous' };
      for (const server of ['billy', 'vault', 'billy']) {
        await outcome(
          runPipeline(
            policies.stages,
            createTestContext({ server, principal, startedAt: Date.now() }),
            upstream,
          ),
        );
      }
      await policies.close();
      // closing again, stage by stage as the gateway does, is harmless
      await Promise.all(policies.stages.map((stage) => stage.close?.()));
      await policies.close();
      const reopened = createPgliteAuditStore({ dataDir: join(dataDir, 'audit') });
      const stats = await reopened.stats();
      expect(stats.total).toBe(3);
      expect(stats.byOutcome).toMatchObject({ success: 1, cached: 1, denied: 1 });
      await reopened.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  const redisUrl = process.env.REDIS_URL;
  const databaseUrl = process.env.DATABASE_URL;

  it.skipIf(!redisUrl || !databaseUrl)(
    'uses Redis and Postgres from the environment (needs REDIS_URL and DATABASE_URL)',
    { timeout: 30_000 },
    async () => {
      const schema = `policies_test_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const prefix = `tekup-test:${crypto.randomUUID()}:`;
      const config = {
        audit: { schema },
        rateLimit: { default: { points: 3, durationSeconds: 60 }, redisPrefix: `${prefix}rl:` },
        cache: { redisPrefix: `${prefix}cache:` },
      };
      const env = { REDIS_URL: redisUrl, DATABASE_URL: databaseUrl };
      const instances = [
        await createStagesFromConfig(config, { env }),
        await createStagesFromConfig(config, { env }),
      ];
      const client = new pg.Client({ connectionString: databaseUrl });
      try {
        expect(instances[0]?.engines).toEqual({
          rateLimit: 'redis',
          cache: 'redis',
          audit: 'postgres',
        });
        const principal = {
          id: `user-${crypto.randomUUID()}`,
          kind: 'user' as const,
          role: 'member',
        };
        const results: string[] = [];
        for (let index = 0; index < 5; index++) {
          const policies = instances[index % 2];
          if (!policies) continue;
          const context = createTestContext({ principal, startedAt: Date.now() });
          results.push(await outcome(runPipeline(policies.stages, context, upstream)));
          results.push(context.outcome.cache ?? 'none');
        }
        expect(results).toEqual([
          'ok',
          'miss',
          'ok',
          'hit',
          'ok',
          'hit',
          'rate_limited',
          'none',
          'rate_limited',
          'none',
        ]);
        await Promise.all(instances.map((policies) => policies.close()));
        await client.connect();
        const { rows } = await client.query(
          `SELECT outcome, count(*)::int AS count FROM ${schema}.mcp_audit_logs GROUP BY outcome ORDER BY outcome`,
        );
        expect(rows).toEqual([
          { outcome: 'cached', count: 2 },
          { outcome: 'rate_limited', count: 2 },
          { outcome: 'success', count: 1 },
        ]);
      } finally {
        await Promise.all(instances.map((policies) => policies.close()));
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
        await client.end().catch(() => {});
        const { Redis } = await import('ioredis');
        const admin = new Redis(redisUrl ?? '');
        const keys = await admin.keys(`${prefix}*`);
        if (keys.length > 0) await admin.del(...keys);
        admin.disconnect();
      }
    },
  );
});
