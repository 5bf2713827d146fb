/**
 * The Tekup MCP demo fleet: billy, database, knowledge, code-intelligence, vault and
 * calendar as real MCP servers (official SDK, Streamable HTTP) over deterministic Danish
 * demo data. Node only.
 * @module
 */
export { CALLER_META_KEY, type Caller, readCaller } from './core/caller.js';
export {
  type Booking,
  type CalendarEvent,
  type Customer,
  bookingFromEvent,
  createDemoData,
  DEFAULT_SEED,
  type DemoData,
  type DemoDataOptions,
  type Employee,
  type Invoice,
  type InvoiceLine,
  type InvoiceStatus,
  isValidCvr,
  type Organization,
  type Payment,
  type Product,
  type ProductUnit,
  type Sale,
  TENANTS,
  type Tenant,
  type VaultDocument,
} from './demo-data.js';
export { DemoServerError, type DemoServerErrorCode } from './errors.js';
export { type FleetOptions, type RunningFleet, startFleet } from './fleet.js';
export {
  DATA_FEEDS,
  DEFAULT_PORTS,
  OPERATOR_TENANTS,
  ORGANIZATION_SERVERS,
  SERVER_NAMES,
  SERVER_TENANCY,
  type ServerName,
  type ServerTenancy,
  serverPolicy,
} from './manifest.js';
export {
  DEMO_SERVERS_VERSION,
  type DemoServerOptions,
  type RunningServer,
  startServer,
} from './start-server.js';
export { createOpenAiEmbeddingProvider, type EmbeddingProvider } from './vault/vault-server.js';
