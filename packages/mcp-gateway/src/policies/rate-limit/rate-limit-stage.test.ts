import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.js';
import { createMemoryRateLimitStore } from '../../stores/memory-rate-limit-store.js';
import { createRedisRateLimitStore } from '../../stores/redis-rate-limit-store.js';
import type { RateLimitStore } from '../../stores/types.js';
import { noopPolicyMetrics } from '../metrics.js';
import {
  type ContextInit,
  createCountingNext,
  createManualClock,
  createTestContext,
} from '../test-context.js';
import { createRateLimitStage } from './rate-limit-stage.js';

async function attempt(
  stage: ReturnType<typeof createRateLimitStage>,
  init: ContextInit = {},
): Promise<{ allowed: boolean; headers: Headers; error?: GatewayError }> {
  const context = createTestContext(init);
  try {
    await stage.handle(context, createCountingNext());
    return { allowed: true, headers: context.responseHeaders };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { allowed: false, headers: context.responseHeaders, error };
  }
}

describe('createRateLimitStage (memory store)', () => {
  it('allows a burst of `points`, then 429 with Retry-After, and refills with time', async () => {
    const clock = createManualClock();
    const stage = createRateLimitStage({
      store: createMemoryRateLimitStore(),
      limits: { default: { points: 5, durationSeconds: 10 } },
      clock,
    });
    for (let index = 0; index < 5; index++) {
      const result = await attempt(stage);
      expect(result.allowed).toBe(true);
      expect(result.headers.get('RateLimit-Remaining')).toBe(String(4 - index));
      expect(result.headers.get('RateLimit-Limit')).toBe('5');
    }
    const refused = await attempt(stage);
    expect(refused.allowed).toBe(false);
    expect(refused.error?.code).toBe('rate_limited');
    expect(refused.error?.status).toBe(429);
    expect(refused.error?.retryAfter).toBe(2);
    expect(refused.error?.data).toMatchObject({ retryAfter: 2 });
    expect(refused.headers.get('Retry-After')).toBe('2');
    expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
    expect(refused.headers.get('RateLimit-Reset')).toBe('10');
    expect(refused.headers.get('RateLimit-Policy')).toBe('5;w=10');

    clock.advance(1999);
    expect((await attempt(stage)).allowed).toBe(false);
    clock.advance(1);
    expect((await attempt(stage)).allowed).toBe(true);
    expect((await attempt(stage)).allowed).toBe(false);
    clock.advance(10_000);
    const full = await attempt(stage);
    expect(full.headers.get('RateLimit-Remaining')).toBe('4');
  });

  it('keeps principals apart and charges the API key bucket too', async () => {
    const clock = createManualClock();
    const stage = createRateLimitStage({
      store: createMemoryRateLimitStore(),
      limits: {
        default: { points: 2, durationSeconds: 60 },
        apiKey: { points: 3, durationSeconds: 60 },
      },
      clock,
    });
    // a trusted key acting for several users: each user has 2, the key 3 in all
    const onBehalf = (id: string) => ({ principal: { id, keyId: 'dashboard-key' } });
    expect((await attempt(stage, onBehalf('alice'))).allowed).toBe(true);
    expect((await attempt(stage, onBehalf('alice'))).allowed).toBe(true);
    expect((await attempt(stage, onBehalf('alice'))).allowed).toBe(false);
    const last = await attempt(stage, onBehalf('bob'));
    expect(last.allowed).toBe(true);
    // the tightest bucket (the key, 0 left) speaks in the headers
    expect(last.headers.get('RateLimit-Limit')).toBe('3');
    expect(last.headers.get('RateLimit-Remaining')).toBe('0');
    const refused = await attempt(stage, onBehalf('bob'));
    expect(refused.allowed).toBe(false);
    expect(refused.error?.retryAfter).toBe(20);
    // bob's own bucket was not charged by the refusal
    expect((await attempt(stage, { principal: { id: 'bob' } })).allowed).toBe(true);
    expect((await attempt(stage, { principal: { id: 'carol' } })).allowed).toBe(true);
  });

  it('applies per-server rules, tool costs and tool buckets', async () => {
    const clock = createManualClock();
    const stage = createRateLimitStage({
      store: createMemoryRateLimitStore(),
      limits: {
        default: { points: 100, durationSeconds: 60 },
        servers: { billy: { points: 10, durationSeconds: 60 } },
        tools: {
          'billy/create_invoice': { cost: 5 },
          'database/export': { points: 1, durationSeconds: 3600 },
          'billy/huge': { cost: 11 },
        },
      },
      clock,
    });
    const create = { server: 'billy', tool: 'create_invoice' };
    expect((await attempt(stage, create)).allowed).toBe(true);
    const second = await attempt(stage, create);
    expect(second.headers.get('RateLimit-Remaining')).toBe('0');
    expect((await attempt(stage, { server: 'billy', tool: 'list_invoices' })).allowed).toBe(false);
    // other servers use the default bucket
    expect((await attempt(stage, { server: 'knowledge', tool: 'search' })).allowed).toBe(true);
    expect((await attempt(stage, { server: 'database', tool: 'export' })).allowed).toBe(true);
    expect((await attempt(stage, { server: 'database', tool: 'export' })).allowed).toBe(false);
    expect((await attempt(stage, { server: 'database', tool: 'query' })).allowed).toBe(true);
    clock.advance(3600_000);
    const huge = await attempt(stage, { server: 'billy', tool: 'huge' });
    expect(huge.error?.message).toMatch(/costs 11/);
  });

  it('counts refusals and rejects invalid rules', async () => {
    const limited: string[] = [];
    const stage = createRateLimitStage({
      store: createMemoryRateLimitStore(),
      limits: { default: { points: 1, durationSeconds: 1 } },
      clock: createManualClock(),
      metrics: { ...noopPolicyMetrics, rateLimited: (server) => limited.push(server) },
    });
    await attempt(stage);
    await attempt(stage);
    expect(limited).toEqual(['billy']);
    expect(() =>
      createRateLimitStage({
        store: createMemoryRateLimitStore(),
        limits: { default: { points: 0, durationSeconds: 1 } },
      }),
    ).toThrow(TypeError);
  });

  it('fails open or closed on a failing store, logged and counted', async () => {
    const broken: RateLimitStore = { consume: () => Promise.reject(new Error('boom')) };
    const hanging: RateLimitStore = { consume: () => new Promise(() => {}) };
    const failures: string[] = [];
    const logs: string[] = [];
    const shared = {
      limits: { default: { points: 1, durationSeconds: 1 } },
      clock: createManualClock(),
      metrics: {
        ...noopPolicyMetrics,
        storeFailure: (_store: string, mode: string) => failures.push(mode),
      },
      logger: {
        info() {},
        warn() {},
        error: (_object: unknown, message: string) => logs.push(message),
      },
      timeoutMs: 20,
    };
    const open = createRateLimitStage({ ...shared, store: broken, failMode: 'open' });
    expect((await attempt(open)).allowed).toBe(true);
    const closed = createRateLimitStage({ ...shared, store: hanging, failMode: 'closed' });
    const refused = await attempt(closed);
    expect(refused.error?.status).toBe(503);
    expect(refused.error?.retryAfter).toBe(1);
    expect(failures).toEqual(['open', 'closed']);
    expect(logs).toHaveLength(2);
  });
});

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('createRateLimitStage (Redis; needs REDIS_URL)', () => {
  const prefix = `tekup-test:rl:${crypto.randomUUID()}:`;
  const admin = redisUrl ? new Redis(redisUrl) : undefined;

  afterAll(async () => {
    if (!admin) return;
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it('two gateway instances sharing Redis enforce one limit together (exact count)', async () => {
    const failures: string[] = [];
    const clock = createManualClock(Date.now());
    const stores = [
      createRedisRateLimitStore({ url: redisUrl, prefix }),
      createRedisRateLimitStore({ url: redisUrl, prefix }),
    ];
    const [first, second] = stores.map((store) =>
      createRateLimitStage({
        store,
        limits: { default: { points: 25, durationSeconds: 60 } },
        clock,
        failMode: 'closed',
        metrics: { ...noopPolicyMetrics, storeFailure: () => failures.push('failure') },
      }),
    ) as [ReturnType<typeof createRateLimitStage>, ReturnType<typeof createRateLimitStage>];
    try {
      const principal = { principal: { id: `user-${crypto.randomUUID()}` } };
      const results = await Promise.all(
        Array.from({ length: 60 }, (_unused, index) =>
          attempt(index % 2 ? first : second, principal),
        ),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(25);
      expect(results.filter((result) => result.error?.code === 'rate_limited')).toHaveLength(35);
      clock.advance(60_000 / 25);
      expect((await attempt(first, principal)).allowed).toBe(true);
      expect((await attempt(second, principal)).allowed).toBe(false);
      clock.advance(60_000);
      const remaining = await attempt(second, principal);
      expect(remaining.headers.get('RateLimit-Remaining')).toBe('24');
      expect(failures).toEqual([]);
    } finally {
      await Promise.all([first.close?.(), second.close?.()]);
    }
  });

  it('spends user and API-key buckets together, atomically, across instances', async () => {
    const clock = createManualClock(Date.now());
    const limits = {
      default: { points: 15, durationSeconds: 60 },
      apiKey: { points: 40, durationSeconds: 60 },
    };
    const stages = [0, 1].map(() =>
      createRateLimitStage({
        store: createRedisRateLimitStore({ url: redisUrl, prefix }),
        limits,
        clock,
        failMode: 'closed',
      }),
    );
    try {
      const keyId = `key-${crypto.randomUUID()}`;
      const users = ['u1', 'u2', 'u3'].map((name) => `${name}-${crypto.randomUUID()}`);
      const results = await Promise.all(
        Array.from({ length: 60 }, async (_unused, index) => {
          const id = users[index % 3] as string;
          const stage = stages[index % 2] as ReturnType<typeof createRateLimitStage>;
          return { id, ...(await attempt(stage, { principal: { id, keyId } })) };
        }),
      );
      const allowed = results.filter((result) => result.allowed);
      expect(allowed).toHaveLength(40);
      for (const id of users) {
        expect(allowed.filter((result) => result.id === id).length).toBeLessThanOrEqual(15);
      }
      expect(results.filter((result) => result.error?.status === 503)).toHaveLength(0);
    } finally {
      await Promise.all(stages.map((stage) => stage.close?.()));
    }
  });

  it('charges costs atomically across instances', async () => {
    const clock = createManualClock(Date.now());
    const limits = {
      default: { points: 20, durationSeconds: 60 },
      tools: { 'billy/create_invoice': { cost: 3 } },
    };
    const stages = [0, 1].map(() =>
      createRateLimitStage({
        store: createRedisRateLimitStore({ url: redisUrl, prefix }),
        limits,
        clock,
        failMode: 'closed',
      }),
    );
    try {
      const principal = { id: `user-${crypto.randomUUID()}` };
      const results = await Promise.all(
        Array.from({ length: 20 }, (_unused, index) =>
          attempt(stages[index % 2] as ReturnType<typeof createRateLimitStage>, {
            principal,
            tool: 'create_invoice',
          }),
        ),
      );
      // floor(20 / 3) calls fit
      expect(results.filter((result) => result.allowed)).toHaveLength(6);
    } finally {
      await Promise.all(stages.map((stage) => stage.close?.()));
    }
  });
});

describe('createRateLimitStage (Redis unreachable)', () => {
  it('fails open or closed quickly, never crashing or hanging', async () => {
    // Port 1 is never listening here: connections are refused at once.
    const failures: string[] = [];
    const make = (failMode: 'open' | 'closed') =>
      createRateLimitStage({
        store: createRedisRateLimitStore({
          url: 'redis://127.0.0.1:1',
          prefix: 'x:',
          commandTimeoutMs: 100,
        }),
        limits: { default: { points: 1, durationSeconds: 60 } },
        failMode,
        timeoutMs: 300,
        metrics: { ...noopPolicyMetrics, storeFailure: (_store, mode) => failures.push(mode) },
      });
    const open = make('open');
    const closed = make('closed');
    try {
      const started = performance.now();
      for (let index = 0; index < 3; index++) {
        expect((await attempt(open)).allowed).toBe(true);
        const refused = await attempt(closed);
        expect(refused.error?.code).toBe('rate_limited');
        expect(refused.error?.status).toBe(503);
      }
      expect(performance.now() - started).toBeLessThan(3000);
      expect(failures).toEqual(['open', 'closed', 'open', 'closed', 'open', 'closed']);
    } finally {
      await Promise.all([open.close?.(), closed.close?.()]);
    }
  });
});
