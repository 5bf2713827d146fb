// Kept whole: every method shares one client's closure state (connections, tool cache, namer).
import { followUntilAborted } from '@tekup/mcp-contract';
import {
  type Connection,
  type ConnectionState,
  createConnection,
  type ProtocolEra,
} from './connection';
import { postDecision, type ToolDecision } from './decisions';
import { McpClientError } from './errors';
import { type GatewayTool, toGatewayTool } from './gateway-tool';
import { createToolNamer, parsePlainToolName, type ToolAddress } from './namespacing';
import {
  buildParameterHeaders,
  type ParameterHeader,
  readParameterHeaders,
} from './parameter-headers';
import { isJsonRpcMessage, isRecord, MODERN_ERROR_CODES } from './protocol';
import { toToolResult } from './tool-result';
import type {
  AnswerQuestion,
  ClientInfo,
  GetPromptResult,
  McpTask,
  McpPrompt,
  McpResource,
  McpTool,
  Progress,
  ReadResourceResult,
  ToolResult,
} from './types';

/** How long a task the client starts may live upstream, unless asked otherwise. */
const DEFAULT_TASK_TTL_MS = 600_000;

/** A task from a server's answer, or an invalid_response error. */
function requireTask(value: unknown, server: string): McpTask {
  if (!isRecord(value) || typeof value.taskId !== 'string' || typeof value.status !== 'string') {
    throw new McpClientError('invalid_response', `${server}: the answer is not a task`, { server });
  }
  return value as unknown as McpTask;
}

/** Options of {@link createGatewayClient}. */
export interface GatewayClientOptions {
  /** Gateway base URL (`'/api/gateway'` or `'https://…'`); relative URLs resolve against `location.origin`. */
  gateway: string;
  /** Server names; each is reached at `{gateway}/mcp/{server}`. */
  servers: string[];
  /** Fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: HeadersInit;
  /** Called before every request for fresh headers (e.g. a short-lived token); wins over `headers`. */
  getHeaders?: () => HeadersInit | Promise<HeadersInit>;
  /** Default per-request timeout in milliseconds. @default 30_000 */
  timeoutMs?: number;
  /** Aborting it closes the client. */
  signal?: AbortSignal;
  /** Pins a protocol revision instead of negotiating (`'2026-07-28'`, `'2025-11-25'`, …). */
  protocolVersion?: string;
  /** Fetch credentials mode. @default 'same-origin' */
  credentials?: RequestCredentials;
  /** Reported to servers. @default { name: '@tekup/mcp-client-web', version: '0.1.0' } */
  clientInfo?: ClientInfo;
  /**
   * Maps a server name to its MCP endpoint URL, for servers not behind the gateway layout.
   * @default (server, gateway) => `${gateway}/mcp/${encodeURIComponent(server)}`
   */
  endpoint?: (server: string, gateway: string) => string;
  /**
   * What servers may ask the person during a call, declared to every server: form and/or URL
   * elicitation, sampling. Questions are answered by the call's `answer` option, else by
   * `answer` here; with neither, or undeclared, servers are told they cannot ask.
   */
  questions?: {
    elicitation?: ReadonlyArray<'form' | 'url'>;
    sampling?: boolean;
    answer?: AnswerQuestion;
  };
}

/** Options of a single request. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Extra headers for this request only. */
  headers?: HeadersInit;
}

/** Options of a tool call. */
export interface CallToolOptions extends RequestOptions {
  /** Receives `notifications/progress` for this call. */
  onProgress?: (progress: Progress) => void;
  /** Answers the server's questions during this call (see {@link GatewayClientOptions.questions}). */
  answer?: AnswerQuestion;
}

/** Tools across servers; a server that failed is reported, not fatal. */
export interface ToolListing {
  tools: GatewayTool[];
  failures: Array<{ server: string; error: McpClientError }>;
}

/** What a server connection has negotiated so far. */
export interface ServerStatus {
  /** `'modern'` (2026-07-28, stateless) or `'legacy'` (initialize + sessions); unset before first contact. */
  era?: ProtocolEra;
  protocolVersion?: string;
  sessionId?: string;
  capabilities?: Record<string, unknown>;
  serverInfo?: Record<string, unknown>;
}

/** One server behind the gateway, spoken to with its own tool names. */
export interface ServerClient {
  /** The server name. */
  readonly name: string;
  /** Lists every tool (all pages); tools with invalid `x-mcp-header` annotations are left out. */
  listTools(options?: RequestOptions): Promise<McpTool[]>;
  /** Calls a tool by its own (not namespaced) name. */
  callTool(
    tool: string,
    args?: Record<string, unknown>,
    options?: CallToolOptions,
  ): Promise<ToolResult>;
  /** Lists every resource (all pages). */
  listResources(options?: RequestOptions): Promise<McpResource[]>;
  /** Reads one resource. */
  readResource(uri: string, options?: RequestOptions): Promise<ReadResourceResult>;
  /** Lists every prompt (all pages). */
  listPrompts(options?: RequestOptions): Promise<McpPrompt[]>;
  /** Renders one prompt. */
  getPrompt(
    name: string,
    args?: Record<string, string>,
    options?: RequestOptions,
  ): Promise<GetPromptResult>;
  /** Checks the server answers (`ping`, or `server/discover` on 2026-07-28 which removed `ping`). */
  ping(options?: RequestOptions): Promise<void>;
  /** What the connection has negotiated so far. */
  status(): ServerStatus;
}

/** One client for many MCP servers behind one gateway. */
export interface GatewayClient {
  /** Lists the tools of every server, namespaced; cached until a server reports a change or `refresh`. */
  listTools(options?: { signal?: AbortSignal; refresh?: boolean }): Promise<ToolListing>;
  /** Calls a tool by its namespaced name. */
  callTool(
    name: string,
    args?: Record<string, unknown>,
    options?: CallToolOptions,
  ): Promise<ToolResult>;
  /**
   * Starts a tool call as a task (tools with `taskSupport`): it answers at once with the task,
   * which `getTask` polls, `taskResult` fetches at its end and `cancelTask` stops.
   */
  startTask(
    name: string,
    args?: Record<string, unknown>,
    options?: RequestOptions & { ttlMs?: number },
  ): Promise<{ server: string; task: McpTask }>;
  getTask(server: string, taskId: string, options?: RequestOptions): Promise<McpTask>;
  taskResult(server: string, taskId: string, options?: RequestOptions): Promise<ToolResult>;
  cancelTask(server: string, taskId: string, options?: RequestOptions): Promise<McpTask>;
  /** The client for one server (any name the gateway serves, listed in `servers` or not). */
  server(name: string): ServerClient;
  /**
   * Records a decision about a namespaced tool in the gateway's audit log
   * (`POST {gateway}/decisions`); resolves once it is stored.
   * @throws McpClientError `http` with the gateway's code when it refuses.
   */
  reportDecision(name: string, decision: ToolDecision, options?: RequestOptions): Promise<void>;
  /** Maps a namespaced name back to its server and tool. */
  resolveTool(name: string): { server: string; tool: string } | undefined;
  /** Called with the server name when its tool list changed; returns an unsubscribe function. */
  onToolsChanged(listener: (server: string) => void): () => void;
  /** Ends every session and fails later calls with `not_connected`. */
  close(): Promise<void>;
}

interface ServerTools {
  tools: McpTool[];
  headers: Map<string, ParameterHeader[]>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_PAGES = 100;
const DEFAULT_CLIENT_INFO: ClientInfo = { name: '@tekup/mcp-client-web', version: '0.1.0' };

function resolveBase(gateway: string): string {
  const base = gateway.replace(/\/+$/, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(base)) return base;
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  if (!origin || origin === 'null') {
    throw new TypeError(
      `createGatewayClient: "${gateway}" is relative and there is no location.origin`,
    );
  }
  return new URL(base, origin).href.replace(/\/+$/, '');
}

/** `result[key]` when it is an array; otherwise the result is not what `method` promises. */
function requireList(
  result: Record<string, unknown>,
  key: string,
  server: string,
  method: string,
): unknown[] {
  const list = result[key];
  if (!Array.isArray(list)) {
    throw new McpClientError('invalid_response', `${server}: ${method} result has no ${key}`, {
      server,
    });
  }
  return list;
}

/** Waits for a shared promise, giving up (without cancelling it) when `signal` aborts. */
function followWithSignal<T>(
  shared: Promise<T>,
  signal: AbortSignal | undefined,
  server: string,
): Promise<T> {
  if (!signal) return shared;
  return followUntilAborted(
    shared,
    signal,
    () =>
      new McpClientError('aborted', 'The request was aborted', { server, cause: signal.reason }),
  );
}

/**
 * Creates one client for many MCP servers behind one gateway, each reached at
 * `{gateway}/mcp/{server}` over Streamable HTTP. Connects lazily; speaks 2026-07-28 (stateless)
 * and 2025-03-26 … 2025-11-25 (sessions).
 *
 * @example
 * const client = createGatewayClient({ gateway: '/api/gateway', servers: ['billy', 'calendar'] });
 * const { tools, failures } = await client.listTools();
 * const result = await client.callTool(tools[0].name, { limit: 5 }, { timeoutMs: 10_000 });
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const servers = [...new Set(options.servers)];
  const base = resolveBase(options.gateway);
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const namer = createToolNamer();
  const connections = new Map<string, Connection>();
  const serverClients = new Map<string, ServerClient>();
  const toolCache = new Map<string, ServerTools>();
  const pendingTools = new Map<string, Promise<ServerTools>>();
  const listeners = new Set<(server: string) => void>();
  let closed = false;

  const buildHeaders = async () => {
    const headers = new Headers(options.headers);
    if (options.getHeaders) {
      for (const [key, value] of new Headers(await options.getHeaders())) headers.set(key, value);
    }
    return headers;
  };

  const toolsChanged = (server: string) => {
    toolCache.delete(server);
    for (const listener of [...listeners]) {
      try {
        listener(server);
      } catch {
        // A failing listener must not break the stream that delivered the notification.
      }
    }
  };

  const questions = options.questions;
  const capabilities: Record<string, unknown> = {};
  if (questions?.elicitation?.length) {
    capabilities.elicitation = Object.fromEntries(questions.elicitation.map((mode) => [mode, {}]));
  }
  if (questions?.sampling) capabilities.sampling = {};

  const connectionFor = (server: string): Connection => {
    if (closed)
      throw new McpClientError('not_connected', 'The gateway client is closed', { server });
    let connection = connections.get(server);
    if (!connection) {
      const connectionOptions: Parameters<typeof createConnection>[0] = {
        url: options.endpoint
          ? options.endpoint(server, base)
          : `${base}/mcp/${encodeURIComponent(server)}`,
        server,
        fetch: fetchImpl,
        headers: buildHeaders,
        credentials: options.credentials ?? 'same-origin',
        clientInfo: options.clientInfo ?? DEFAULT_CLIENT_INFO,
        timeoutMs,
        capabilities,
        ...(questions?.answer ? { answer: questions.answer } : {}),
        onNotification(message) {
          if (isJsonRpcMessage(message) && message.method === 'notifications/tools/list_changed') {
            toolsChanged(server);
          }
        },
      };
      if (options.protocolVersion !== undefined)
        connectionOptions.protocolVersion = options.protocolVersion;
      connection = createConnection(connectionOptions);
      connections.set(server, connection);
    }
    return connection;
  };

  const request = (
    server: string,
    method: string,
    params: Record<string, unknown> | undefined,
    requestOptions: CallToolOptions & { name?: string; extraHeaders?: Record<string, string> } = {},
  ) => {
    const connection = connectionFor(server);
    const connectionOptions: Parameters<Connection['request']>[2] = {
      timeoutMs: requestOptions.timeoutMs ?? timeoutMs,
    };
    if (requestOptions.signal) connectionOptions.signal = requestOptions.signal;
    if (requestOptions.headers) connectionOptions.headers = requestOptions.headers;
    if (requestOptions.onProgress) connectionOptions.onProgress = requestOptions.onProgress;
    const answer = requestOptions.answer ?? options.questions?.answer;
    if (answer) connectionOptions.answer = answer;
    if (requestOptions.name !== undefined) connectionOptions.name = requestOptions.name;
    if (requestOptions.extraHeaders) connectionOptions.extraHeaders = requestOptions.extraHeaders;
    return connection.request(method, params, connectionOptions);
  };

  const listAll = async <T>(
    server: string,
    method: string,
    key: string,
    requestOptions?: RequestOptions,
  ): Promise<T[]> => {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await request(
        server,
        method,
        cursor === undefined ? {} : { cursor },
        requestOptions,
      );
      items.push(...(requireList(result, key, server, method) as T[]));
      cursor =
        typeof result.nextCursor === 'string' && result.nextCursor !== ''
          ? result.nextCursor
          : undefined;
      if (cursor === undefined) break;
    }
    return items;
  };

  const loadTools = (server: string, requestOptions?: RequestOptions): Promise<ServerTools> => {
    const pending = pendingTools.get(server);
    if (pending) return followWithSignal(pending, requestOptions?.signal, server);
    // The listing is shared by every caller that asks while it runs, so no single caller's
    // signal may cancel it: each caller stops waiting on its own signal instead.
    const { signal: callerSignal, ...shared } = requestOptions ?? {};
    const load = listAll<McpTool>(server, 'tools/list', 'tools', shared)
      .then((listed) => {
        const tools: McpTool[] = [];
        const headers = new Map<string, ParameterHeader[]>();
        for (const tool of listed) {
          if (!isRecord(tool) || typeof tool.name !== 'string') continue;
          const parameterHeaders = readParameterHeaders(tool.inputSchema);
          // The spec makes a tool with a malformed x-mcp-header unusable: leave it out.
          if (parameterHeaders === undefined) continue;
          if (parameterHeaders.length > 0) headers.set(tool.name, parameterHeaders);
          tools.push(tool);
        }
        const entry = { tools, headers };
        if (pendingTools.get(server) === load) toolCache.set(server, entry);
        return entry;
      })
      .finally(() => {
        if (pendingTools.get(server) === load) pendingTools.delete(server);
      });
    pendingTools.set(server, load);
    return followWithSignal(load, callerSignal, server);
  };

  const callServerTool = async (
    server: string,
    tool: string,
    args: Record<string, unknown> = {},
    callOptions: CallToolOptions = {},
  ): Promise<ToolResult> => {
    const send = (headers: ParameterHeader[] | undefined) =>
      request(
        server,
        'tools/call',
        { name: tool, arguments: args },
        {
          ...callOptions,
          name: tool,
          extraHeaders: headers ? buildParameterHeaders(headers, args) : {},
        },
      );
    try {
      return toToolResult(await send(toolCache.get(server)?.headers.get(tool)), server);
    } catch (error) {
      // A header mismatch means our copy of the tool's x-mcp-header schema is stale.
      if (!(error instanceof McpClientError) || error.rpcCode !== MODERN_ERROR_CODES.headerMismatch)
        throw error;
      toolCache.delete(server);
      const fresh = await loadTools(server, callOptions);
      return toToolResult(await send(fresh.headers.get(tool)), server);
    }
  };

  const serverClient = (server: string): ServerClient => {
    let client = serverClients.get(server);
    if (client) return client;
    client = {
      name: server,
      async listTools(requestOptions) {
        toolCache.delete(server);
        return (await loadTools(server, requestOptions)).tools;
      },
      callTool: (tool, args, callOptions) => callServerTool(server, tool, args, callOptions),
      listResources: (requestOptions) =>
        listAll<McpResource>(server, 'resources/list', 'resources', requestOptions),
      async readResource(uri, requestOptions) {
        const result = await request(
          server,
          'resources/read',
          { uri },
          { ...requestOptions, name: uri },
        );
        requireList(result, 'contents', server, 'resources/read');
        return result as unknown as ReadResourceResult;
      },
      listPrompts: (requestOptions) =>
        listAll<McpPrompt>(server, 'prompts/list', 'prompts', requestOptions),
      async getPrompt(name, args, requestOptions) {
        const params: Record<string, unknown> = { name };
        if (args) params.arguments = args;
        const result = await request(server, 'prompts/get', params, { ...requestOptions, name });
        requireList(result, 'messages', server, 'prompts/get');
        return result as unknown as GetPromptResult;
      },
      async ping(requestOptions = {}) {
        const connection = connectionFor(server);
        const connectOptions: { signal?: AbortSignal; timeoutMs: number } = {
          timeoutMs: requestOptions.timeoutMs ?? timeoutMs,
        };
        if (requestOptions.signal) connectOptions.signal = requestOptions.signal;
        await connection.connect(connectOptions);
        // 2026-07-28 removed `ping`; `server/discover` is the cheapest modern round trip.
        if (connection.state.era === 'modern')
          await request(server, 'server/discover', {}, requestOptions);
        else await request(server, 'ping', undefined, requestOptions);
      },
      status() {
        const state: Readonly<ConnectionState> = connections.get(server)?.state ?? {};
        return { ...state };
      },
    };
    serverClients.set(server, client);
    return client;
  };

  const resolveTool = (name: string): ToolAddress | undefined => {
    const known = namer.resolve(name);
    if (known) return known;
    // Before a listing (or for a server whose listing failed) only exact plain names resolve.
    const plain = parsePlainToolName(name);
    return plain && servers.includes(plain.server) && !toolCache.has(plain.server)
      ? plain
      : undefined;
  };

  const assignNames = () => {
    const entries: Array<{ server: string; tool: McpTool }> = [];
    for (const server of servers) {
      for (const tool of toolCache.get(server)?.tools ?? []) entries.push({ server, tool });
    }
    const names = namer.assign(entries.map(({ server, tool }) => ({ server, tool: tool.name })));
    return entries.map(({ server, tool }, index) => toGatewayTool(names[index]!, server, tool));
  };

  const client: GatewayClient = {
    async listTools(listOptions = {}) {
      if (closed) throw new McpClientError('not_connected', 'The gateway client is closed');
      const failures: ToolListing['failures'] = [];
      await Promise.all(
        servers.map(async (server) => {
          if (listOptions.refresh) toolCache.delete(server);
          if (toolCache.has(server)) return;
          try {
            await loadTools(server, listOptions.signal ? { signal: listOptions.signal } : {});
          } catch (error) {
            failures.push({
              server,
              error:
                error instanceof McpClientError
                  ? error
                  : new McpClientError('network', `${server}: ${String(error)}`, {
                      server,
                      cause: error,
                    }),
            });
          }
        }),
      );
      failures.sort((left, right) => servers.indexOf(left.server) - servers.indexOf(right.server));
      return { tools: assignNames(), failures };
    },
    async callTool(name, args, callOptions) {
      let address = resolveTool(name);
      if (!address) {
        await client.listTools(callOptions?.signal ? { signal: callOptions.signal } : {});
        address = resolveTool(name);
      }
      if (!address) throw new McpClientError('unknown_tool', `Unknown tool "${name}"`);
      return callServerTool(address.server, address.tool, args, callOptions);
    },
    server(name) {
      return serverClient(name);
    },
    async startTask(name, args = {}, taskOptions = {}) {
      const { ttlMs, ...requestOptions } = taskOptions;
      let address = resolveTool(name);
      if (!address) {
        await client.listTools(requestOptions.signal ? { signal: requestOptions.signal } : {});
        address = resolveTool(name);
      }
      if (!address) throw new McpClientError('unknown_tool', `Unknown tool "${name}"`);
      const headers = toolCache.get(address.server)?.headers.get(address.tool);
      const result = await request(
        address.server,
        'tools/call',
        { name: address.tool, arguments: args, task: { ttl: ttlMs ?? DEFAULT_TASK_TTL_MS } },
        {
          ...requestOptions,
          name: address.tool,
          extraHeaders: headers ? buildParameterHeaders(headers, args) : {},
        },
      );
      return { server: address.server, task: requireTask(result.task, address.server) };
    },
    async getTask(server, taskId, requestOptions) {
      return requireTask(await request(server, 'tasks/get', { taskId }, requestOptions), server);
    },
    async taskResult(server, taskId, requestOptions) {
      return toToolResult(
        await request(server, 'tasks/result', { taskId }, requestOptions),
        server,
      );
    },
    async cancelTask(server, taskId, requestOptions) {
      return requireTask(await request(server, 'tasks/cancel', { taskId }, requestOptions), server);
    },
    async reportDecision(name, decision, requestOptions = {}) {
      if (closed) throw new McpClientError('not_connected', 'The gateway client is closed');
      const address = resolveTool(name);
      if (!address) throw new McpClientError('unknown_tool', `Unknown tool "${name}"`);
      const headers = await buildHeaders();
      for (const [key, value] of new Headers(requestOptions.headers)) headers.set(key, value);
      await postDecision(
        {
          base,
          fetch: fetchImpl,
          credentials: options.credentials ?? 'same-origin',
          headers,
          timeoutMs: requestOptions.timeoutMs ?? timeoutMs,
          signal: requestOptions.signal,
        },
        address,
        decision,
      );
    },
    resolveTool,
    onToolsChanged(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...connections.values()].map((connection) => connection.close()));
    },
  };

  if (options.signal?.aborted) void client.close();
  else options.signal?.addEventListener('abort', () => void client.close(), { once: true });
  return client;
}
