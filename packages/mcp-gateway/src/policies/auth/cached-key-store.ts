/**
 * A read-through cache in front of an {@link ApiKeyStore}, so authenticating a key costs a store
 * round trip once per key and TTL instead of once per request.
 */
import { LRUCache } from 'lru-cache';
import { type Clock, systemClock } from '../../pipeline/types.js';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-authenticator.js';

/** Options for {@link createCachedApiKeyStore}. */
export interface CachedApiKeyStoreOptions {
  /**
   * How long a looked-up record (or the absence of one) is trusted. Revocation through
   * {@link CachedApiKeyStore.invalidate} takes effect at once; a revocation this process is not
   * told of (another instance, without a shared feed) takes effect within this time.
   * @default 10000
   */
  ttlMs?: number;
  /** Records kept at most. @default 10000 */
  maxEntries?: number;
  clock?: Clock;
}

/** An {@link ApiKeyStore} with a bounded, expiring cache and explicit invalidation. */
export interface CachedApiKeyStore extends ApiKeyStore {
  /** Forgets one key (after it was revoked or changed), here and now. */
  invalidate(id: string): void;
  /** Forgets every key. */
  clear(): void;
}

type Lookup = { record: ApiKeyRecord | undefined; expiresAt: number };

/**
 * Caches `store.get` per key id, unknown ids included (so random ids cannot turn every request
 * into a store query), and shares one lookup among concurrent requests for the same id.
 *
 * @example
 * const keys = createCachedApiKeyStore(databaseKeyStore, { ttlMs: 10_000 });
 * const authenticate = createApiKeyAuthenticator({ keys });
 * // after revoking a key in the database:
 * keys.invalidate(id);
 */
export function createCachedApiKeyStore(
  store: ApiKeyStore,
  options: CachedApiKeyStoreOptions = {},
): CachedApiKeyStore {
  const ttlMs = options.ttlMs ?? 10_000;
  const clock = options.clock ?? systemClock;
  const lookups = new LRUCache<string, Lookup>({ max: options.maxEntries ?? 10_000 });
  const pending = new Map<string, Promise<ApiKeyRecord | undefined>>();
  // Bumped by every invalidation, so a lookup that started before one is not cached after it.
  let epoch = 0;

  return {
    get(id) {
      const cached = lookups.get(id);
      if (cached !== undefined && cached.expiresAt > clock.now()) return cached.record;
      const running = pending.get(id);
      if (running) return running;
      const startedIn = epoch;
      const lookup = Promise.resolve(store.get(id))
        .then((record) => {
          if (epoch === startedIn) {
            lookups.set(id, { record, expiresAt: clock.now() + ttlMs });
          }
          return record;
        })
        .finally(() => pending.delete(id));
      pending.set(id, lookup);
      return lookup;
    },
    invalidate(id) {
      lookups.delete(id);
      pending.delete(id);
      epoch += 1;
    },
    clear() {
      lookups.clear();
      pending.clear();
      epoch += 1;
    },
  };
}
