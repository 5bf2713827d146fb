/**
 * The environment's choice of policy stores: `REDIS_URL` → Redis rate limits and cache (one
 * connection, one breaker), `DATABASE_URL` → the Postgres audit log, else PGlite under
 * `audit.dataDir`. Each is imported only when chosen, so a setup without them loads none.
 */
import type { Redis } from 'ioredis';
import { POLICY_DEFAULTS } from '../config/defaults.js';
import { type PolicyConfig, parsePolicyConfig } from '../policies/config.js';
import {
  createStages,
  type PolicyStages,
  type PolicyStores,
  type StagesOptions,
} from '../policies/create-stages.js';
import { silentLogger } from '../policies/logger.js';
import { createStoreBreaker } from '../policies/store-breaker.js';
import { systemClock } from '../pipeline/types.js';

/** Options for {@link createStagesFromConfig}: those of `createStages`, with the environment choosing the stores. */
export interface CreateStagesOptions extends Omit<StagesOptions, 'stores'> {
  /** `REDIS_URL` → Redis rate limits and cache; `DATABASE_URL` → Postgres audit. @default {} */
  env?: Record<string, string | undefined>;
}

async function connectRedis(url: string, options: CreateStagesOptions): Promise<Redis> {
  const [{ Redis }, { boundedRedisOptions }] = await Promise.all([
    import('ioredis'),
    import('../stores/redis-rate-limit-store.js'),
  ]);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const client = new Redis(url, boundedRedisOptions());
  let lastError = 0;
  client.on('error', (error: Error) => {
    const now = clock.now();
    if (now - lastError >= POLICY_DEFAULTS.storeFailureLogIntervalMs) {
      lastError = now;
      logger.warn({ err: error }, 'redis connection error');
    }
  });
  return client;
}

async function auditStoreFor(
  audit: PolicyConfig['audit'],
  env: Record<string, string | undefined>,
  options: CreateStagesOptions,
): Promise<PolicyStores['audit']> {
  if (!audit.enabled) return undefined;
  const logger = options.logger ?? silentLogger;
  const schema = audit.schema ? { schema: audit.schema } : {};
  if (env.DATABASE_URL) {
    const { createPostgresAuditStore } = await import('../stores/postgres-audit-store.js');
    return createPostgresAuditStore({ connectionString: env.DATABASE_URL, logger, ...schema });
  }
  const { createPgliteAuditStore } = await import('../stores/pglite-audit-store.js');
  return createPgliteAuditStore({
    logger,
    dataDir: `${audit.dataDir.replace(/[/\\]+$/, '')}/audit`,
    ...schema,
  });
}

/**
 * The stages of validated policy sections over the stores the environment picks. The CLI
 * calls it with the sections of the file it already validated.
 */
export async function createStagesFromEnvironment(
  config: PolicyConfig,
  options: CreateStagesOptions = {},
): Promise<PolicyStages> {
  const env = options.env ?? {};
  const redisUrl = env.REDIS_URL;
  const usesRedis =
    redisUrl !== undefined &&
    redisUrl !== '' &&
    (config.rateLimit !== undefined || config.cache.enabled);
  const redis = usesRedis ? await connectRedis(redisUrl, options) : undefined;
  try {
    const stores: PolicyStores = {};
    if (redis) {
      const [{ createRedisRateLimitStore }, { createRedisCacheStore }] = await Promise.all([
        import('../stores/redis-rate-limit-store.js'),
        import('../stores/redis-cache-store.js'),
      ]);
      if (config.rateLimit) {
        stores.rateLimit = createRedisRateLimitStore({
          client: redis,
          prefix: config.rateLimit.redisPrefix,
        });
      }
      if (config.cache.enabled) {
        stores.cache = createRedisCacheStore({ client: redis, prefix: config.cache.redisPrefix });
      }
      stores.breaker = createStoreBreaker({
        name: 'redis',
        logger: options.logger ?? silentLogger,
        timeoutMs: config.rateLimit?.timeoutMs ?? POLICY_DEFAULTS.storeTimeoutMs,
      });
    }
    const audit = await auditStoreFor(config.audit, env, options);
    if (audit) stores.audit = audit;
    const policies = createStages(config, { ...options, stores });
    if (!redis) return policies;
    let closing: Promise<void> | undefined;
    return {
      ...policies,
      close() {
        closing ??= policies.close().finally(() => redis.disconnect());
        return closing;
      },
    };
  } catch (error) {
    redis?.disconnect();
    throw error;
  }
}

/**
 * Builds the authenticator and policy stages from the plain configuration object (`auth`,
 * `rbac`, `rateLimit`, `cache`, `audit`) and the environment: Redis for rate limits and cache
 * with `REDIS_URL`, Postgres for the audit log with `DATABASE_URL`, PGlite under
 * `audit.dataDir` otherwise.
 *
 * @throws TypeError naming every invalid key of the policy sections.
 * @example
 * const policies = await createStagesFromConfig(config, { env: process.env, logger });
 * const gateway = createGateway({ ...options, authenticate: policies.authenticate, stages: policies.stages });
 * process.on('SIGTERM', () => policies.close());
 */
export async function createStagesFromConfig(
  input: unknown,
  options: CreateStagesOptions = {},
): Promise<PolicyStages> {
  return createStagesFromEnvironment(parsePolicyConfig(input), options);
}
