/**
 * Rate limiting per principal and per API key, with per-server and per-tool
 * rules and tool costs, over a GCRA {@link RateLimitStore}.
 */
import { POLICY_DEFAULTS } from '../../config/defaults.js';
import { GatewayError } from '../../errors.js';
import type { Clock, RequestContext, Stage } from '../../pipeline/types.js';
import { systemClock } from '../../pipeline/types.js';
import type {
  RateLimitBucket,
  RateLimitDecision,
  RateLimitRule,
  RateLimitStore,
} from '../../stores/types.js';
import { type PolicyLogger, silentLogger } from '../logger.js';
import { type PolicyMetrics, noopPolicyMetrics } from '../metrics.js';
import type { StoreBreaker } from '../store-breaker.js';

/** `points` per `durationSeconds`; a full bucket allows a burst of `points`. */
export interface RateLimitRuleConfig {
  points: number;
  durationSeconds: number;
}

/** A tool's rule: its own bucket (`points` + `durationSeconds`) and/or a cost in its server's bucket. */
export interface ToolRateLimitConfig {
  /** Points one call spends. @default 1 */
  cost?: number;
  points?: number;
  durationSeconds?: number;
}

/** Limits, keyed by server name and by `server/tool`. */
export interface RateLimits {
  default: RateLimitRuleConfig;
  /** A server with a rule gets its own bucket per principal. */
  servers?: Record<string, RateLimitRuleConfig>;
  /** @example { 'billy/create_invoice': { cost: 5 } } */
  tools?: Record<string, ToolRateLimitConfig>;
  /**
   * One more bucket per API key, across all servers and all users the key
   * acts for (a trusted dashboard key carries every signed-in user), spent
   * together with the principal's bucket. No key bucket when absent.
   */
  apiKey?: RateLimitRuleConfig;
}

/** What happens when the store cannot answer (Redis unreachable or slow). */
export type FailMode = 'open' | 'closed';

/** Options for {@link createRateLimitStage}. */
export interface RateLimitStageOptions {
  store: RateLimitStore;
  limits: RateLimits;
  /**
   * `open` lets requests through while the store is down (availability first);
   * `closed` refuses them with 503 + `Retry-After: 1` (protection first).
   * Both log and count every failure.
   * @default 'open'
   */
  failMode?: FailMode;
  /** Upper bound on one store call; slower answers count as failures. @default 500 */
  timeoutMs?: number;
  /** A circuit breaker around the store: while it is open the fail mode applies at once. */
  breaker?: StoreBreaker;
  clock?: Clock;
  metrics?: PolicyMetrics;
  logger?: PolicyLogger;
}

interface ResolvedRule {
  rule: RateLimitRule;
  scope: string;
  cost: number;
}

function toRule(config: RateLimitRuleConfig): RateLimitRule {
  if (!(config.points > 0) || !(config.durationSeconds > 0)) {
    throw new TypeError('A rate-limit rule needs points > 0 and durationSeconds > 0');
  }
  return { points: config.points, durationMs: config.durationSeconds * 1000 };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  if (!(timeoutMs > 0)) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`rate-limit store timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function setHeaders(headers: Headers, decision: RateLimitDecision, rule: RateLimitRule): void {
  // IETF draft-ietf-httpapi-ratelimit-headers: delta seconds, not a timestamp.
  headers.set('RateLimit-Limit', String(decision.limit));
  headers.set('RateLimit-Remaining', String(decision.remaining));
  headers.set('RateLimit-Reset', String(Math.ceil(decision.resetMs / 1000)));
  headers.set('RateLimit-Policy', `${rule.points};w=${Math.round(rule.durationMs / 1000)}`);
}

/**
 * The rate-limit stage. Each request spends points in the principal's bucket
 * and, when `limits.apiKey` is set and it came with an API key, in that key's
 * bucket too (both or neither). The rule is the tool's own (when it has `points`), else the
 * server's, else the default; the cost is the tool's `cost` or 1. Sets
 * `RateLimit-*` headers; refuses with `rate_limited` (429, `Retry-After`,
 * `error.data.retryAfter` in seconds).
 *
 * @example
 * createRateLimitStage({
 *   store: createMemoryRateLimitStore(),
 *   limits: { default: { points: 120, durationSeconds: 60 }, tools: { 'billy/create_invoice': { cost: 5 } } },
 * });
 */
export function createRateLimitStage(options: RateLimitStageOptions): Stage {
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? noopPolicyMetrics;
  const logger = options.logger ?? silentLogger;
  const failMode = options.failMode ?? POLICY_DEFAULTS.rateLimit.failMode;
  const timeoutMs = options.store.local
    ? 0
    : (options.timeoutMs ?? POLICY_DEFAULTS.rateLimit.storeTimeoutMs);
  const defaultRule = toRule(options.limits.default);
  const serverRules = new Map(
    Object.entries(options.limits.servers ?? {}).map(([server, config]) => [
      server,
      toRule(config),
    ]),
  );
  const toolRules = new Map(Object.entries(options.limits.tools ?? {}));
  const apiKeyRule = options.limits.apiKey ? toRule(options.limits.apiKey) : undefined;
  const ownToolRules = new Map<string, RateLimitRule>();
  for (const [name, config] of toolRules) {
    if (config.points !== undefined || config.durationSeconds !== undefined) {
      ownToolRules.set(
        name,
        toRule({ points: config.points ?? 0, durationSeconds: config.durationSeconds ?? 0 }),
      );
    }
  }
  let lastFailureLog = Number.NEGATIVE_INFINITY;

  function resolve(context: RequestContext): ResolvedRule {
    const toolName =
      context.method === 'tools/call' && context.tool
        ? `${context.server}/${context.tool.name}`
        : undefined;
    const toolConfig = toolName === undefined ? undefined : toolRules.get(toolName);
    const cost = toolConfig?.cost ?? 1;
    const own = toolName === undefined ? undefined : ownToolRules.get(toolName);
    if (own) return { rule: own, scope: `tool:${toolName}`, cost };
    const server = serverRules.get(context.server);
    if (server) return { rule: server, scope: `server:${context.server}`, cost };
    return { rule: defaultRule, scope: 'default', cost };
  }

  return {
    name: 'rate-limit',
    async handle(context, next) {
      const { rule, scope, cost } = resolve(context);
      const { principal } = context;
      const buckets: RateLimitBucket[] = [
        { key: `p:${principal.kind}:${principal.id}:${scope}`, rule },
      ];
      if (apiKeyRule && principal.keyId !== undefined) {
        buckets.push({ key: `k:${principal.keyId}`, rule: apiKeyRule });
      }
      const now = clock.now();
      let decision: RateLimitDecision;
      try {
        decision =
          options.breaker && !options.store.local
            ? await options.breaker.run(() => options.store.consume(buckets, cost, now))
            : await withTimeout(options.store.consume(buckets, cost, now), timeoutMs);
      } catch (error) {
        metrics.storeFailure('redis-rate-limit', failMode);
        if (now - lastFailureLog >= POLICY_DEFAULTS.storeFailureLogIntervalMs) {
          lastFailureLog = now;
          logger.error({ err: error, failMode }, 'rate-limit store unavailable');
        }
        if (failMode === 'open') return next(context);
        throw new GatewayError('rate_limited', 'Rate limiting is unavailable; try again shortly', {
          status: 503,
          retryAfter: 1,
          data: { retryAfter: 1, reason: 'store_unavailable' },
          cause: error,
        });
      }
      const tightestRule = buckets[decision.tightest]?.rule ?? rule;
      setHeaders(context.responseHeaders, decision, tightestRule);
      if (!decision.allowed) {
        metrics.rateLimited(context.server);
        const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        context.responseHeaders.set('Retry-After', String(retryAfter));
        throw new GatewayError(
          'rate_limited',
          cost > tightestRule.points
            ? `This call costs ${cost} points, more than the limit of ${tightestRule.points}`
            : `Rate limit of ${tightestRule.points} per ${tightestRule.durationMs / 1000} s exceeded`,
          { retryAfter, data: { retryAfter, limit: tightestRule.points, cost } },
        );
      }
      return next(context);
    },
    async close() {
      await options.store.close?.();
    },
  };
}
