/** Builds the policy stages from configuration and environment. */
import type { Authenticator, Clock, RequestContext, Stage } from '../pipeline/types.js';
import { systemClock } from '../pipeline/types.js';
import type {
  AuditRecord,
  AuditSink,
  AuditSpool,
  AuditStore,
  CacheStore,
  RateLimitStore,
} from '../stores/types.js';
import {
  type ApiKeyRecord,
  type ApiKeyStore,
  createApiKeyAuthenticator,
} from './auth/api-key-authenticator.js';
import { type PrincipalResolver, createHostAuthenticator } from './auth/host-authenticator.js';
import { createAuditStage } from './audit/audit-stage.js';
import { configuredTtlSeconds, createCacheStage, tenantScope } from './cache/cache-stage.js';
import { parsePolicyConfig } from './config.js';
import { type PolicyLogger, silentLogger } from './logger.js';
import { type PolicyMetrics, noopPolicyMetrics } from './metrics.js';
import { createRateLimitStage } from './rate-limit/rate-limit-stage.js';
import { createRbacStage } from './rbac/rbac-stage.js';
import { createStoreBreaker } from './store-breaker.js';
import { createMemoryCacheStore } from '../stores/memory-cache-store.js';
import { createMemoryRateLimitStore } from '../stores/memory-rate-limit-store.js';
import { createBatchingAuditSink } from '../stores/batching-audit-sink.js';

/** Options for {@link createStagesFromConfig}. */
export interface CreateStagesOptions {
  /** `REDIS_URL` → Redis rate limits and cache; `DATABASE_URL` → Postgres audit. @default {} */
  env?: Record<string, string | undefined>;
  clock?: Clock;
  logger?: PolicyLogger;
  metrics?: PolicyMetrics;
  /**
   * The host app's session lookup (the dashboard). When given, its principal
   * wins and API keys are the fallback.
   */
  resolvePrincipal?: PrincipalResolver;
  /**
   * The host's own API keys (e.g. the dashboard's key table), checked after the `auth.keys`
   * of the configuration. Stored hashed; compared by the same authenticator.
   */
  apiKeys?: ApiKeyStore;
  /** Sees every audit row as it is queued (e.g. to feed a live health view); must not throw. */
  onAuditRecord?: (record: AuditRecord) => void;
  /**
   * Durable local storage for audit rows until the store has them (`createFileAuditSpool` from
   * `@tekup/mcp-gateway/node`): an answered call keeps its row through a crash of the process.
   */
  auditSpool?: AuditSpool;
}

/** What {@link createStagesFromConfig} builds. */
export interface PolicyStages {
  authenticate: Authenticator;
  /** In pipeline order: audit (outermost, sees every refusal), rbac, rate limit, cache. */
  stages: Stage[];
  /** The audit store, for the dashboard's audit page (`query`, `stats`); undefined when auditing is off. */
  auditStore: AuditStore | undefined;
  /** Which engines were chosen, for the start-up log and `/health`. */
  engines: {
    rateLimit: 'memory' | 'redis' | 'off';
    cache: 'memory' | 'redis' | 'off';
    audit: 'pglite' | 'postgres' | 'off';
  };
  /**
   * Writes every queued audit row now (a host reading its own writes calls it first), waiting
   * for the store at most `timeoutMs` (default: the close timeout); the rest stays queued.
   */
  flushAudit(timeoutMs?: number): Promise<void>;
  /** Flushes the audit log and closes every store and connection. */
  close(): Promise<void>;
}

/**
 * Builds the authenticator and policy stages from the plain configuration
 * object (`auth`, `rbac`, `rateLimit`, `cache`, `audit`, and
 * `servers.*.cacheTtlSeconds`) and the environment. Redis, Postgres and
 * PGlite are imported only when used, so in-process setups load none of them.
 *
 * @example
 * const policies = await createStagesFromConfig(config, { env: process.env, logger });
 * const gateway = createGateway({ ...options, authenticate: policies.authenticate, stages: policies.stages });
 * process.on('SIGTERM', () => policies.close());
 */
export async function createStagesFromConfig(
  input: unknown,
  options: CreateStagesOptions = {},
): Promise<PolicyStages> {
  const config = parsePolicyConfig(input);
  const env = options.env ?? {};
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? noopPolicyMetrics;
  const closers: (() => Promise<void>)[] = [];

  const redisUrl = env.REDIS_URL;
  const usesRedis =
    redisUrl !== undefined &&
    redisUrl !== '' &&
    (config.rateLimit !== undefined || config.cache?.enabled !== false);
  let redis: import('ioredis').Redis | undefined;
  if (usesRedis) {
    const [{ Redis }, { boundedRedisOptions }] = await Promise.all([
      import('ioredis'),
      import('../stores/redis-rate-limit-store.js'),
    ]);
    const client = new Redis(redisUrl, boundedRedisOptions());
    let lastError = 0;
    client.on('error', (error: Error) => {
      const now = clock.now();
      if (now - lastError >= 10_000) {
        lastError = now;
        logger.warn({ err: error }, 'redis connection error');
      }
    });
    redis = client;
  }
  // One breaker per connection: when Redis is down, the cache and the limits both skip it at
  // once (one probe a second), instead of every request waiting out a timeout per store call.
  const redisBreaker = redis
    ? createStoreBreaker({
        name: 'redis',
        logger,
        timeoutMs: config.rateLimit?.timeoutMs ?? 250,
      })
    : undefined;

  try {
    const auth = config.auth;
    if (!auth && !options.resolvePrincipal && !options.apiKeys) {
      logger.warn({}, 'no auth section: serving loopback clients only, as the anonymous principal');
    }
    const configuredKeys = new Map<string, ApiKeyRecord>(
      (auth?.keys ?? []).map((record) => [record.id, record]),
    );
    const hostKeys = options.apiKeys;
    const keys: ApiKeyStore = {
      get: (id) => configuredKeys.get(id) ?? hostKeys?.get(id),
    };
    const hostAuthenticates = options.resolvePrincipal !== undefined || hostKeys !== undefined;
    const keyAuthenticator = createApiKeyAuthenticator({
      keys,
      // A host that authenticates its users never serves anonymous callers unless told to.
      allowAnonymousLoopback: auth ? auth.allowAnonymousLoopback : !hostAuthenticates,
      anonymousRole: auth?.anonymousRole ?? 'anonymous',
      clock,
      ...(auth?.onBehalfHeader ? { trustedOnBehalfHeader: auth.onBehalfHeader } : {}),
    });
    const authenticate = options.resolvePrincipal
      ? createHostAuthenticator(options.resolvePrincipal, { fallback: keyAuthenticator })
      : keyAuthenticator;

    const stages: Stage[] = [];
    const engines: PolicyStages['engines'] = { rateLimit: 'off', cache: 'off', audit: 'off' };

    let auditStore: AuditStore | undefined;
    let auditStage: ReturnType<typeof createAuditStage> | undefined;
    if (config.audit?.enabled !== false) {
      const audit = config.audit;
      const databaseUrl = env.DATABASE_URL;
      if (databaseUrl) {
        const { createPostgresAuditStore } = await import('../stores/postgres-audit-store.js');
        auditStore = createPostgresAuditStore({
          connectionString: databaseUrl,
          logger,
          ...(audit?.schema ? { schema: audit.schema } : {}),
        });
        engines.audit = 'postgres';
      } else {
        const { createPgliteAuditStore } = await import('../stores/pglite-audit-store.js');
        auditStore = createPgliteAuditStore({
          logger,
          dataDir: `${(audit?.dataDir ?? '.data').replace(/[/\\]+$/, '')}/audit`,
          ...(audit?.schema ? { schema: audit.schema } : {}),
        });
        engines.audit = 'pglite';
      }
      const batching = createBatchingAuditSink({
        store: auditStore,
        metrics,
        logger,
        ...(options.auditSpool ? { spool: options.auditSpool } : {}),
        ...(audit?.batchSize ? { batchSize: audit.batchSize } : {}),
        ...(audit?.flushIntervalMs ? { flushIntervalMs: audit.flushIntervalMs } : {}),
        ...(audit?.maxBuffer ? { maxBuffer: audit.maxBuffer } : {}),
      });
      const tap = options.onAuditRecord;
      const sink: AuditSink = tap
        ? {
            write(record) {
              try {
                tap(record);
              } catch (error) {
                logger.warn({ err: error }, 'onAuditRecord threw');
              }
              batching.write(record);
            },
            flush: (timeoutMs) => batching.flush(timeoutMs),
            close: () => batching.close(),
          }
        : batching;
      auditStage = createAuditStage({
        sink,
        clock,
        metrics,
        logger,
        ...(options.auditSpool ? { spool: options.auditSpool } : {}),
        redactArguments: audit?.redactArguments ?? 'hash',
      });
      stages.push(auditStage);
    }

    if (config.rbac) stages.push(createRbacStage({ roles: config.rbac.roles, metrics }));

    if (config.rateLimit) {
      const rateLimit = config.rateLimit;
      let store: RateLimitStore;
      if (redis) {
        const { createRedisRateLimitStore } = await import('../stores/redis-rate-limit-store.js');
        store = createRedisRateLimitStore({ client: redis, prefix: rateLimit.redisPrefix });
        engines.rateLimit = 'redis';
      } else {
        store = createMemoryRateLimitStore();
        engines.rateLimit = 'memory';
      }
      stages.push(
        createRateLimitStage({
          store,
          limits: {
            default: rateLimit.default,
            ...(rateLimit.servers ? { servers: rateLimit.servers } : {}),
            ...(rateLimit.tools ? { tools: rateLimit.tools } : {}),
            ...(rateLimit.apiKey ? { apiKey: rateLimit.apiKey } : {}),
          },
          failMode: rateLimit.failMode,
          clock,
          metrics,
          logger,
          ...(redisBreaker ? { breaker: redisBreaker } : {}),
          ...(rateLimit.timeoutMs ? { timeoutMs: rateLimit.timeoutMs } : {}),
        }),
      );
    }

    if (config.cache?.enabled !== false) {
      const cache = config.cache;
      let store: CacheStore;
      if (redis) {
        const { createRedisCacheStore } = await import('../stores/redis-cache-store.js');
        store = createRedisCacheStore({
          client: redis,
          prefix: cache?.redisPrefix ?? 'tekup:cache:',
        });
        engines.cache = 'redis';
      } else {
        store = createMemoryCacheStore({ maxBytes: cache?.maxBytes ?? 64 * 1024 * 1024 });
        engines.cache = 'memory';
      }
      const ttl = (server: string, context: RequestContext) =>
        cache?.ttlSeconds?.[server] ??
        config.servers?.[server]?.cacheTtlSeconds ??
        configuredTtlSeconds(server, context);
      const scopeMode = cache?.scope ?? 'tenant';
      stages.push(
        createCacheStage({
          store,
          ttlSeconds: ttl,
          staleIfErrorSeconds: cache?.staleIfErrorSeconds ?? 3600,
          // Results of a server with per-organization data are never shared across organizations,
          // whatever the configuration says; `shared` only widens servers declared `shared`.
          scope: (context) => {
            if (scopeMode === 'user')
              return `user:${context.principal.kind}:${context.principal.id}`;
            if (scopeMode === 'shared' && context.serverConfig?.tenancy === 'shared')
              return 'shared';
            return tenantScope(context);
          },
          clock,
          metrics,
          logger,
          ...(redisBreaker ? { breaker: redisBreaker } : {}),
        }),
      );
    }

    for (const stage of stages)
      if (stage.close) closers.push(() => stage.close?.() ?? Promise.resolve());
    if (redis) {
      const client = redis;
      closers.push(async () => {
        client.disconnect();
      });
    }
    logger.info({ engines, stages: stages.map((stage) => stage.name) }, 'policy stages ready');

    let closing: Promise<void> | undefined;
    return {
      authenticate,
      stages,
      auditStore,
      engines,
      flushAudit: async (timeoutMs) => {
        await auditStage?.flush(timeoutMs);
      },
      close() {
        closing ??= (async () => {
          for (const close of closers) {
            try {
              await close();
            } catch (error) {
              logger.error({ err: error }, 'closing a policy stage failed');
            }
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    redis?.disconnect();
    throw error;
  }
}
