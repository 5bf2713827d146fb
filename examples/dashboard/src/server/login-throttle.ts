import 'server-only';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { ApiError } from './http';
import { redis } from './redis';

/** Failures that pass free; after these, each one doubles the wait, up to `MAX_LOCK_SECONDS`. */
const FREE_FAILURES = { account: 5, client: 20 };
const MAX_LOCK_SECONDS = 15 * 60;
/** A failure is forgotten after an hour without another. */
const FAILURE_WINDOW_SECONDS = 60 * 60;

interface Limiters {
  failures: RateLimiterAbstract;
  locks: RateLimiterAbstract;
}

const globalState = globalThis as typeof globalThis & { __tekupLoginLimiters?: Limiters };

/** Counters and locks in Redis when configured (shared by every instance), else in process. */
function limiters(): Limiters {
  if (!globalState.__tekupLoginLimiters) {
    const client = redis();
    const make = (keyPrefix: string, points: number, duration: number) =>
      client
        ? new RateLimiterRedis({
            storeClient: client,
            keyPrefix,
            points,
            duration,
            useRedisPackage: false,
          })
        : new RateLimiterMemory({ keyPrefix, points, duration });
    globalState.__tekupLoginLimiters = {
      failures: make('tekup:login-failures', 1_000_000, FAILURE_WINDOW_SECONDS),
      locks: make('tekup:login-lock', 1, 1),
    };
  }
  return globalState.__tekupLoginLimiters;
}

/** Who is signing in: the account and the client (for per-client limits). */
export interface LoginAttempt {
  email: string;
  client: string;
}

const keys = (attempt: LoginAttempt) => ({
  account: `account:${attempt.email.trim().toLowerCase()}`,
  client: `client:${attempt.client}`,
});

/**
 * The client address for throttling: with `TEKUP_TRUSTED_PROXY_HOPS` proxies in front, the
 * entry they appended to `X-Forwarded-For`; without, the first entry (Next writes the peer's
 * address there when the client sent none — a client that sends one picks its own key, which
 * the per-account limit does not depend on).
 */
export function clientAddress(request: Request): string {
  const hops = Number(process.env.TEKUP_TRUSTED_PROXY_HOPS ?? 0);
  const entries = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const address = hops > 0 ? entries[entries.length - hops] : entries[0];
  return address ?? 'unknown';
}

/**
 * Refuses the attempt with 429 + Retry-After while the account or the client is locked out
 * after repeated failures. A throttle store outage lets sign-in through (logged).
 */
export async function assertLoginAllowed(attempt: LoginAttempt): Promise<void> {
  const { locks } = limiters();
  const { account, client } = keys(attempt);
  let waits: number[];
  try {
    const states = await Promise.all([locks.get(account), locks.get(client)]);
    waits = states.map((state) =>
      state && state.consumedPoints > 1 ? Math.ceil(state.msBeforeNext / 1000) : 0,
    );
  } catch (error) {
    console.warn('login throttle unavailable', error instanceof Error ? error.message : error);
    return;
  }
  const wait = Math.max(...waits);
  if (wait > 0) {
    throw new ApiError(
      'rate_limited',
      'Too many failed sign-ins. Wait a moment before trying again.',
      wait,
    );
  }
}

/** Counts a failed attempt and locks the account or client out for a doubling time past the free ones. */
export async function recordLoginFailure(attempt: LoginAttempt): Promise<void> {
  const { failures, locks } = limiters();
  const { account, client } = keys(attempt);
  try {
    const [byAccount, byClient] = await Promise.all([
      failures.penalty(account, 1),
      failures.penalty(client, 1),
    ]);
    const lock = async (key: string, count: number, free: number) => {
      if (count < free) return;
      await locks.block(key, Math.min(MAX_LOCK_SECONDS, 2 ** (count - free)));
    };
    await Promise.all([
      lock(account, byAccount.consumedPoints, FREE_FAILURES.account),
      lock(client, byClient.consumedPoints, FREE_FAILURES.client),
    ]);
  } catch (error) {
    if (error instanceof RateLimiterRes) return;
    console.warn('login throttle unavailable', error instanceof Error ? error.message : error);
  }
}

/** A successful sign-in clears the account's failures (the client's stay counted). */
export async function recordLoginSuccess(attempt: LoginAttempt): Promise<void> {
  const { failures } = limiters();
  await failures.delete(keys(attempt).account).catch(() => false);
}
