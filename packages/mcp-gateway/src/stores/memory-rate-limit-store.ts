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
 * store (only when every bucket allows) and the decision for the tightest
 * bucket (the one with the fewest points left, or the longest wait).
 */
function decideGcra(
  buckets: readonly { tat: number | undefined; rule: RateLimitRule }[],
  cost: number,
  now: number,
): { decision: RateLimitDecision; newTats: number[] | undefined } {
  let allowed = true;
  let retryAfterMs = 0;
  const newTats: number[] = [];
  const current: number[] = [];
  for (const { tat: stored, rule } of buckets) {
    const tat = Math.max(stored ?? now, now);
    const increment = (rule.durationMs / rule.points) * cost;
    const allowAt = tat + increment - rule.durationMs;
    if (allowAt > now) {
      allowed = false;
      retryAfterMs = Math.max(retryAfterMs, allowAt - now);
    }
    current.push(tat);
    newTats.push(tat + increment);
  }
  return {
    decision: summarizeGcra(
      allowed ? newTats : current,
      buckets.map((bucket) => bucket.rule),
      allowed,
      retryAfterMs,
      now,
    ),
    newTats: allowed ? newTats : undefined,
  };
}

/** The decision for the tightest bucket, given every bucket's TAT after the request. */
export function summarizeGcra(
  tats: readonly number[],
  rules: readonly RateLimitRule[],
  allowed: boolean,
  retryAfterMs: number,
  now: number,
): RateLimitDecision {
  let tightest = 0;
  let fewest = Number.POSITIVE_INFINITY;
  for (const [index, rule] of rules.entries()) {
    const left = remainingPoints(tats[index] ?? now, rule, now);
    if (left < fewest) {
      fewest = left;
      tightest = index;
    }
  }
  return {
    allowed,
    limit: rules[tightest]?.points ?? 0,
    remaining: Number.isFinite(fewest) ? fewest : 0,
    resetMs: Math.max(0, (tats[tightest] ?? now) - now),
    retryAfterMs: allowed ? 0 : Math.ceil(retryAfterMs),
    tightest,
  };
}

/** Whole points a bucket with this TAT can still spend now. */
function remainingPoints(tat: number, rule: RateLimitRule, now: number): number {
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
  const tats = new LRUCache<string, number>({ max: options.maxBuckets ?? 100_000 });
  return {
    local: true,
    engine: 'memory',
    async consume(requested, cost, now) {
      const { decision, newTats } = decideGcra(
        requested.map(({ key, rule }) => ({ tat: tats.get(key), rule })),
        cost,
        now,
      );
      if (newTats) {
        for (const [index, { key }] of requested.entries()) tats.set(key, newTats[index] as number);
      }
      return decision;
    },
  };
}
