/**
 * @module @tekup/mcp-gateway
 *
 * One MCP endpoint for the whole fleet: `createGateway(options).fetch(request)` on Web
 * Request/Response (Node, edge runtimes, Next.js route handlers). Node-only helpers (the
 * node:http adapter, file config loading, pino and prom-client defaults) live at
 * `@tekup/mcp-gateway/node`.
 */
export {
  DEFAULT_CACHE_TTL_SECONDS,
  type GatewayConfig,
  type GatewayConfigInput,
  gatewayConfigSchema,
  type LoadBalancing,
  type OperatorsConfig,
  parseConfig,
  parseConfigText,
  type ServerConfig,
  type ServerTenancy,
  type ToolOverride,
} from './config.js';
export {
  ERROR_SHAPES,
  GatewayError,
  type GatewayErrorCode,
  type GatewayErrorOptions,
  isGatewayError,
} from './errors.js';
export {
  CALLER_META_KEY,
  createGateway,
  type Gateway,
  type GatewayOptions,
  type GatewayRuntimeOptions,
  LEGACY_PROTOCOL_VERSIONS,
  MODERN_PROTOCOL_VERSIONS,
  onBehalfValue,
  type RequestInfo,
} from './gateway.js';
export { DEFAULT_MAX_JSON_DEPTH, parseCallerJson } from './http/json-bounds.js';
export { readBody } from './http/read-body.js';
export { type LogFields, type Logger, silentLogger } from './observability/logger.js';
export {
  createMetrics,
  type GatewayMetrics,
  LATENCY_BUCKETS,
  type RequestLabels,
} from './observability/metrics.js';
export {
  type Authenticator,
  type Clock,
  type Next,
  type Principal,
  type RequestContext,
  type RequestOutcome,
  type Stage,
  systemClock,
  type ToolSafety,
} from './pipeline/types.js';
export { isUpstreamFailure } from './pipeline/upstream-failure.js';
export {
  type ApiKeyRecord,
  type ApiKeyStore,
  type AuditPage,
  type AuditQuery,
  type AuditRecord,
  type AuditSink,
  type AuditSpool,
  type AuditStats,
  type AuditStore,
  type CacheStore,
  type CreateStagesOptions,
  type DenyReason,
  createApiKeyAuthenticator,
  createAuditStage,
  createBatchingAuditSink,
  createCacheStage,
  createHostAuthenticator,
  createMemoryCacheStore,
  createMemoryRateLimitStore,
  createRateLimitStage,
  createRbacPolicy,
  createRbacStage,
  createStagesFromConfig,
  createStoreBreaker,
  generateApiKey,
  type PolicyConfigInput,
  type PolicyLogger,
  type PolicyMetrics,
  type PolicyStages,
  type RateLimitStore,
  type StoreBreaker,
  StoreUnavailableError,
} from './policies/index.js';
export {
  isOperatorTenant,
  mayDiscover,
  neededScope,
  scopeAllows,
  seesInfrastructure,
} from './pipeline/access.js';
export {
  type InstanceState,
  type InstanceStatus,
  redactStatus,
  type ServerStatus,
} from './upstream/server-pool.js';
export { isRetrySafe, resolveToolSafety } from '@tekup/mcp-contract';
