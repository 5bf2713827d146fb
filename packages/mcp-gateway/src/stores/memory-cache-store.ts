/** The embedded cache store: an LRU bounded by bytes. */
import { LRUCache } from 'lru-cache';
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
 * generation, so old entries become unreachable and age out of the LRU.
 */
export function createMemoryCacheStore(options: MemoryCacheStoreOptions = {}): CacheStore & {
  /** Bytes currently accounted. */
  size(): number;
} {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const entries = new LRUCache<string, CacheEntry>({
    maxSize: maxBytes,
    sizeCalculation: (entry, key) => entry.body.length + key.length + entryOverhead,
  });
  const generations = new Map<string, number>();
  const fullKey = (namespace: string, generation: number, key: string) =>
    `${namespace}\u0000${generation}\u0000${key}`;
  return {
    local: true,
    async get(namespace, key) {
      const generation = generations.get(namespace) ?? 0;
      return { generation, entry: entries.get(fullKey(namespace, generation, key)) };
    },
    async set(namespace, generation, key, entry) {
      if ((generations.get(namespace) ?? 0) !== generation) return;
      entries.set(fullKey(namespace, generation, key), entry);
    },
    async invalidate(namespace) {
      generations.set(namespace, (generations.get(namespace) ?? 0) + 1);
    },
    size: () => entries.calculatedSize,
  };
}
