/** A cache store in Redis, shared by every gateway instance. */
import { Redis } from 'ioredis';
import { POLICY_DEFAULTS } from '../config/defaults.js';
import { boundedRedisOptions } from './redis-rate-limit-store.js';
import type { CacheEntry, CacheStore } from './types.js';

/** Options for {@link createRedisCacheStore}. */
export interface RedisCacheStoreOptions {
  /** A Redis URL; the store creates (and closes) its own client with bounded timeouts. */
  url?: string;
  /** Or a shared client; the caller closes it. */
  client?: Redis;
  /** @default 'tekup:cache:' */
  prefix?: string;
  /** Per-command timeout of a client the store creates. @default 250 */
  commandTimeoutMs?: number;
}

// One round trip reads the server's and the scope's generation and the entry under both.
// Keys share the `{server}` hash tag, so they live in one cluster slot.
const getScript = `
local generation = (redis.call('GET', KEYS[1]) or '0') .. '.' .. (redis.call('GET', KEYS[2]) or '0')
return {generation, redis.call('GET', ARGV[1] .. generation .. ':' .. ARGV[2])}
`;

type CacheClient = Redis & {
  tekupCacheGet(
    serverGenerationKey: string,
    scopeGenerationKey: string,
    dataPrefix: string,
    key: string,
  ): Promise<[string, (string | null)?]>;
};

function encode(entry: CacheEntry): string {
  return `${entry.storedAt}:${entry.expiresAt}:${entry.body}`;
}

function decode(value: string): CacheEntry | undefined {
  const first = value.indexOf(':');
  const second = value.indexOf(':', first + 1);
  if (first < 0 || second < 0) return undefined;
  return {
    storedAt: Number(value.slice(0, first)),
    expiresAt: Number(value.slice(first + 1, second)),
    body: value.slice(second + 1),
  };
}

/**
 * A {@link CacheStore} in Redis. Entries expire physically after `retainMs`
 * (TTL + stale grace); invalidation is one `INCR` of the server's or the
 * scope's generation, whatever the number of entries.
 */
export function createRedisCacheStore(options: RedisCacheStoreOptions): CacheStore {
  const owned = options.client === undefined;
  const client = (options.client ??
    new Redis(
      options.url ?? 'redis://127.0.0.1:6379',
      boundedRedisOptions(options.commandTimeoutMs),
    )) as CacheClient;
  // ioredis emits 'error' on every failed reconnect; without a listener Node would crash.
  if (owned) client.on('error', () => {});
  if (typeof client.tekupCacheGet !== 'function') {
    client.defineCommand('tekupCacheGet', { numberOfKeys: 2, lua: getScript });
  }
  const prefix = options.prefix ?? POLICY_DEFAULTS.cache.redisPrefix;
  // Scopes are tenant or user ids; encoding keeps a ':' or '}' in one from reshaping the key.
  const generationKey = (server: string, scope?: string) =>
    `${prefix}{${server}}:generation${scope === undefined ? '' : `:${encodeURIComponent(scope)}`}`;
  const dataPrefix = (server: string, scope: string) =>
    `${prefix}{${server}}:data:${encodeURIComponent(scope)}:`;
  return {
    engine: 'redis',
    async get(server, scope, key) {
      const [generation, value] = await client.tekupCacheGet(
        generationKey(server),
        generationKey(server, scope),
        dataPrefix(server, scope),
        key,
      );
      return {
        generation,
        // A missing entry comes back as a nil that truncates Lua's reply array.
        entry: typeof value === 'string' ? decode(value) : undefined,
      };
    },
    async set(server, scope, generation, key, entry, retainMs) {
      await client.set(
        `${dataPrefix(server, scope)}${generation}:${key}`,
        encode(entry),
        'PX',
        Math.max(1, Math.ceil(retainMs)),
      );
    },
    async invalidate(server, scope) {
      await client.incr(generationKey(server, scope));
    },
    async close() {
      if (owned) client.disconnect();
    },
  };
}
