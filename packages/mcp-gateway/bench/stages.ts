/**
 * Per-stage hot-path cost of the policy stages, in-process (and over Redis
 * when REDIS_URL is set). Run: `tsx bench/stages.ts` (or any TS runner).
 * Each row awaits one stage call with a no-op `next`, so it is the stage's
 * own cost, not the upstream's.
 */
import {
  generateApiKey,
  createApiKeyAuthenticator,
} from '../src/policies/auth/api-key-authenticator.js';
import { createAuditStage } from '../src/policies/audit/audit-stage.js';
import { createCacheStage } from '../src/policies/cache/cache-stage.js';
import { createRateLimitStage } from '../src/policies/rate-limit/rate-limit-stage.js';
import { createRbacStage } from '../src/policies/rbac/rbac-stage.js';
import { createTestContext, runPipeline } from '../src/policies/test-context.js';
import type { Next, RequestContext, Stage } from '../src/pipeline/types.js';
import { createBatchingAuditSink } from '../src/stores/batching-audit-sink.js';
import { createMemoryCacheStore } from '../src/stores/memory-cache-store.js';
import { createMemoryRateLimitStore } from '../src/stores/memory-rate-limit-store.js';
import { createRedisCacheStore } from '../src/stores/redis-cache-store.js';
import { createRedisRateLimitStore } from '../src/stores/redis-rate-limit-store.js';

interface Row {
  name: string;
  iterations: number;
  microsPerOp: number;
  opsPerSecond: number;
}

const rows: Row[] = [];

/** Best of three rounds: the machine is shared, and the minimum is the stage's own cost. */
async function measure(name: string, iterations: number, run: (index: number) => Promise<unknown>) {
  for (let index = 0; index < Math.min(2000, iterations); index++) await run(index);
  let best = Number.POSITIVE_INFINITY;
  let offset = Math.min(2000, iterations);
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (let index = 0; index < iterations; index++) await run(offset + index);
    best = Math.min(best, performance.now() - started);
    offset += iterations;
  }
  rows.push({
    name,
    iterations,
    microsPerOp: (best * 1000) / iterations,
    opsPerSecond: Math.round((iterations / best) * 1000),
  });
}

const result = { content: [{ type: 'text', text: 'x'.repeat(512) }] };
const next: Next = async () => result;
const principal = {
  id: '7d0f8a5e-3c1b-4b8e-9a53-0c9e6f2d1a11',
  kind: 'user' as const,
  role: 'member',
  tenantId: 'acme',
};

function context(init: Parameters<typeof createTestContext>[0] = {}): RequestContext {
  return createTestContext({ principal, startedAt: Date.now(), ...init });
}

const handle = (stage: Stage, current: RequestContext) => stage.handle(current, next);

async function main() {
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);

  await measure('baseline: build a request context', iterations, async () => context());

  const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'member' });
  const authenticate = createApiKeyAuthenticator({ keys: [record] });
  const request = new Request('http://gateway/mcp/billy', {
    headers: { authorization: `Bearer ${key}` },
  });
  await measure('auth (Bearer key, SHA-256 + compare)', iterations, () =>
    authenticate(request, {}),
  );

  const rbac = createRbacStage({
    roles: {
      member: {
        allow: ['billy/*', '*/list_*', 'knowledge', 'database/query'],
        deny: ['billy/delete_*'],
      },
    },
  });
  const rbacContext = context();
  await measure('rbac (5 globs)', iterations, () => handle(rbac, rbacContext));

  const rateLimit = createRateLimitStage({
    store: createMemoryRateLimitStore(),
    limits: { default: { points: 1_000_000_000, durationSeconds: 1 } },
  });
  const limitContext = context({ principal: { ...principal, id: 'bench-user' } });
  await measure('rate-limit (memory, GCRA)', iterations, () => handle(rateLimit, limitContext));

  const cache = createCacheStage({ store: createMemoryCacheStore() });
  await handle(cache, context({ arguments: { q: 'hot' } }));
  const hotContext = context({ arguments: { q: 'hot' } });
  await measure('cache hit (memory)', iterations, () => handle(cache, hotContext));
  // Contexts are built before timing: a miss needs fresh arguments each time.
  const cold = Array.from({ length: iterations * 3 + 2000 }, (_unused, index) =>
    context({ arguments: { q: `cold-${index}` } }),
  );
  let coldIndex = 0;
  await measure('cache miss + store (memory)', iterations, () =>
    handle(cache, cold[coldIndex++] as RequestContext),
  );

  const audit = createAuditStage({
    sink: createBatchingAuditSink({
      store: { insert: async () => {}, close: async () => {} },
      batchSize: 500,
    }),
  });
  const auditContext = context({ arguments: { q: 1 } });
  await measure('audit (row + argument hash, enqueue)', iterations, () =>
    handle(audit, auditContext),
  );

  const all = [audit, rbac, rateLimit, cache];
  await measure('all four stages, cache hit', iterations, () => runPipeline(all, hotContext, next));
  await audit.close?.();

  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    const prefix = `tekup-bench:${Date.now()}:`;
    const redisLimit = createRateLimitStage({
      store: createRedisRateLimitStore({ url: redisUrl, prefix }),
      limits: { default: { points: 1_000_000_000, durationSeconds: 1 } },
      failMode: 'closed',
    });
    const redisCache = createCacheStage({
      store: createRedisCacheStore({ url: redisUrl, prefix }),
    });
    const redisIterations = Math.min(iterations, 2000);
    await measure('rate-limit (Redis, Lua GCRA)', redisIterations, () =>
      handle(redisLimit, context()),
    );
    await handle(redisCache, context({ arguments: { q: 'hot' } }));
    await measure('cache hit (Redis)', redisIterations, () =>
      handle(redisCache, context({ arguments: { q: 'hot' } })),
    );
    await measure('cache miss + store (Redis)', redisIterations, (index) =>
      handle(redisCache, context({ arguments: { q: `cold-${index}` } })),
    );
    await Promise.all([redisLimit.close?.(), redisCache.close?.()]);
    const { Redis } = await import('ioredis');
    const admin = new Redis(redisUrl);
    const keys = await admin.keys(`${prefix}*`);
    for (let start = 0; start < keys.length; start += 1000)
      await admin.del(...keys.slice(start, start + 1000));
    admin.disconnect();
  }

  console.log(`policy stages, ${process.version}, sequential awaits, best of 3 rounds\n`);
  console.log(
    `${'stage'.padEnd(40)} ${'µs/op'.padStart(8)} ${'ops/s'.padStart(10)} ${'n'.padStart(8)}`,
  );
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(40)} ${row.microsPerOp.toFixed(2).padStart(8)} ${String(row.opsPerSecond).padStart(10)} ${String(row.iterations).padStart(8)}`,
    );
  }
  if (!redisUrl) console.log('\n(Redis rows skipped: set REDIS_URL)');
}

await main();
