import type { TaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { DemoData } from '../demo-data.js';
import type { Books } from './books.js';

/** What every demo server is built from. */
export interface ServerContext {
  /** The seeded data, read-only (state that changes lives in `books`). */
  data: DemoData;
  /** The reference "now". */
  now: Date;
  /** The per-tenant books shared by every server over `data` (billy, calendar, database). */
  books: Books;
}

/** The shared state of one running server; every McpServer (session) registers against it. */
export interface ServerRuntime {
  /** Registers the server's tools on one McpServer. */
  register(server: McpServer): void;
  /** Extra `/health` fields. */
  health?(): Record<string, unknown>;
  /** Releases resources (workers, files). */
  close?(): Promise<void>;
  /** Where the server's tasks live (long tool calls run as MCP tasks), for every session. */
  taskStore?: TaskStore;
}
