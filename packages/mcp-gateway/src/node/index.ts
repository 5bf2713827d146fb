/**
 * @module @tekup/mcp-gateway/node
 *
 * Node-only parts: the node:http adapter with graceful shutdown, configuration files,
 * prom-client metrics, the CLI, the Redis / Postgres / PGlite policy stores, and
 * `createStagesFromConfig`, which picks them from the environment.
 */
export { type CliOptions, runCli } from './cli.js';
export { type CreateStagesOptions, createStagesFromConfig } from './create-stages-from-config.js';
export { loadConfig, readConfigFile } from './load-config.js';
export { createNodeFetch, type NodeFetchOptions } from './node-fetch.js';
export { createFileAuditSpool, type FileAuditSpoolOptions } from '../stores/file-audit-spool.js';
export { createPromClientMetrics, createPromClientPolicyMetrics } from './prom-client-metrics.js';
export {
  createNodeHandler,
  type GatewayServer,
  type NodeHandler,
  type NodeHandlerOptions,
  type ServeOptions,
  serve,
} from './serve.js';
// The Redis, Postgres and PGlite stores and their option types.
export * from '../policies/node.js';
