/**
 * GCRA buckets in Redis, decided by one Lua script so every gateway instance
 * sharing the Redis enforces one limit together.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { POLICY_DEFAULTS } from '../config/defaults.js';
import { summarizeGcra } from './memory-rate-limit-store.js';
import type { RateLimitStore } from './types.js';

// KEYS: buckets. ARGV: now, cost, then per bucket its interval (ms per point)
// and duration. All buckets are checked first and charged only when all
// allow, so a per-user and a per-key bucket move together. Returns the
// allowed flag, the retry delay and every bucket's TAT after the request, as
// strings: Redis would truncate Lua floats to integers.
const gcraScript = `
local now = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local tats = {}
local increments = {}
local retry = 0
for index, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[1 + index * 2])
  local duration = tonumber(ARGV[2 + index * 2])
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat < now then tat = now end
  tats[index] = tat
  increments[index] = interval * cost
  local allowAt = tat + increments[index] - duration
  if allowAt > now and allowAt - now > retry then retry = allowAt - now end
end
local reply = {0, tostring(retry)}
if retry == 0 then
  reply[1] = 1
  for index, key in ipairs(KEYS) do
    tats[index] = tats[index] + increments[index]
    redis.call('SET', key, tostring(tats[index]), 'PX', math.ceil(tats[index] - now) + 1)
  end
end
for index = 1, #KEYS do reply[index + 2] = tostring(tats[index]) end
return reply
`;

/** Options for {@link createRedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** A Redis URL; the store creates (and closes) its own client with bounded timeouts. */
  url?: string;
  /** Or a shared client; the caller closes it. */
  client?: Redis;
  /** Key prefix, e.g. `tekup:rl:`. @default 'tekup:rl:' */
  prefix?: string;
  /** Per-command timeout of a client the store creates. @default 250 */
  commandTimeoutMs?: number;
}

/**
 * ioredis options with bounded waits: commands queued while (re)connecting
 * are failed after the first failed connection attempt
 * (`maxRetriesPerRequest: 0`) and sent ones time out after
 * `commandTimeoutMs`, so a policy stage never hangs on Redis.
 */
export function boundedRedisOptions(
  commandTimeoutMs: number = POLICY_DEFAULTS.storeTimeoutMs,
): RedisOptions {
  return {
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(1000, commandTimeoutMs * 4),
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
}

type GcraClient = Redis & {
  tekupGcra(...args: (string | number)[]): Promise<[number, string, ...string[]]>;
};

/**
 * A {@link RateLimitStore} in Redis. Time comes from the caller's clock (the
 * stage's), so instances should run NTP-synced clocks; a skew of `s` ms shifts
 * a bucket by at most `s` ms.
 */
export function createRedisRateLimitStore(options: RedisRateLimitStoreOptions): RateLimitStore {
  const owned = options.client === undefined;
  const client = (options.client ??
    new Redis(
      options.url ?? 'redis://127.0.0.1:6379',
      boundedRedisOptions(options.commandTimeoutMs),
    )) as GcraClient;
  // ioredis emits 'error' on every failed reconnect; without a listener Node would crash.
  if (owned) client.on('error', () => {});
  if (typeof client.tekupGcra !== 'function') {
    client.defineCommand('tekupGcra', { lua: gcraScript });
  }
  const prefix = options.prefix ?? POLICY_DEFAULTS.rateLimit.redisPrefix;
  return {
    engine: 'redis',
    async consume(buckets, cost, now) {
      const [allowed, retry, ...tats] = await client.tekupGcra(
        buckets.length,
        ...buckets.map((bucket) => prefix + bucket.key),
        now,
        cost,
        ...buckets.flatMap(({ rule }) => [rule.durationMs / rule.points, rule.durationMs]),
      );
      return summarizeGcra(
        tats.map(Number),
        buckets.map((bucket) => bucket.rule),
        allowed === 1,
        Number(retry),
        now,
      );
    },
    async close() {
      if (owned) client.disconnect();
    },
  };
}
