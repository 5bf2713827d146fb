/**
 * @module policies
 * The gateway's policy stages — auth, RBAC, rate limiting, caching, audit —
 * with their in-process stores. Web-only: the Redis, Postgres and PGlite stores
 * are in `./node.ts`, and `createStagesFromConfig` (`../node`) picks them from the environment.
 *
 * @example
 * const policies = createStages(parseConfig(input).policies, { stores: { audit } });
 * const principal = await policies.authenticate(request, { remoteAddress });
 */
export {
  type ApiKeyAuthenticatorOptions,
  type ApiKeyRecord,
  type ApiKeyStore,
  type NewApiKey,
  createApiKeyAuthenticator,
  generateApiKey,
} from './auth/api-key-authenticator.js';
export {
  type CachedApiKeyStore,
  type CachedApiKeyStoreOptions,
  createCachedApiKeyStore,
} from './auth/cached-key-store.js';
export {
  type HostAuthenticatorOptions,
  type PrincipalResolver,
  createHostAuthenticator,
} from './auth/host-authenticator.js';
export {
  type RbacDecision,
  type RbacPolicy,
  type RbacStageOptions,
  type RoleRule,
  createRbacPolicy,
  createRbacStage,
} from './rbac/rbac-stage.js';
export {
  type FailMode,
  type RateLimitRuleConfig,
  type RateLimitStageOptions,
  type RateLimits,
  type ToolRateLimitConfig,
  createRateLimitStage,
} from './rate-limit/rate-limit-stage.js';
export {
  type CacheStageOptions,
  createCacheStage,
} from './cache/cache-stage.js';
export {
  type ArgumentRedaction,
  type AuditStageOptions,
  createAuditStage,
} from './audit/audit-stage.js';
export {
  AUDIT_OUTCOMES,
  type AuditOutcome,
  type CacheResult,
  type DenyReason,
  type PolicyMetrics,
  type StoreName,
  noopPolicyMetrics,
} from './metrics.js';
export type { PolicyLogger } from './logger.js';
export {
  type PolicyConfig,
  type PolicyConfigInput,
  parsePolicyConfig,
} from './config.js';
export {
  type PolicyStages,
  type PolicyStores,
  type StagesOptions,
  createStages,
} from './create-stages.js';
export {
  type MemoryCacheStoreOptions,
  createMemoryCacheStore,
} from '../stores/memory-cache-store.js';
export {
  type MemoryRateLimitStoreOptions,
  createMemoryRateLimitStore,
} from '../stores/memory-rate-limit-store.js';
export {
  createStoreBreaker,
  type StoreBreaker,
  type StoreBreakerOptions,
  StoreUnavailableError,
} from './store-breaker.js';
export {
  type BatchingAuditSink,
  type BatchingAuditSinkOptions,
  createBatchingAuditSink,
} from '../stores/batching-audit-sink.js';
export type {
  AuditPage,
  AuditQuery,
  AuditRecord,
  AuditSink,
  AuditSpool,
  AuditStats,
  AuditStore,
  CacheEntry,
  CacheLookup,
  CacheStore,
  RateLimitDecision,
  RateLimitRule,
  RateLimitStore,
} from '../stores/types.js';
