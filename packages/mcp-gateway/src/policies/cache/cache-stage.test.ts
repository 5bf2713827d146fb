import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.js';
import type { Next, RequestContext } from '../../pipeline/types.js';
import { createMemoryCacheStore } from '../../stores/memory-cache-store.js';
import { createRedisCacheStore } from '../../stores/redis-cache-store.js';
import type { CacheStore } from '../../stores/types.js';
import { noopPolicyMetrics } from '../metrics.js';
import {
  type ContextInit,
  createCountingNext,
  createManualClock,
  createTestContext,
  destructiveSafety,
} from '../test-context.js';
import { defaultCacheTtlSeconds as defaultTtlSeconds } from '../../config/defaults.js';
import { cacheMetaKey, createCacheStage } from './cache-stage.js';

type CacheStage = ReturnType<typeof createCacheStage>;

function counter(): Next & { calls: number } {
  return createCountingNext((context) => ({
    content: [{ type: 'text', text: `answer ${JSON.stringify(context.params?.arguments)}` }],
  }));
}

async function call(stage: CacheStage, next: Next, init: ContextInit = {}) {
  const context = createTestContext({ server: 'knowledge', tool: 'search', ...init });
  const result = await stage.handle(context, next);
  return { result, context };
}

describe('createCacheStage (memory store)', () => {
  it('uses the server TTL the gateway resolved, else the plan TTLs', async () => {
    const clock = createManualClock();
    const stage = createCacheStage({ store: createMemoryCacheStore(), clock });
    const next = counter();
    const withConfig = () =>
      ({
        ...createTestContext({ server: 'billy', tool: 'list_invoices' }),
        serverConfig: { cacheTtlSeconds: 5 },
      }) as unknown as RequestContext;
    await stage.handle(withConfig(), next);
    clock.advance(4_999);
    await stage.handle(withConfig(), next);
    expect(next.calls).toBe(1);
    clock.advance(1);
    await stage.handle(withConfig(), next);
    expect(next.calls).toBe(2);
    expect(defaultTtlSeconds('knowledge')).toBe(900);
    expect(defaultTtlSeconds('database')).toBe(300);
    expect(defaultTtlSeconds('code-intelligence')).toBe(1800);
    expect(defaultTtlSeconds('billy')).toBe(60);
  });

  it('serves hits until the TTL by the injected clock, keyed by canonical arguments', async () => {
    const clock = createManualClock();
    const stage = createCacheStage({ store: createMemoryCacheStore(), clock });
    const next = counter();
    const first = await call(stage, next, { arguments: { q: 'vat', page: 1 } });
    expect(first.context.outcome.cache).toBe('miss');
    clock.advance(899_999);
    const second = await call(stage, next, { arguments: { page: 1, q: 'vat' } });
    expect(second.context.outcome.cache).toBe('hit');
    expect(second.result).toEqual(first.result);
    expect(second.result).not.toBe(first.result);
    expect(next.calls).toBe(1);
    await call(stage, next, { arguments: { q: 'vat', page: 2 } });
    expect(next.calls).toBe(2);
    clock.advance(1);
    const expired = await call(stage, next, { arguments: { q: 'vat', page: 1 } });
    expect(expired.context.outcome.cache).toBe('miss');
    expect(next.calls).toBe(3);
  });

  it('keeps tenants apart by default and honours a custom scope', async () => {
    const stage = createCacheStage({ store: createMemoryCacheStore(), clock: createManualClock() });
    const next = counter();
    await call(stage, next, { principal: { tenantId: 'acme' } });
    await call(stage, next, { principal: { tenantId: 'acme', id: 'someone-else' } });
    expect(next.calls).toBe(1);
    await call(stage, next, { principal: { tenantId: 'globex' } });
    expect(next.calls).toBe(2);

    const perUser = createCacheStage({
      store: createMemoryCacheStore(),
      clock: createManualClock(),
      scope: (context) => `user:${context.principal.id}`,
    });
    await call(perUser, next, { principal: { id: 'a' } });
    await call(perUser, next, { principal: { id: 'b' } });
    await call(perUser, next, { principal: { id: 'a' } });
    expect(next.calls).toBe(4);
  });

  it('shares one upstream call among 50 identical concurrent misses', async () => {
    const stage = createCacheStage({ store: createMemoryCacheStore(), clock: createManualClock() });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const upstreamEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const next = createCountingNext(async () => {
      entered();
      await gate;
      return { content: [{ type: 'text', text: 'slow' }] };
    });
    const pending = Array.from({ length: 50 }, () => call(stage, next, { arguments: { q: 'x' } }));
    await upstreamEntered;
    // One macrotask turn: every caller has finished its (promise-only) lookup and joined.
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const results = await Promise.all(pending);
    expect(next.calls).toBe(1);
    const outcomes = results.map(({ context }) => context.outcome.cache);
    expect(outcomes.filter((outcome) => outcome === 'miss')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'hit')).toHaveLength(49);
    // every caller gets its own copy
    expect(new Set(results.map(({ result }) => result)).size).toBe(50);
  });

  it('shares a failure among concurrent callers and then retries', async () => {
    const stage = createCacheStage({ store: createMemoryCacheStore(), clock: createManualClock() });
    let fail: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      fail = resolve;
    });
    let entered: () => void = () => {};
    const upstreamEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const failing = createCountingNext(async () => {
      entered();
      await gate;
      throw new GatewayError('upstream_error', 'bad');
    });
    const settled = Promise.allSettled(Array.from({ length: 5 }, () => call(stage, failing)));
    await upstreamEntered;
    await new Promise((resolve) => setImmediate(resolve));
    fail();
    const results = await settled;
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(failing.calls).toBe(1);
    await expect(call(stage, failing)).rejects.toThrow('bad');
    expect(failing.calls).toBe(2);
  });

  it('never caches errors, isError results, destructive or non-read-only tools', async () => {
    const stage = createCacheStage({ store: createMemoryCacheStore(), clock: createManualClock() });
    const toolError = createCountingNext(() => ({ content: [], isError: true }));
    await call(stage, toolError);
    await call(stage, toolError);
    expect(toolError.calls).toBe(2);

    const thrown = createCountingNext(() => {
      throw new GatewayError('upstream_error', 'nope');
    });
    await expect(call(stage, thrown, { tool: 'other' })).rejects.toThrow('nope');
    await expect(call(stage, thrown, { tool: 'other' })).rejects.toThrow('nope');
    expect(thrown.calls).toBe(2);

    const writes = counter();
    for (const safety of [destructiveSafety, { ...destructiveSafety, destructive: false }]) {
      const first = await call(stage, writes, { tool: 'write', safety });
      await call(stage, writes, { tool: 'write', safety });
      expect(first.context.outcome.cache).toBeUndefined();
    }
    expect(writes.calls).toBe(4);

    const listNext = createCountingNext(() => ({ tools: [] }));
    await call(stage, listNext, { method: 'tools/list' });
    await call(stage, listNext, { method: 'tools/list' });
    expect(listNext.calls).toBe(2);
  });

  it('serves stale results marked in _meta when every instance is down, within the grace', async () => {
    const clock = createManualClock();
    const stage = createCacheStage({
      store: createMemoryCacheStore(),
      clock,
      ttlSeconds: () => 60,
      staleIfErrorSeconds: 600,
    });
    await call(
      stage,
      createCountingNext(() => ({ content: [], _meta: { trace: 't1' } })),
    );
    clock.advance(90_000);
    const down = createCountingNext(() => {
      throw new GatewayError('upstream_unavailable', 'all instances down');
    });
    const stale = await call(stage, down);
    expect(stale.context.outcome.cache).toBe('stale');
    expect(stale.result._meta).toEqual({
      trace: 't1',
      [cacheMetaKey]: { stale: true, ageSeconds: 90 },
    });
    expect(down.calls).toBe(1);

    const timeout = createCountingNext(() => {
      throw new GatewayError('upstream_timeout', 'slow');
    });
    expect((await call(stage, timeout)).context.outcome.cache).toBe('stale');

    const otherError = createCountingNext(() => {
      throw new GatewayError('invalid_request', 'answered with an error');
    });
    await expect(call(stage, otherError)).rejects.toThrow('answered with an error');

    clock.advance(600_000);
    await expect(call(stage, down)).rejects.toThrow('all instances down');
  });

  it('bypasses the lookup on request but refreshes the entry', async () => {
    const clock = createManualClock();
    const stage = createCacheStage({ store: createMemoryCacheStore(), clock });
    let version = 0;
    const next = createCountingNext(() => ({ content: [{ type: 'text', text: `v${++version}` }] }));
    await call(stage, next);
    const bypassed = await call(stage, next, { bypassCache: true });
    expect(bypassed.context.outcome.cache).toBe('bypass');
    expect(next.calls).toBe(2);
    const after = await call(stage, next);
    expect(after.context.outcome.cache).toBe('hit');
    expect(after.result).toEqual({ content: [{ type: 'text', text: 'v2' }] });
  });

  it('invalidates one server on tools/list_changed', async () => {
    const stage = createCacheStage({ store: createMemoryCacheStore(), clock: createManualClock() });
    const next = counter();
    await call(stage, next, { server: 'knowledge' });
    await call(stage, next, { server: 'database', tool: 'query' });
    await stage.onToolsChanged?.('knowledge');
    expect((await call(stage, next, { server: 'knowledge' })).context.outcome.cache).toBe('miss');
    expect(
      (await call(stage, next, { server: 'database', tool: 'query' })).context.outcome.cache,
    ).toBe('hit');
  });

  it('answers without cache when the store fails, and counts it', async () => {
    const failures: string[] = [];
    const broken: CacheStore = {
      get: () => Promise.reject(new Error('down')),
      set: () => Promise.reject(new Error('down')),
      invalidate: () => new Promise(() => {}),
    };
    const stage = createCacheStage({
      store: broken,
      clock: createManualClock(),
      timeoutMs: 20,
      metrics: { ...noopPolicyMetrics, storeFailure: (store) => failures.push(store) },
    });
    const next = counter();
    expect((await call(stage, next)).context.outcome.cache).toBe('miss');
    await expect(stage.onToolsChanged?.('knowledge')).rejects.toThrow(GatewayError);
    expect(failures).toEqual(['redis-cache', 'redis-cache']);
  });

  it('bounds the memory store by bytes', async () => {
    const store = createMemoryCacheStore({ maxBytes: 10_000 });
    const stage = createCacheStage({ store, clock: createManualClock() });
    const big = createCountingNext((context: RequestContext) => ({
      content: [
        { type: 'text', text: `${JSON.stringify(context.params?.arguments)}${'x'.repeat(1000)}` },
      ],
    }));
    for (let index = 0; index < 50; index++) await call(stage, big, { arguments: { index } });
    expect(store.size()).toBeLessThanOrEqual(10_000);
    expect((await call(stage, big, { arguments: { index: 49 } })).context.outcome.cache).toBe(
      'hit',
    );
    expect((await call(stage, big, { arguments: { index: 0 } })).context.outcome.cache).toBe(
      'miss',
    );
  });
});

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('createCacheStage (Redis; needs REDIS_URL)', () => {
  const prefix = `tekup-test:cache:${crypto.randomUUID()}:`;
  const admin = redisUrl ? new Redis(redisUrl) : undefined;

  afterAll(async () => {
    if (!admin) return;
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it('two gateway instances share entries and invalidation', async () => {
    const clock = createManualClock(Date.now());
    const first = createCacheStage({
      store: createRedisCacheStore({ url: redisUrl, prefix }),
      clock,
    });
    const second = createCacheStage({
      store: createRedisCacheStore({ url: redisUrl, prefix }),
      clock,
    });
    try {
      const next = counter();
      const miss = await call(first, next, { arguments: { q: 'shared' } });
      const hit = await call(second, next, { arguments: { q: 'shared' } });
      expect(miss.context.outcome.cache).toBe('miss');
      expect(hit.context.outcome.cache).toBe('hit');
      expect(hit.result).toEqual(miss.result);
      expect(next.calls).toBe(1);

      await first.onToolsChanged?.('knowledge');
      expect((await call(second, next, { arguments: { q: 'shared' } })).context.outcome.cache).toBe(
        'miss',
      );
      expect(next.calls).toBe(2);

      clock.advance(900_000 + 5_000);
      const down = createCountingNext(() => {
        throw new GatewayError('upstream_unavailable', 'down');
      });
      const stale = await call(first, down, { arguments: { q: 'shared' } });
      expect(stale.context.outcome.cache).toBe('stale');
      expect(stale.result._meta).toEqual({ [cacheMetaKey]: { stale: true, ageSeconds: 905 } });
    } finally {
      await Promise.all([first.close?.(), second.close?.()]);
    }
  });
});

describe('createCacheStage (Redis unreachable)', () => {
  it('answers from upstream without hanging', async () => {
    const failures: string[] = [];
    const stage = createCacheStage({
      store: createRedisCacheStore({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 100 }),
      clock: createManualClock(),
      metrics: { ...noopPolicyMetrics, storeFailure: (store) => failures.push(store) },
    });
    try {
      const next = counter();
      const started = performance.now();
      for (let index = 0; index < 3; index++) {
        expect((await call(stage, next)).context.outcome.cache).toBe('miss');
      }
      expect(performance.now() - started).toBeLessThan(2000);
      expect(next.calls).toBe(3);
      expect(failures.length).toBeGreaterThanOrEqual(3);
    } finally {
      await stage.close?.();
    }
  });
});

const stores: [string, () => CacheStore][] = [
  ['memory', () => createMemoryCacheStore()],
  ...(redisUrl
    ? ([
        [
          'Redis',
          () =>
            createRedisCacheStore({
              url: redisUrl,
              prefix: `tekup-test:w:${crypto.randomUUID()}:`,
            }),
        ],
      ] as [string, () => CacheStore][])
    : []),
];

describe.each(stores)('writes and tenants (%s store)', (_name, createStore) => {
  const writeSafety = { ...destructiveSafety, destructive: false };
  const feeds = { cacheTtlSeconds: 60, invalidates: ['database'] };

  it("a write invalidates the writer's organization's reads of the server and of the servers it feeds", async () => {
    const store = createStore();
    const stage = createCacheStage({ store, clock: createManualClock(Date.now()) });
    const next = counter();
    const read = async (server: string, tenantId: string) => {
      await stage.handle(
        {
          ...createTestContext({ server, tool: 'list', principal: { tenantId } }),
          serverConfig: feeds,
        } as unknown as RequestContext,
        next,
      );
      return next.calls;
    };
    await read('billy', 'acme');
    await read('database', 'acme');
    await read('billy', 'globex');
    expect(next.calls).toBe(3);
    expect(await read('billy', 'acme')).toBe(3);
    await stage.handle(
      {
        ...createTestContext({
          server: 'billy',
          tool: 'create_invoice',
          safety: writeSafety,
          principal: { tenantId: 'acme' },
        }),
        serverConfig: feeds,
      } as unknown as RequestContext,
      next,
    );
    expect(next.calls).toBe(4);
    expect(await read('billy', 'acme')).toBe(5);
    expect(await read('database', 'acme')).toBe(6);
    // The other organization's entries stay warm: its data did not change.
    expect(await read('billy', 'globex')).toBe(6);
    await stage.close?.();
  });

  it('never shares an entry between principals without a tenant', async () => {
    const stage = createCacheStage({ store: createStore(), clock: createManualClock(Date.now()) });
    const next = counter();
    await call(stage, next, { principal: { id: 'svc-a', kind: 'service', tenantId: undefined } });
    await call(stage, next, { principal: { id: 'svc-b', kind: 'service', tenantId: undefined } });
    expect(next.calls).toBe(2);
    await stage.close?.();
  });

  it('invalidates after a write whose outcome is unknown, not after a refusal', async () => {
    const stage = createCacheStage({ store: createStore(), clock: createManualClock(Date.now()) });
    const next = counter();
    const write = (error: GatewayError) =>
      stage
        .handle(
          createTestContext({
            server: 'knowledge',
            tool: 'create',
            safety: writeSafety,
            principal: { tenantId: 'acme' },
          }),
          createCountingNext(() => {
            throw error;
          }),
        )
        .catch(() => undefined);
    await call(stage, next, { principal: { tenantId: 'acme' } });
    await write(new GatewayError('forbidden', 'no'));
    await call(stage, next, { principal: { tenantId: 'acme' } });
    expect(next.calls).toBe(1);
    await write(new GatewayError('upstream_error', 'died mid-call'));
    await call(stage, next, { principal: { tenantId: 'acme' } });
    expect(next.calls).toBe(2);
    await stage.close?.();
  });
});
