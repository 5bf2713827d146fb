/**
 * A circuit breaker around an external store (Redis, Postgres), on cockatiel: after
 * `threshold` consecutive failures or timeouts the store is not called for `halfOpenAfterMs`
 * and calls fail at once; then one probe call decides whether it is back. While the store is
 * down, requests pay for one probe per interval instead of a timeout each.
 */
import { circuitBreaker, ConsecutiveBreaker, handleWhen, isBrokenCircuitError } from 'cockatiel';
import { POLICY_DEFAULTS } from '../config/defaults.js';
import { type PolicyLogger, silentLogger } from './logger.js';

/** Options of {@link createStoreBreaker}. */
export interface StoreBreakerOptions {
  /** Named in logs. */
  name: string;
  /** Consecutive failures that open the circuit. @default 3 */
  threshold?: number;
  /** How long the circuit stays open before one probe. @default 1000 */
  halfOpenAfterMs?: number;
  /** Upper bound on one call; slower answers count as failures. 0 turns it off. @default 250 */
  timeoutMs?: number;
  /** Which errors say the store is unwell (a refused row is the caller's, not the store's). @default every error */
  isFailure?: (error: unknown) => boolean;
  logger?: PolicyLogger;
}

/** Runs store calls through the breaker. */
export interface StoreBreaker {
  /** Runs `call`, or fails at once while the circuit is open. */
  run<T>(call: () => Promise<T>): Promise<T>;
  /** True while calls fail without reaching the store. */
  readonly isOpen: boolean;
}

/** The error of a call refused by an open circuit. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, name: string): Promise<T> {
  if (!(timeoutMs > 0)) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Creates a breaker for one store connection; share it between the stages that use it.
 *
 * @example
 * const redis = createStoreBreaker({ name: 'redis' });
 * const entry = await redis.run(() => store.get(server, scope, key));
 */
export function createStoreBreaker(options: StoreBreakerOptions): StoreBreaker {
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? POLICY_DEFAULTS.storeTimeoutMs;
  const policy = circuitBreaker(handleWhen(options.isFailure ?? (() => true)), {
    halfOpenAfter: options.halfOpenAfterMs ?? 1000,
    breaker: new ConsecutiveBreaker(options.threshold ?? 3),
  });
  let open = false;
  policy.onBreak(() => {
    open = true;
    logger.error({ store: options.name }, 'store unavailable; failing fast until it answers');
  });
  policy.onReset(() => {
    open = false;
    logger.info({ store: options.name }, 'store answers again');
  });
  return {
    async run(call) {
      try {
        return await policy.execute(() => withTimeout(call(), timeoutMs, options.name));
      } catch (error) {
        if (isBrokenCircuitError(error)) {
          throw new StoreUnavailableError(`${options.name} is unavailable`, { cause: error });
        }
        throw error;
      }
    },
    get isOpen() {
      return open;
    },
  };
}
