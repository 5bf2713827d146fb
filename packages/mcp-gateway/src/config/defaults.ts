/**
 * Every default of the configuration, in the file's own shape: the schema, the resolved
 * config and the stage and store factories all read them from here (the README's Options
 * table lists the same values).
 */
import { DEFAULT_MAX_JSON_DEPTH } from '@tekup/mcp-contract';

/** Default cache TTL per well-known Tekup server name (seconds): the plan's documents 15 min, database 5 min, code intelligence 30 min. */
export const DEFAULT_CACHE_TTL_SECONDS: Readonly<Record<string, number>> = {
  knowledge: 900,
  database: 300,
  'code-intelligence': 1800,
};

/** Cache TTL of servers without an entry in {@link DEFAULT_CACHE_TTL_SECONDS} (seconds). */
const FALLBACK_CACHE_TTL_SECONDS = 60;

/** The default cache TTL of a server by its name (seconds). */
export function defaultCacheTtlSeconds(server: string): number {
  return DEFAULT_CACHE_TTL_SECONDS[server] ?? FALLBACK_CACHE_TTL_SECONDS;
}

/** The defaults of the gateway core's sections and of each server. */
export const CONFIG_DEFAULTS = {
  basePath: '',
  bodyLimitBytes: 1024 * 1024,
  maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
  allowLocalhostOrigins: true,
  sessionTtlSeconds: 86_400,
  loadBalancing: 'round-robin',
  timeouts: { toolCallMs: 30_000, requestMs: 10_000, attemptMs: 5_000 },
  /**
   * How long a call may wait for a person to answer an upstream's elicitation or sampling
   * request (the call's deadline while it waits; the life of the answer id or `requestState`).
   */
  interaction: { waitMs: 600_000 },
  healthCheck: { intervalMs: 30_000, timeoutMs: 5_000 },
  ejection: { consecutiveFailures: 3, cooldownMs: 15_000 },
  retry: { maxAttempts: 3, baseDelayMs: 25, maxDelayMs: 1_000 },
  operators: { roles: ['admin'] },
  /** Fails closed: a server nobody declared serves only callers with a tenant. */
  tenancy: 'tenant',
} as const;

/** The defaults of the policy sections (`auth`, `rateLimit`, `cache`, `audit`) and their stores. */
export const POLICY_DEFAULTS = {
  auth: { anonymousRole: 'anonymous' },
  rateLimit: {
    failMode: 'open',
    redisPrefix: 'tekup:rl:',
    /** Bound on one rate-limit store call in the stage. */
    storeTimeoutMs: 500,
  },
  cache: {
    maxBytes: 64 * 1024 * 1024,
    staleIfErrorSeconds: 3600,
    scope: 'tenant',
    redisPrefix: 'tekup:cache:',
    /** Bound on one cache store call in the stage. */
    storeTimeoutMs: 250,
  },
  audit: { dataDir: '.data', redactArguments: 'hash' },
  /** Bound on one call through a store's circuit breaker, and on one Redis command. */
  storeTimeoutMs: 250,
  /** A store that keeps failing is logged once per this interval: enough to page, not a flood. */
  storeFailureLogIntervalMs: 10_000,
} as const;
