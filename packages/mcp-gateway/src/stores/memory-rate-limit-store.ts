/**
 * In-process GCRA (generic cell rate algorithm) buckets: the embedded default
 * rate-limit store.
 */
import { LRUCache } from 'lru-cache';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from './types.js';

/**
 * One GCRA decision over several buckets. Each bucket's state is its
 * theoretical arrival time (TAT); a request of `cost` points moves it by
 * `cost × durationMs / points` and is allowed while the TAT stays within
 * `durationMs` of now (a burst of up to `points`). Returns the new TATs to
 * store (only when allowed) and the decision for the tightest bucket.
 */
export function decideGcra(
  tats: readonly (number | undefined)[],
  cost: number,
  rule: RateLimitRule,
  now: number,
): { decision: RateLimitDecision; newTats: number[] | undefined } {
  const interval = rule.durationMs / rule.points;
  const increment = interval * cost;
  let allowed = true;
  let retryAfterMs = 0;
  const newTats: number[] = [];
  const current: number[] = [];
  for (const stored of tats) {
    const tat = Math.max(stored ?? now, now);
    const allowAt = tat + increment - rule.durationMs;
    if (allowAt > now) {
      allowed = false;
      retryAfterMs = Math.max(retryAfterMs, allowAt - now);
    }
    current.push(tat);
    newTats.push(tat + increment);
  }
  const tightest = Math.max(now, ...(allowed ? newTats : current));
  return {
    decision: {
      allowed,
      limit: rule.points,
      remaining: remainingPoints(tightest, rule, now),
      resetMs: Math.max(0, tightest - now),
      retryAfterMs: allowed ? 0 : Math.ceil(retryAfterMs),
    },
    newTats: allowed ? newTats : undefined,
  };
}

/** Whole points a bucket with this TAT can still spend now. */
export function remainingPoints(tat: number, rule: RateLimitRule, now: number): number {
  const interval = rule.durationMs / rule.points;
  // The epsilon absorbs float error in `points × interval`.
  return Math.max(0, Math.floor((rule.durationMs - Math.max(0, tat - now)) / interval + 1e-9));
}

/** Options for {@link createMemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** Most buckets kept; the least recently used bucket is forgotten first (it starts full again). @default 100000 */
  maxBuckets?: number;
}

/**
 * An in-process {@link RateLimitStore}. Exact for one gateway instance; use
 * the Redis store to share limits between instances.
 */
export function createMemoryRateLimitStore(
  options: MemoryRateLimitStoreOptions = {},
): RateLimitStore {
  const buckets = new LRUCache<string, number>({ max: options.maxBuckets ?? 100_000 });
  return {
    local: true,
    async consume(keys, cost, rule, now) {
      const { decision, newTats } = decideGcra(
        keys.map((key) => buckets.get(key)),
        cost,
        rule,
        now,
      );
      if (newTats) {
        for (const [index, key] of keys.entries()) buckets.set(key, newTats[index] as number);
      }
      return decision;
    },
  };
}
