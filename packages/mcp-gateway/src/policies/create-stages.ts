/**
 * Builds the authenticator and the policy stages from the validated policy sections and the
 * stores they keep state in. Web-only: which stores to use is the caller's choice (the
 * environment-driven one, Redis / Postgres / PGlite, is `createStagesFromConfig` at `./node`).
 */
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
import type { PolicyConfig } from './config.js';
import { type PolicyLogger, silentLogger } from './logger.js';
import { type PolicyMetrics, noopPolicyMetrics } from './metrics.js';
import { createRateLimitStage } from './rate-limit/rate-limit-stage.js';
import { createRbacStage } from './rbac/rbac-stage.js';
import type { StoreBreaker } from './store-breaker.js';
import { createMemoryCacheStore } from '../stores/memory-cache-store.js';
import { createMemoryRateLimitStore } from '../stores/memory-rate-limit-store.js';
import { createBatchingAuditSink } from '../stores/batching-audit-sink.js';

/** Where the stages keep their state; a store left out is in process where one exists. */
export interface PolicyStores {
  /** @default an in-process GCRA store */
  rateLimit?: RateLimitStore;
  /** @default an in-process LRU of `cache.maxBytes` */
  cache?: CacheStore;
  /** Where audit rows go; needed while `audit.enabled` (there is no in-process audit log). */
  audit?: AuditStore;
  /**
   * The circuit breaker of the connection `rateLimit` and `cache` share (Redis): when it is
   * down, both skip it at once (one probe a second) instead of each waiting out a timeout.
   */
  breaker?: StoreBreaker;
}

/** Options of {@link createStages}. */
export interface StagesOptions {
  /** @default memory stores; see {@link PolicyStores} */
  stores?: PolicyStores;
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
  /** Called with each API key that authenticated a request (e.g. to record its last use, batched). */
  onApiKeyUse?: (record: ApiKeyRecord) => void;
  /** Sees every audit row as it is queued (e.g. to feed a live health view); must not throw. */
  onAuditRecord?: (record: AuditRecord) => void;
  /**
   * Durable local storage for audit rows until the store has them (`createFileAuditSpool` from
   * `@tekup/mcp-gateway/node`): an answered call keeps its row through a crash of the process.
   */
  auditSpool?: AuditSpool;
}

/** What {@link createStages} builds. */
export interface PolicyStages {
  authenticate: Authenticator;
  /** In pipeline order: audit (outermost, sees every refusal), rbac, rate limit, cache. */
  stages: Stage[];
  /** The audit store, for the dashboard's audit page (`query`, `stats`); undefined when auditing is off. */
  auditStore: AuditStore | undefined;
  /**
   * Which engines keep each stage's state, for the start-up log and `/health`: `off`, or the
   * store's `engine` (`memory`, `redis`, `pglite`, `postgres`…).
   */
  engines: { rateLimit: string; cache: string; audit: string };
  /**
   * Writes every queued audit row now (a host reading its own writes calls it first), waiting
   * for the store at most `timeoutMs` (default: the close timeout); the rest stays queued.
   */
  flushAudit(timeoutMs?: number): Promise<void>;
  /** Flushes the audit log and closes every stage and its store. */
  close(): Promise<void>;
}

function authenticatorOf(config: PolicyConfig, options: StagesOptions): Authenticator {
  const { auth } = config;
  const logger = options.logger ?? silentLogger;
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
    ...(auth ? { anonymousRole: auth.anonymousRole } : {}),
    clock: options.clock ?? systemClock,
    ...(auth?.onBehalfHeader ? { trustedOnBehalfHeader: auth.onBehalfHeader } : {}),
    ...(options.onApiKeyUse ? { onUse: options.onApiKeyUse } : {}),
  });
  return options.resolvePrincipal
    ? createHostAuthenticator(options.resolvePrincipal, { fallback: keyAuthenticator })
    : keyAuthenticator;
}

function auditStageOf(
  audit: PolicyConfig['audit'],
  store: AuditStore,
  options: StagesOptions,
): ReturnType<typeof createAuditStage> {
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? noopPolicyMetrics;
  const batching = createBatchingAuditSink({
    store,
    metrics,
    logger,
    ...(options.auditSpool ? { spool: options.auditSpool } : {}),
    ...(audit.batchSize ? { batchSize: audit.batchSize } : {}),
    ...(audit.flushIntervalMs ? { flushIntervalMs: audit.flushIntervalMs } : {}),
    ...(audit.maxBuffer ? { maxBuffer: audit.maxBuffer } : {}),
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
  return createAuditStage({
    sink,
    clock: options.clock ?? systemClock,
    metrics,
    logger,
    ...(options.auditSpool ? { spool: options.auditSpool } : {}),
    redactArguments: audit.redactArguments,
  });
}

function cacheStageOf(
  cache: PolicyConfig['cache'],
  store: CacheStore,
  options: StagesOptions,
): Stage {
  const ttl = (server: string, context: RequestContext) =>
    cache.ttlSeconds?.[server] ?? configuredTtlSeconds(server, context);
  const breaker = options.stores?.breaker;
  return createCacheStage({
    store,
    ttlSeconds: ttl,
    staleIfErrorSeconds: cache.staleIfErrorSeconds,
    // Results of a server with per-organization data are never shared across organizations,
    // whatever the configuration says; `shared` only widens servers declared `shared`.
    scope: (context) => {
      if (cache.scope === 'user') return `user:${context.principal.kind}:${context.principal.id}`;
      if (cache.scope === 'shared' && context.serverConfig?.tenancy === 'shared') return 'shared';
      return tenantScope(context);
    },
    clock: options.clock ?? systemClock,
    metrics: options.metrics ?? noopPolicyMetrics,
    logger: options.logger ?? silentLogger,
    ...(breaker ? { breaker } : {}),
  });
}

/**
 * Builds the authenticator and the policy stages (`auth`, `rbac`, `rateLimit`, `cache`,
 * `audit`) of validated configuration, over the given stores.
 *
 * @throws TypeError when auditing is on and no audit store is given.
 * @example
 * const config = parseConfig(input);
 * const policies = createStages(config.policies, { stores: { audit: myAuditStore } });
 * const gateway = createGateway({ config, authenticate: policies.authenticate, stages: policies.stages });
 */
export function createStages(config: PolicyConfig, options: StagesOptions = {}): PolicyStages {
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? noopPolicyMetrics;
  const stores = options.stores ?? {};
  const stages: Stage[] = [];
  const engines: PolicyStages['engines'] = { rateLimit: 'off', cache: 'off', audit: 'off' };
  const authenticate = authenticatorOf(config, options);

  let auditStage: ReturnType<typeof createAuditStage> | undefined;
  const auditStore = config.audit.enabled ? stores.audit : undefined;
  if (config.audit.enabled) {
    if (auditStore === undefined) {
      throw new TypeError(
        'Auditing needs a store: pass stores.audit, or set audit.enabled to false',
      );
    }
    auditStage = auditStageOf(config.audit, auditStore, options);
    engines.audit = auditStore.engine ?? 'custom';
    stages.push(auditStage);
  }

  if (config.rbac) stages.push(createRbacStage({ roles: config.rbac.roles, metrics }));

  if (config.rateLimit) {
    const rateLimit = config.rateLimit;
    const store = stores.rateLimit ?? createMemoryRateLimitStore();
    engines.rateLimit = store.engine ?? 'custom';
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
        clock: options.clock ?? systemClock,
        metrics,
        logger,
        ...(stores.breaker ? { breaker: stores.breaker } : {}),
        ...(rateLimit.timeoutMs ? { timeoutMs: rateLimit.timeoutMs } : {}),
      }),
    );
  }

  if (config.cache.enabled) {
    const store = stores.cache ?? createMemoryCacheStore({ maxBytes: config.cache.maxBytes });
    engines.cache = store.engine ?? 'custom';
    stages.push(cacheStageOf(config.cache, store, options));
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
        for (const stage of stages) {
          try {
            await stage.close?.();
          } catch (error) {
            logger.error({ err: error }, 'closing a policy stage failed');
          }
        }
      })();
      return closing;
    },
  };
}
