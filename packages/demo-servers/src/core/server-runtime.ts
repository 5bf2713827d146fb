import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { DemoData } from '../demo-data.js';

/** What every demo server is built from. */
export interface ServerContext {
  /** The seeded data (each server takes its own deep copy, so state changes stay local). */
  data: DemoData;
  /** The reference "now". */
  now: Date;
  /** Tenant used when a request carries no forwarded caller. */
  defaultTenant: string;
}

/** The shared state of one running server; every McpServer (session) registers against it. */
export interface ServerRuntime {
  /** Registers the server's tools on one McpServer. */
  register(server: McpServer): void;
  /** Extra `/health` fields. */
  health?(): Record<string, unknown>;
  /** Releases resources (workers, files). */
  close?(): Promise<void>;
}
