/**
 * @module @tekup/mcp-gateway
 *
 * One MCP endpoint for the whole fleet: `createGateway(options).fetch(request)` on Web
 * Request/Response (Node, edge runtimes, Next.js route handlers), and the policy stages over
 * stores the caller picks (`createStages`). Node-only parts (the node:http adapter, file config
 * loading, pino and prom-client defaults, the Redis / Postgres / PGlite stores and the
 * environment-driven `createStagesFromConfig`) live at `@tekup/mcp-gateway/node`.
 */
export { DEFAULT_CACHE_TTL_SECONDS } from './config/defaults.js';
export { parseConfig, parseConfigText } from './config/parse-config.js';
export { type GatewayConfigInput, gatewayConfigSchema } from './config/schema.js';
export type {
  GatewayConfig,
  LoadBalancing,
  OperatorsConfig,
  ServerConfig,
  ServerTenancy,
  ToolOverride,
} from './config/types.js';
export {
  ERROR_SHAPES,
  GatewayError,
  type GatewayErrorCode,
  type GatewayErrorOptions,
  isGatewayError,
} from './errors.js';
export {
  createGateway,
  type Gateway,
  type GatewayOptions,
  type GatewayRuntimeOptions,
} from './gateway.js';
export { onBehalfValue } from './gateway/caller.js';
export type { RequestInfo } from './gateway/core.js';
export { LEGACY_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS } from './gateway/protocol.js';
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
// The policy stages, their in-process stores and their option types (see src/policies/index.ts).
export * from './policies/index.js';
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
} from './upstream/status.js';
export { CALLER_META_KEY, isRetrySafe, resolveToolSafety } from '@tekup/mcp-contract';
