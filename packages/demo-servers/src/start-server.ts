import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createBillyRuntime } from './billy/billy-server.js';
import { createCalendarRuntime } from './calendar/calendar-server.js';
import { createCodeIntelligenceRuntime } from './code-intelligence/code-intelligence-server.js';
import { booksFor, requireTenantId } from './core/books.js';
import type { MetaCarrier } from './core/caller.js';
import { listenMcpHttp } from './core/http-server.js';
import type { ServerContext, ServerRuntime } from './core/server-runtime.js';
import { createDatabaseRuntime } from './database/database-server.js';
import { createDemoData, type DemoData } from './demo-data.js';
import {
  DEFAULT_PORTS,
  OPERATOR_TENANTS,
  SERVER_NAMES,
  SERVER_TENANCY,
  type ServerName,
  type ServerTenancy,
} from './manifest.js';
import { DemoServerError } from './errors.js';
import { createKnowledgeRuntime } from './knowledge/knowledge-server.js';
import { createVaultRuntime } from './vault/vault-server.js';

/** Package version reported in MCP `serverInfo`. */
export const DEMO_SERVERS_VERSION = '0.1.0';

/** Options for {@link startServer}. */
export interface DemoServerOptions {
  /** Port; 0 picks an ephemeral one. @default DEFAULT_PORTS[name] */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Reference "now" for seeded dates. @default new Date() */
  now?: Date;
  /** Data seed. @default DEFAULT_SEED */
  seed?: number;
  /** Stateless Streamable HTTP (no sessions). @default false */
  stateless?: boolean;
  /** Organizations that may use `internal` servers. @default OPERATOR_TENANTS */
  operatorTenants?: readonly string[];
  /** code-intelligence: directory to index. @default the monorepo root (found via pnpm-workspace.yaml) */
  root?: string;
  /** database: wall-clock limit per query in ms. @default 5000 */
  queryTimeoutMs?: number;
  /** database: most rows a query returns. @default 500 */
  rowLimit?: number;
  /** vault: `'auto'` ranks with OpenAI embeddings when `OPENAI_API_KEY` is set, `'off'` always locally. @default 'auto' */
  embeddings?: 'auto' | 'off';
  /** Most live sessions; past it the least recently used one is closed. @default 200 */
  maxSessions?: number;
  /** Idle time after which a session is closed, in ms. @default 1_800_000 */
  sessionIdleMs?: number;
  /**
   * Pre-built demo data (saves regenerating it for each server of a fleet). Instances of one
   * server started over the same object share their state, like replicas over one database.
   */
  data?: DemoData;
}

/** A running demo server. */
export interface RunningServer {
  name: ServerName;
  /** MCP endpoint, e.g. `http://127.0.0.1:4101/mcp`. */
  url: string;
  port: number;
  /** Closes sessions, the HTTP listener and any worker; resolves when all are released. */
  close(): Promise<void>;
}

function createRuntime(
  name: ServerName,
  context: ServerContext,
  options: DemoServerOptions,
): Promise<ServerRuntime> | ServerRuntime {
  switch (name) {
    case 'billy':
      return createBillyRuntime(context);
    case 'calendar':
      return createCalendarRuntime(context);
    case 'knowledge':
      return createKnowledgeRuntime(context);
    case 'vault':
      return createVaultRuntime(context, { embeddings: options.embeddings ?? 'auto' });
    case 'code-intelligence':
      return createCodeIntelligenceRuntime({ ...(options.root ? { root: options.root } : {}) });
    case 'database':
      return createDatabaseRuntime(context, {
        ...(options.queryTimeoutMs !== undefined ? { queryTimeoutMs: options.queryTimeoutMs } : {}),
        ...(options.rowLimit !== undefined ? { rowLimit: options.rowLimit } : {}),
      });
  }
}

/** The refusal, if any, of a tool call by this caller under the server's tenancy. */
function accessCheck(
  tenancy: ServerTenancy,
  operators: readonly string[],
): (extra: MetaCarrier | undefined) => void {
  if (tenancy === 'shared') return () => {};
  if (tenancy === 'tenant') return (extra) => void requireTenantId(extra);
  return (extra) => {
    if (!operators.includes(requireTenantId(extra))) {
      throw new DemoServerError(
        'forbidden',
        "caller: this is the operator's internal server; the organization may not use it",
      );
    }
  };
}

/**
 * Runs `check` before every tool of `server`, whatever the tool: a tool added later cannot
 * forget the tenancy rule. The SDK passes the request's `extra` as a callback's last argument.
 */
function guardTools(server: McpServer, check: (extra: MetaCarrier | undefined) => void): McpServer {
  const register = server.registerTool.bind(server) as (...args: unknown[]) => unknown;
  const guarded = (name: unknown, config: unknown, callback: (...args: unknown[]) => unknown) =>
    register(name, config, (...args: unknown[]) => {
      check(args[args.length - 1] as MetaCarrier | undefined);
      return callback(...args);
    });
  server.registerTool = guarded as McpServer['registerTool'];
  // Task tools too: creating, polling and fetching a task's result are all held to the rule.
  const tasks = server.experimental.tasks;
  const registerTask = tasks.registerToolTask.bind(tasks) as (...args: unknown[]) => unknown;
  tasks.registerToolTask = ((name: unknown, config: unknown, handler: object) => {
    const wrapped = Object.fromEntries(
      Object.entries(handler).map(([key, callback]) => [
        key,
        (...args: unknown[]) => {
          check(args[args.length - 1] as MetaCarrier | undefined);
          return (callback as (...inner: unknown[]) => unknown)(...args);
        },
      ]),
    );
    return registerTask(name, config, wrapped);
  }) as unknown as typeof tasks.registerToolTask;
  return server;
}

interface SharedRuntime {
  runtime: Promise<ServerRuntime>;
  users: number;
}

// Instances started over the same `data` object share one runtime, the way replicas of a service
// share one database: an invoice created through one billy instance is visible through the other.
const sharedRuntimes = new WeakMap<DemoData, Map<ServerName, SharedRuntime>>();

async function acquireRuntime(
  name: ServerName,
  context: ServerContext,
  options: DemoServerOptions,
): Promise<{ runtime: ServerRuntime; release: () => Promise<void> }> {
  if (!options.data) {
    const runtime = await createRuntime(name, context, options);
    return { runtime, release: async () => runtime.close?.() };
  }
  let byName = sharedRuntimes.get(options.data);
  if (!byName) {
    byName = new Map();
    sharedRuntimes.set(options.data, byName);
  }
  let shared = byName.get(name);
  if (!shared) {
    shared = { runtime: Promise.resolve(createRuntime(name, context, options)), users: 0 };
    byName.set(name, shared);
  }
  const entry = shared;
  entry.users += 1;
  let runtime: ServerRuntime;
  try {
    runtime = await entry.runtime;
  } catch (error) {
    entry.users -= 1;
    if (byName.get(name) === entry) byName.delete(name);
    throw error;
  }
  let released = false;
  return {
    runtime,
    release: async () => {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users === 0) {
        byName?.delete(name);
        await runtime.close?.();
      }
    },
  };
}

/**
 * Starts one demo MCP server over Streamable HTTP at `/mcp` (plus `GET /health`).
 * @example
 * const billy = await startServer('billy', { port: 0 });
 * // connect any MCP client to billy.url, then:
 * await billy.close();
 */
export async function startServer(
  name: ServerName,
  options: DemoServerOptions = {},
): Promise<RunningServer> {
  if (!(SERVER_NAMES as readonly string[]).includes(name)) {
    throw new DemoServerError(
      'unknown_server',
      `unknown server "${String(name)}"; expected one of ${SERVER_NAMES.join(', ')}`,
    );
  }
  const port = options.port ?? DEFAULT_PORTS[name];
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new DemoServerError(
      'invalid_argument',
      `port: expected an integer from 0 to 65535, got ${port}`,
      { field: 'port' },
    );
  }
  if (options.now !== undefined && Number.isNaN(options.now.getTime())) {
    throw new DemoServerError('invalid_argument', 'now: invalid Date', { field: 'now' });
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new DemoServerError(
      'invalid_argument',
      `seed: expected an integer, got ${options.seed}`,
      { field: 'seed' },
    );
  }
  const now = options.now ?? new Date();
  const data =
    options.data ??
    createDemoData({ now, ...(options.seed !== undefined ? { seed: options.seed } : {}) });
  const context: ServerContext = { data, now, books: booksFor(data) };
  const checkAccess = accessCheck(
    SERVER_TENANCY[name],
    options.operatorTenants ?? OPERATOR_TENANTS,
  );
  const { runtime, release } = await acquireRuntime(name, context, options);
  try {
    const listener = await listenMcpHttp({
      name,
      port,
      host: options.host ?? '127.0.0.1',
      stateless: options.stateless ?? false,
      createMcpServer: () => {
        const server = new McpServer(
          { name: `tekup-${name}`, version: DEMO_SERVERS_VERSION },
          runtime.taskStore
            ? {
                // Long calls may run as tasks: created, polled, cancelled, their result fetched.
                capabilities: {
                  tools: {},
                  tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
                },
                taskStore: runtime.taskStore,
              }
            : { capabilities: { tools: {} } },
        );
        runtime.register(guardTools(server, checkAccess));
        return server;
      },
      ...(runtime.health ? { health: runtime.health } : {}),
      ...(options.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {}),
      ...(options.sessionIdleMs !== undefined ? { sessionIdleMs: options.sessionIdleMs } : {}),
    });
    return {
      name,
      url: listener.url,
      port: listener.port,
      close: async () => {
        await listener.close();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}
