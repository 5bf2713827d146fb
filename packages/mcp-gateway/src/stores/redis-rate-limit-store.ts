/**
 * GCRA buckets in Redis, decided by one Lua script so every gateway instance
 * sharing the Redis enforces one limit together.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { remainingPoints } from './memory-rate-limit-store.js';
import type { RateLimitStore } from './types.js';

// KEYS: buckets. ARGV: now, interval (ms per point), durationMs, cost.
// All buckets are checked first and charged only when all allow, so a
// per-user and a per-key bucket move together. Numbers go back as strings:
// Redis would truncate Lua floats to integers.
const gcraScript = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local duration = tonumber(ARGV[3])
local increment = interval * tonumber(ARGV[4])
local tats = {}
local retry = 0
local tightest = now
for index, key in ipairs(KEYS) do
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat < now then tat = now end
  tats[index] = tat
  local allowAt = tat + increment - duration
  if allowAt > now and allowAt - now > retry then retry = allowAt - now end
  if tat > tightest then tightest = tat end
end
if retry > 0 then
  return {0, tostring(tightest), tostring(retry)}
end
tightest = now
for index, key in ipairs(KEYS) do
  local newTat = tats[index] + increment
  if newTat > tightest then tightest = newTat end
  redis.call('SET', key, tostring(newTat), 'PX', math.ceil(newTat - now) + 1)
end
return {1, tostring(tightest), '0'}
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
export function boundedRedisOptions(commandTimeoutMs = 250): RedisOptions {
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
  tekupGcra(...args: (string | number)[]): Promise<[number, string, string]>;
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
  const prefix = options.prefix ?? 'tekup:rl:';
  return {
    async consume(keys, cost, rule, now) {
      const interval = rule.durationMs / rule.points;
      const [allowed, tightest, retry] = await client.tekupGcra(
        keys.length,
        ...keys.map((key) => prefix + key),
        now,
        interval,
        rule.durationMs,
        cost,
      );
      const tat = Number(tightest);
      return {
        allowed: allowed === 1,
        limit: rule.points,
        remaining: remainingPoints(tat, rule, now),
        resetMs: Math.max(0, tat - now),
        retryAfterMs: Math.ceil(Number(retry)),
      };
    },
    async close() {
      if (owned) client.disconnect();
    },
  };
}
