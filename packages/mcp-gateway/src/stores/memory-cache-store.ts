/** The embedded cache store: an LRU bounded by bytes. */
import { LRUCache } from 'lru-cache';
import { POLICY_DEFAULTS } from '../config/defaults.js';
import type { CacheEntry, CacheStore } from './types.js';

/** Options for {@link createMemoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /**
   * Upper bound on the cached bodies and keys, in UTF-16 code units (about
   * bytes for ASCII JSON). Larger entries are not stored.
   * @default 67108864 (64 MiB)
   */
  maxBytes?: number;
}

/** A per-entry overhead so many tiny entries still count. */
const entryOverhead = 64;

/**
 * An in-process {@link CacheStore}. Expiry is the stage's business (it reads
 * `expiresAt` with its own clock); this store only bounds memory, evicting the
 * least recently used entries first. Invalidation bumps a per-namespace
 * generation (of the server, or of one scope of it), so old entries become unreachable and
 * age out of the LRU.
 */
export function createMemoryCacheStore(options: MemoryCacheStoreOptions = {}): CacheStore & {
  /** Bytes currently accounted. */
  size(): number;
} {
  const maxBytes = options.maxBytes ?? POLICY_DEFAULTS.cache.maxBytes;
  const entries = new LRUCache<string, CacheEntry>({
    maxSize: maxBytes,
    sizeCalculation: (entry, key) => entry.body.length + key.length + entryOverhead,
  });
  const generations = new Map<string, number>();
  const generationOf = (server: string, scope: string) =>
    `${generations.get(server) ?? 0}.${generations.get(`${server}\u0000${scope}`) ?? 0}`;
  const fullKey = (server: string, scope: string, generation: string, key: string) =>
    `${server}\u0000${scope}\u0000${generation}\u0000${key}`;
  const bump = (name: string) => generations.set(name, (generations.get(name) ?? 0) + 1);
  return {
    local: true,
    engine: 'memory',
    async get(server, scope, key) {
      const generation = generationOf(server, scope);
      return { generation, entry: entries.get(fullKey(server, scope, generation, key)) };
    },
    async set(server, scope, generation, key, entry) {
      // A write that invalidated meanwhile wins over a read that started before it.
      if (generationOf(server, scope) !== generation) return;
      entries.set(fullKey(server, scope, generation, key), entry);
    },
    async invalidate(server, scope) {
      bump(scope === undefined ? server : `${server}\u0000${scope}`);
    },
    size: () => entries.calculatedSize,
  };
}
