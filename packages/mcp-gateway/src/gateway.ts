/**
 * The gateway core: a Streamable HTTP MCP server on Web Request/Response that terminates
 * MCP for each configured server and relays requests to a pool of upstream instances
 * through the policy stages.
 */
import { CALLER_META_KEY } from '@tekup/mcp-contract';
import {
  type GatewayConfig,
  type GatewayConfigInput,
  parseConfig,
  type ServerConfig,
} from './config.js';
import { GatewayError } from './errors.js';
import {
  corsHeaders,
  createOriginPolicy,
  type OriginAccess,
  preflightResponse,
} from './http/cors.js';
import {
  type ClientMessage,
  errorBody,
  type JsonRpcId,
  parseClientMessage,
  toGatewayError,
} from './http/json-rpc.js';
import { decodeHeaderValue, paramHeaderProblem, paramHeaders } from './http/param-headers.js';
import { textResponse } from './http/body-cache.js';
import { parseCallerJson } from './http/json-bounds.js';
import { readBody } from './http/read-body.js';
import { createSessionCodec } from './http/session.js';
import { createSseWriter, type SseWriter } from './http/sse.js';
import { type Logger, silentLogger } from './observability/logger.js';
import { createMetrics, type GatewayMetrics } from './observability/metrics.js';
import {
  type Authenticator,
  type Clock,
  type Next,
  type Principal,
  type RequestContext,
  type Stage,
  systemClock,
} from './pipeline/types.js';
import type { UpstreamNotification } from './upstream/connection.js';
import {
  assertScope,
  assertTenancy,
  mayDiscover,
  neededScope,
  scopeAllows,
  seesInfrastructure,
} from './pipeline/access.js';
import { redactStatus, ServerPool, type ServerStatus } from './upstream/server-pool.js';
import { isRetrySafe, resolveToolSafety } from '@tekup/mcp-contract';

/** Protocol revisions that use `initialize` and (optionally) `Mcp-Session-Id`. */
export const LEGACY_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
/** Stateless protocol revisions (per-request metadata, `Mcp-Method` / `Mcp-Name`). */
export const MODERN_PROTOCOL_VERSIONS = ['2026-07-28'] as const;

const supportedVersions: readonly string[] = [
  ...MODERN_PROTOCOL_VERSIONS,
  ...LEGACY_PROTOCOL_VERSIONS,
];
const gatewayVersion = '0.1.0';

export { CALLER_META_KEY };

/** Methods relayed upstream through the stages. */
const upstreamMethods = new Set([
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
]);

/** Method names used as metric labels; anything else is counted as `other`. */
const knownMethods = new Set([
  ...upstreamMethods,
  'initialize',
  'ping',
  'logging/setLevel',
  'server/discover',
  'notifications/initialized',
  'notifications/cancelled',
  'GET',
  'DELETE',
]);

/** Methods whose `Mcp-Name` header mirrors `params.name` or `params.uri` (2026-07-28). */
const namedMethods: Readonly<Record<string, 'name' | 'uri'>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

/** What CORS grants the request's browser origin. */
interface CorsGrant {
  origin: string;
  access: Exclude<OriginAccess, false>;
}

/** Connection facts an adapter knows and a Request does not carry. */
export interface RequestInfo {
  /** The peer's IP address (the Node adapter fills it). */
  remoteAddress?: string;
  /**
   * Aborted when the client goes away; used instead of `request.signal` when given (an
   * adapter saves building a Request that follows a signal).
   */
  signal?: AbortSignal;
}

/** Runtime collaborators of {@link createGateway}. */
export interface GatewayRuntimeOptions {
  /** Turns a Request into a Principal; throw `unauthorized` to refuse. @default everyone is anonymous */
  authenticate?: Authenticator;
  /** Policy stages, outermost first; every upstream-bound request runs through them in order. */
  stages?: readonly Stage[];
  /** @default the system clock */
  clock?: Clock;
  /** pino-compatible logger. @default silent */
  logger?: Logger;
  /** @default the built-in Prometheus text registry */
  metrics?: GatewayMetrics;
  /** `fetch` used for upstream calls. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Random source for backoff jitter. @default Math.random */
  random?: () => number;
  /** Run periodic health checks (`healthCheck.intervalMs`). @default true */
  healthChecks?: boolean;
}

/**
 * Options of {@link createGateway}: the configuration (raw, validated here) plus runtime
 * collaborators — or an already resolved `config` (from `parseConfig` / `loadConfig`).
 */
export type GatewayOptions =
  | (GatewayConfigInput & GatewayRuntimeOptions & { config?: undefined })
  | (GatewayRuntimeOptions & { config: GatewayConfig });

/** A running gateway. */
export interface Gateway {
  /** Handles one HTTP request (`{basePath}/mcp/{server}`, `/servers`, `/health`, `/metrics`). */
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
  /** Refuses new requests, waits for in-flight ones up to `deadlineMs`, then closes stages and upstreams. */
  close(options?: { deadlineMs?: number }): Promise<void>;
  /**
   * Each server, its instances, health, latency and counts — as `principal` may see it when
   * given (no internal servers of other organizations, no instance URLs for non-operators).
   */
  status(principal?: Principal): ServerStatus[];
  /** Runs one round of active health checks now. */
  checkHealth(): Promise<void>;
  /** The resolved configuration. */
  readonly config: GatewayConfig;
}

const runtimeKeys = new Set([
  'authenticate',
  'stages',
  'clock',
  'logger',
  'metrics',
  'fetch',
  'random',
  'healthChecks',
  'config',
]);

const anonymous: Principal = { id: 'anonymous', kind: 'anonymous', role: 'anonymous' };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Per-request data the terminal stage needs, carried on the context under a symbol (spread-safe). */
const internal = Symbol('gateway.internal');
interface InternalContext extends RequestContext {
  [internal]: {
    onNotification: (notification: UpstreamNotification) => void;
    serverPool: ServerPool;
    controller: AbortController;
  };
}

function withoutCallerMeta(
  params: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const meta = params?._meta;
  if (
    params === undefined ||
    meta === null ||
    typeof meta !== 'object' ||
    !(CALLER_META_KEY in meta)
  ) {
    return params;
  }
  const { [CALLER_META_KEY]: _spoofed, ...rest } = meta as Record<string, unknown>;
  return { ...params, _meta: rest };
}

function withCallerMeta(
  params: Record<string, unknown> | undefined,
  principal: Principal,
): Record<string, unknown> {
  const meta = (params?._meta as Record<string, unknown> | undefined) ?? {};
  const caller: Record<string, unknown> = { userId: principal.id, role: principal.role };
  if (principal.tenantId !== undefined) caller.tenantId = principal.tenantId;
  return { ...params, _meta: { ...meta, [CALLER_META_KEY]: caller } };
}

/**
 * The value of the on-behalf-of header that names `principal` to an upstream gateway trusting
 * this one's key: `{"id","role","tenantId"}` JSON.
 */
export function onBehalfValue(principal: Principal): string {
  const user: Record<string, string> = { id: principal.id, role: principal.role };
  if (principal.tenantId !== undefined) user.tenantId = principal.tenantId;
  return JSON.stringify(user);
}

/** The on-behalf-of header for an upstream gateway, when the server has one configured. */
function onBehalfHeaders(
  server: ServerConfig,
  principal: Principal,
): { headers?: Record<string, string> } {
  if (server.onBehalfHeader === undefined || principal.kind === 'anonymous') return {};
  return { headers: { [server.onBehalfHeader]: onBehalfValue(principal) } };
}

/** Sessions belong to whoever holds the connection: a trusted service acting for users keeps one. */
function sessionOwner(principal: Principal): string {
  return principal.actor?.id ?? principal.id;
}

function pickCapabilities(upstream: unknown): Record<string, unknown> {
  const source = (upstream ?? {}) as Record<string, unknown>;
  const capabilities: Record<string, unknown> = { logging: {} };
  // list_changed and subscriptions are not relayed to clients (no standalone GET stream).
  if (source.tools !== undefined) capabilities.tools = {};
  if (source.prompts !== undefined) capabilities.prompts = {};
  if (source.resources !== undefined) capabilities.resources = {};
  if (source.completions !== undefined) capabilities.completions = {};
  return capabilities;
}

/**
 * Creates a gateway.
 *
 * @example
 * const gateway = createGateway({
 *   servers: { billy: { instances: ['http://127.0.0.1:4101/mcp', 'http://127.0.0.1:4111/mcp'] } },
 * });
 * const response = await gateway.fetch(new Request('http://localhost/mcp/billy', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
 *   body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
 * }));
 */
export function createGateway(options: GatewayOptions): Gateway {
  let config: GatewayConfig;
  if (options.config !== undefined) {
    config = options.config;
  } else {
    const configInput: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options)) {
      if (!runtimeKeys.has(key)) configInput[key] = value;
    }
    config = parseConfig(configInput);
  }
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? createMetrics();
  const stages = options.stages ?? [];
  const authenticate: Authenticator = options.authenticate ?? (async () => anonymous);
  const upstreamFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const originAccess = createOriginPolicy(config.allowedOrigins, {
    localhost: config.allowLocalhostOrigins,
  });
  const sessions = createSessionCodec({
    secret: config.sessionSecret,
    ttlMs: config.sessionTtlSeconds * 1000,
    clock,
  });

  const pools = new Map<string, ServerPool>();
  for (const server of Object.values(config.servers)) {
    pools.set(
      server.name,
      new ServerPool({
        server,
        gateway: config,
        fetch: upstreamFetch,
        clock,
        random: options.random ?? Math.random,
        logger,
        version: gatewayVersion,
        onInstanceHealth: (instance, healthy) =>
          metrics.instanceHealth(server.name, instance, healthy),
        onToolsChanged: () => {
          for (const stage of stages) {
            Promise.resolve(stage.onToolsChanged?.(server.name)).catch((error: unknown) =>
              logger.warn(
                { server: server.name, stage: stage.name, error: String(error) },
                'onToolsChanged failed',
              ),
            );
          }
        },
      }),
    );
  }

  const terminal: Next = async (context) => {
    const extra = (context as InternalContext)[internal];
    const server = config.servers[context.server] as ServerConfig;
    const isToolCall = context.method === 'tools/call';
    // Whatever stages ran, no request reaches an upstream its principal may not use. Listing a
    // tenant server's tools reveals no organization's data; everything else on it does.
    if (context.method !== 'tools/list' || server.tenancy === 'internal') {
      assertTenancy(context.principal, server, config.operators);
    }
    assertScope(
      context.principal,
      context.server,
      isToolCall ? neededScope(context.tool?.safety) : 'read',
    );
    // Decided in the client (the user rejected it): recorded by the stages, never sent upstream.
    if (context.decision !== undefined) return {};
    const { reply, instance } = await extra.serverPool.call(
      context.method,
      withCallerMeta(context.params, context.principal),
      {
        signal: context.signal,
        controller: extra.controller,
        timeoutMs: isToolCall ? server.toolCallTimeoutMs : server.requestTimeoutMs,
        attemptTimeoutMs: server.attemptTimeoutMs,
        retrySafe: !isToolCall || (context.tool !== undefined && isRetrySafe(context.tool.safety)),
        onNotification: extra.onNotification,
        ...onBehalfHeaders(server, context.principal),
      },
    );
    context.outcome.instance = instance;
    if ('error' in reply) {
      throw new GatewayError('upstream_rpc_error', reply.error.message, {
        rpcCode: reply.error.code,
        data: reply.error.data === undefined ? {} : { upstream: reply.error.data },
      });
    }
    if (context.method === 'tools/list' && context.params?.cursor === undefined) {
      extra.serverPool.rememberTools(reply.result);
    }
    if (isToolCall && reply.result.isError === true) context.outcome.toolError = true;
    return reply.result;
  };
  const pipeline: Next = stages.reduceRight<Next>(
    (next, stage) => (context) => stage.handle(context, next),
    terminal,
  );

  let closing = false;
  let inFlight = 0;
  // In-flight requests by caller, session and JSON-RPC id, for notifications/cancelled
  // (2025 era; only the instance serving the request can cancel it).
  const cancellable = new Map<string, AbortController>();
  const cancelKey = (principalId: string, request: Request, id: unknown) =>
    `${principalId}\u0000${request.headers.get('mcp-session-id') ?? ''}\u0000${String(id)}`;
  let drained: (() => void) | undefined;
  const healthTimer =
    options.healthChecks === false
      ? undefined
      : setInterval(() => {
          void checkHealth();
        }, config.healthCheck.intervalMs);
  (healthTimer as { unref?: () => void } | undefined)?.unref?.();
  // A first round right away, so /servers and /health reflect reality before the interval.
  const firstCheck =
    options.healthChecks === false ? undefined : setTimeout(() => void checkHealth(), 0);
  (firstCheck as { unref?: () => void } | undefined)?.unref?.();

  /** `/servers` as this principal may see it: no internal servers of others, no URLs for non-operators. */
  function visibleStatus(principal: Principal): ServerStatus[] {
    const detailed = seesInfrastructure(principal, config.operators);
    return [...pools.values()]
      .filter((pool) =>
        mayDiscover(principal, config.servers[pool.name] as ServerConfig, config.operators),
      )
      .map((pool) => (detailed ? pool.status() : redactStatus(pool.status())));
  }

  async function checkHealth(): Promise<void> {
    await Promise.all([...pools.values()].map((pool) => pool.checkHealth()));
  }

  function baseHeaders(requestId: string, cors: CorsGrant | null): Headers {
    const headers = new Headers({ 'x-request-id': requestId });
    if (cors !== null) corsHeaders(cors.origin, headers, cors.access);
    return headers;
  }

  function errorResponse(
    error: GatewayError,
    id: JsonRpcId | null,
    requestId: string,
    headers: Headers,
    status?: number,
  ): Response {
    headers.set('content-type', 'application/json');
    if (error.retryAfter !== undefined)
      headers.set('retry-after', String(Math.ceil(error.retryAfter)));
    if (error.code === 'method_not_allowed') headers.set('allow', 'GET, POST, DELETE, OPTIONS');
    return textResponse(JSON.stringify(errorBody(error, id, requestId)), {
      status: status ?? error.status,
      headers,
    });
  }

  function jsonResponse(body: unknown, status: number, headers: Headers): Response {
    headers.set('content-type', 'application/json');
    return textResponse(JSON.stringify(body), { status, headers });
  }

  async function handleMcp(
    request: Request,
    info: RequestInfo,
    serverName: string,
    requestId: string,
    origin: CorsGrant | null,
  ): Promise<Response> {
    const headers = baseHeaders(requestId, origin);
    let id: JsonRpcId | null = null;
    let modern = false;
    const started = clock.now();
    const startedPrecise = performance.now();
    let method = '';
    let toolName = '';
    let toolKnown = false;
    let principal: Principal | undefined;
    let outcome: RequestContext['outcome'] = {};
    const finish = (code: string, status: number) => {
      const durationMs = performance.now() - startedPrecise;
      // Labels must not grow with client input: unknown servers, methods and tools collapse.
      metrics.requestFinished(
        {
          server: pools.has(serverName) ? serverName : 'unknown',
          method: knownMethods.has(method) ? method : 'other',
          tool: toolName === '' ? '' : toolKnown ? toolName : 'unknown',
          code,
        },
        durationMs / 1000,
      );
      const fields: Record<string, unknown> = {
        requestId,
        server: serverName,
        method,
        durationMs: Math.round(durationMs * 100) / 100,
        outcome: code,
        status,
      };
      if (toolName !== '') fields.tool = toolName;
      if (outcome.instance !== undefined) fields.instance = outcome.instance;
      if (outcome.cache !== undefined) fields.cache = outcome.cache;
      if (principal !== undefined) fields.principal = principal.id;
      if (code === 'ok') logger.info(fields, 'mcp request');
      else logger.warn(fields, 'mcp request failed');
    };
    const fail = (error: unknown): Response => {
      const gatewayError = toGatewayError(error);
      if (gatewayError.code === 'internal_error') {
        logger.error(
          { requestId, server: serverName, error: String(gatewayError.cause ?? gatewayError) },
          'internal error',
        );
      }
      outcome.errorCode = gatewayError.code;
      // 2025-era clients read JSON-RPC errors from 200 responses; 2026-07-28 sends unknown methods a 404.
      let status = gatewayError.status;
      if (gatewayError.code === 'method_not_found' && !modern) status = 200;
      finish(gatewayError.code, status);
      return errorResponse(gatewayError, id, requestId, headers, status);
    };

    metrics.requestStarted(pools.has(serverName) ? serverName : 'unknown');
    try {
      const pool = pools.get(serverName);
      if (pool === undefined) {
        throw new GatewayError('unknown_server', `Unknown server "${serverName}"`, {
          data: { server: serverName },
        });
      }
      principal = await authenticate(request, info);
      const protocolHeader = request.headers.get('mcp-protocol-version');
      modern =
        protocolHeader !== null &&
        (MODERN_PROTOCOL_VERSIONS as readonly string[]).includes(protocolHeader);

      if (request.method === 'GET' || request.method === 'DELETE') {
        method = request.method;
        if (request.method === 'GET' || modern) {
          // No standalone server-to-client stream: list changes are not relayed to clients.
          throw new GatewayError(
            'method_not_allowed',
            `${request.method} is not supported on this endpoint`,
          );
        }
        const sessionId = request.headers.get('mcp-session-id');
        if (sessionId === null)
          throw new GatewayError('invalid_request', 'Mcp-Session-Id header required');
        const claims = await sessions.verify(sessionId);
        if (
          claims === undefined ||
          claims.server !== serverName ||
          claims.principalId !== sessionOwner(principal)
        ) {
          throw new GatewayError('session_not_found', 'Session not found; initialize a new one');
        }
        sessions.revoke(sessionId);
        finish('ok', 200);
        return new Response(null, { status: 200, headers });
      }
      if (request.method !== 'POST') {
        throw new GatewayError(
          'method_not_allowed',
          `${request.method} is not supported on this endpoint`,
        );
      }
      const contentType = request.headers.get('content-type');
      if (contentType !== null && !contentType.toLowerCase().includes('application/json')) {
        throw new GatewayError('invalid_request', 'Content-Type must be application/json', {
          status: 415,
        });
      }
      const text = await readBody(request, config.bodyLimitBytes);
      const raw = parseCallerJson(text, config.maxJsonDepth);
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
        const candidate = (raw as { id?: unknown }).id;
        if (typeof candidate === 'string' || typeof candidate === 'number') id = candidate;
      }
      const message: ClientMessage = parseClientMessage(raw);
      if (message.kind !== 'response') method = message.method;

      if (
        protocolHeader !== null &&
        !supportedVersions.includes(protocolHeader) &&
        method !== 'initialize'
      ) {
        throw new GatewayError(
          'unsupported_protocol_version',
          `Unsupported protocol version ${protocolHeader}`,
          {
            data: { supported: supportedVersions, requested: protocolHeader },
          },
        );
      }
      if (modern && message.kind !== 'response')
        checkModernHeaders(request, message, protocolHeader as string);

      if (!modern && message.kind === 'request' && message.method !== 'initialize') {
        const sessionId = request.headers.get('mcp-session-id');
        // Requests without a session are served statelessly; a session that does not verify gets 404 so the
        // client re-initializes (spec 2025-11-25, session management).
        if (sessionId !== null) {
          const claims = await sessions.verify(sessionId);
          if (
            claims === undefined ||
            claims.server !== serverName ||
            claims.principalId !== sessionOwner(principal)
          ) {
            throw new GatewayError('session_not_found', 'Session not found; initialize a new one');
          }
        }
      }

      if (message.kind !== 'request') {
        if (message.kind === 'notification' && message.method === 'notifications/cancelled') {
          const target = message.params?.requestId;
          cancellable.get(cancelKey(principal.id, request, target))?.abort();
        }
        finish('ok', 202);
        return new Response(null, { status: 202, headers });
      }

      if (closing)
        throw new GatewayError('shutting_down', 'The gateway is shutting down', { retryAfter: 1 });
      const signal = info.signal ?? request.signal;

      switch (message.method) {
        case 'initialize': {
          if (modern)
            throw new GatewayError('method_not_found', 'initialize is not part of 2026-07-28');
          const requested = message.params?.protocolVersion;
          const negotiated =
            typeof requested === 'string' &&
            (LEGACY_PROTOCOL_VERSIONS as readonly string[]).includes(requested)
              ? requested
              : LEGACY_PROTOCOL_VERSIONS[0];
          const info = await pool.serverInfo(
            signal,
            (config.servers[serverName] as ServerConfig).requestTimeoutMs,
          );
          const result: Record<string, unknown> = {
            protocolVersion: negotiated,
            capabilities: pickCapabilities(info.capabilities),
            serverInfo: info.serverInfo ?? { name: serverName, version: gatewayVersion },
          };
          if (typeof info.instructions === 'string') result.instructions = info.instructions;
          headers.set(
            'mcp-session-id',
            await sessions.issue({
              protocolVersion: negotiated,
              principalId: sessionOwner(principal),
              server: serverName,
            }),
          );
          finish('ok', 200);
          return jsonResponse({ jsonrpc: '2.0', id: message.id, result }, 200, headers);
        }
        case 'server/discover': {
          const info = await pool.serverInfo(
            signal,
            (config.servers[serverName] as ServerConfig).requestTimeoutMs,
          );
          finish('ok', 200);
          return jsonResponse(
            {
              jsonrpc: '2.0',
              id: message.id,
              result: {
                supportedVersions,
                capabilities: pickCapabilities(info.capabilities),
                serverInfo: info.serverInfo ?? { name: serverName, version: gatewayVersion },
                ...(typeof info.instructions === 'string'
                  ? { instructions: info.instructions }
                  : {}),
              },
            },
            200,
            headers,
          );
        }
        case 'ping':
        case 'logging/setLevel': {
          // The upstream session is shared by every client, so a client's log level is not forwarded.
          finish('ok', 200);
          return jsonResponse({ jsonrpc: '2.0', id: message.id, result: {} }, 200, headers);
        }
      }
      if (!upstreamMethods.has(message.method)) {
        throw new GatewayError('method_not_found', `Method not found: ${message.method}`);
      }
      return await relay(
        request,
        message,
        pool,
        principal,
        requestId,
        headers,
        started,
        modern,
        signal,
        {
          finish,
          fail,
          setTool: (name, known) => {
            toolName = name;
            toolKnown = known;
          },
          setOutcome: (value) => {
            outcome = value;
          },
        },
      );
    } catch (error) {
      return fail(error);
    }
  }

  /**
   * `POST {base}/decisions`: a decision the client took about a tool call that never went
   * upstream (`{ server, tool, callId, decision: 'rejected' }`). It runs through the stages like
   * the call would have — authorization, rate limit, audit — and is flushed to the audit log
   * before the answer. The row's id derives from the caller and `callId`, so a retry records
   * nothing twice.
   */
  async function handleDecision(
    request: Request,
    info: RequestInfo,
    requestId: string,
    origin: CorsGrant | null,
  ): Promise<Response> {
    const headers = baseHeaders(requestId, origin);
    try {
      if (request.method !== 'POST') {
        throw new GatewayError('method_not_allowed', `${request.method} is not supported here`);
      }
      const principal = await authenticate(request, info);
      const parsed = parseCallerJson(await readBody(request, 16 * 1024), config.maxJsonDepth);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new GatewayError('invalid_request', 'The body must be a JSON object');
      }
      const body = parsed as Record<string, unknown>;
      const field = (name: string, max: number): string => {
        const value = body[name];
        if (typeof value !== 'string' || value === '' || value.length > max) {
          throw new GatewayError('invalid_request', `${name}: a string of 1–${max} characters`, {
            data: { field: name },
          });
        }
        return value;
      };
      const serverName = field('server', 64);
      const tool = field('tool', 128);
      const callId = field('callId', 200);
      if (body.decision !== 'rejected') {
        throw new GatewayError('invalid_request', 'decision: only "rejected" is recorded here', {
          data: { field: 'decision' },
        });
      }
      const pool = pools.get(serverName);
      const server = config.servers[serverName];
      if (pool === undefined || server === undefined) {
        throw new GatewayError('unknown_server', `Unknown server "${serverName}"`, {
          data: { server: serverName },
        });
      }
      const definition = await pool
        .tool(tool, info.signal ?? request.signal, onBehalfHeaders(server, principal).headers)
        .catch(() => undefined);
      const context: InternalContext = {
        requestId: `decision\u0000${principal.actor?.id ?? ''}\u0000${principal.id}\u0000${serverName}\u0000${callId}`,
        server: serverName,
        method: 'tools/call',
        params: { name: tool },
        tool: {
          name: tool,
          safety: resolveToolSafety(definition?.annotations, server.tools[tool]),
          ...(definition?.annotations === undefined ? {} : { annotations: definition.annotations }),
        },
        principal,
        signal: info.signal ?? request.signal,
        startedAt: clock.now(),
        responseHeaders: new Headers(),
        bypassCache: true,
        outcome: {},
        decision: 'rejected',
        serverConfig: server,
        [internal]: {
          serverPool: pool,
          controller: new AbortController(),
          onNotification: () => {},
        },
      };
      await pipeline(context);
      await Promise.all(stages.map((stage) => stage.flush?.()));
      headers.set('content-type', 'application/json');
      return jsonResponse({ recorded: true }, 201, headers);
    } catch (error) {
      return errorResponse(toGatewayError(error), null, requestId, headers);
    }
  }

  function checkModernHeaders(
    request: Request,
    message: Exclude<ClientMessage, { kind: 'response' }>,
    protocolHeader: string,
  ): void {
    const methodHeader = request.headers.get('mcp-method');
    if (methodHeader !== message.method) {
      throw new GatewayError(
        'header_mismatch',
        methodHeader === null
          ? 'Header mismatch: Mcp-Method header is required'
          : `Header mismatch: Mcp-Method header value '${methodHeader}' does not match body value '${message.method}'`,
      );
    }
    const field = namedMethods[message.method];
    if (field !== undefined) {
      const bodyValue = message.params?.[field];
      const nameHeader = request.headers.get('mcp-name');
      if (nameHeader === null)
        throw new GatewayError('header_mismatch', 'Header mismatch: Mcp-Name header is required');
      const decoded = decodeHeaderValue(nameHeader);
      if (decoded === undefined || decoded !== bodyValue) {
        throw new GatewayError(
          'header_mismatch',
          `Header mismatch: Mcp-Name header does not match body value of params.${field}`,
        );
      }
    }
    const meta = message.params?._meta as Record<string, unknown> | undefined;
    const bodyVersion = meta?.['io.modelcontextprotocol/protocolVersion'];
    if (bodyVersion !== undefined && bodyVersion !== protocolHeader) {
      throw new GatewayError(
        'header_mismatch',
        'Header mismatch: MCP-Protocol-Version header does not match _meta io.modelcontextprotocol/protocolVersion',
      );
    }
  }

  async function relay(
    request: Request,
    message: Extract<ClientMessage, { kind: 'request' }>,
    pool: ServerPool,
    principal: Principal,
    requestId: string,
    headers: Headers,
    started: number,
    modern: boolean,
    clientSignal: AbortSignal,
    hooks: {
      finish: (code: string, status: number) => void;
      fail: (error: unknown) => Response;
      setTool: (name: string, known: boolean) => void;
      setOutcome: (outcome: RequestContext['outcome']) => void;
    },
  ): Promise<Response> {
    const server = config.servers[pool.name] as ServerConfig;
    const name = message.params?.name;
    if (message.method === 'tools/call' && (typeof name !== 'string' || name === '')) {
      throw new GatewayError('invalid_request', 'tools/call needs params.name (a string)');
    }
    const controller = new AbortController();
    const abort = () => controller.abort(clientSignal.reason);
    if (clientSignal.aborted) abort();
    else clientSignal.addEventListener('abort', abort, { once: true });
    const key = cancelKey(principal.id, request, message.id);
    cancellable.set(key, controller);
    const params = withoutCallerMeta(message.params);
    let tool: RequestContext['tool'];
    if (message.method === 'tools/call' && typeof name === 'string') {
      hooks.setTool(name, false);
      const definition = await pool.tool(
        name,
        controller.signal,
        onBehalfHeaders(server, principal).headers,
      );
      hooks.setTool(name, definition !== undefined);
      if (modern && definition !== undefined) {
        const problem = paramHeaderProblem(
          paramHeaders(definition.inputSchema),
          params?.arguments,
          request.headers,
        );
        if (problem !== undefined) {
          clientSignal.removeEventListener('abort', abort);
          cancellable.delete(key);
          throw new GatewayError('header_mismatch', `Header mismatch: ${problem}`);
        }
      }
      tool = {
        name,
        safety: resolveToolSafety(definition?.annotations, server.tools[name]),
        ...(definition?.annotations === undefined ? {} : { annotations: definition.annotations }),
      };
    }
    const accepts = (request.headers.get('accept') ?? '').includes('text/event-stream');
    let writer: SseWriter | undefined;
    let resolveStream: ((response: Response) => void) | undefined;
    const streamed = new Promise<Response>((resolve) => {
      resolveStream = resolve;
    });
    const context: InternalContext = {
      requestId,
      server: pool.name,
      method: message.method,
      params,
      tool,
      principal,
      signal: controller.signal,
      startedAt: started,
      responseHeaders: new Headers(),
      bypassCache: /no-cache|no-store/i.test(request.headers.get('cache-control') ?? ''),
      outcome: {},
      serverConfig: server,
      [internal]: {
        serverPool: pool,
        controller,
        onNotification: (notification) => {
          if (!accepts || controller.signal.aborted) return;
          if (writer === undefined) {
            writer = createSseWriter(() => controller.abort());
            context.responseHeaders.forEach((value, key) => {
              headers.set(key, value);
            });
            headers.set('content-type', 'text/event-stream');
            headers.set('cache-control', 'no-cache');
            headers.set('x-accel-buffering', 'no');
            resolveStream?.(new Response(writer.stream, { status: 200, headers }));
          }
          writer.write({ jsonrpc: '2.0', ...notification });
        },
      },
    };
    hooks.setOutcome(context.outcome);
    inFlight++;
    const work = (async (): Promise<Response> => {
      try {
        let result = await pipeline(context);
        if (message.method === 'tools/list' && Array.isArray(result.tools)) {
          let tools = (result.tools as Parameters<NonNullable<Stage['filterTools']>>[2]).filter(
            (listed) =>
              scopeAllows(
                principal,
                pool.name,
                neededScope(resolveToolSafety(listed.annotations, server.tools[listed.name])),
              ),
          );
          for (const stage of stages) {
            if (stage.filterTools !== undefined)
              tools = stage.filterTools(principal, pool.name, tools);
          }
          result = { ...result, tools };
        }
        const body = { jsonrpc: '2.0', id: message.id, result };
        if (writer !== undefined) {
          writer.write(body);
          writer.close();
          hooks.finish('ok', 200);
          return await streamed;
        }
        context.responseHeaders.forEach((value, key) => {
          headers.set(key, value);
        });
        hooks.finish('ok', 200);
        return jsonResponse(body, 200, headers);
      } catch (error) {
        context.responseHeaders.forEach((value, key) => {
          if (writer === undefined) headers.set(key, value);
        });
        if (writer !== undefined) {
          const gatewayError = toGatewayError(error);
          context.outcome.errorCode = gatewayError.code;
          hooks.finish(gatewayError.code, 200);
          writer.write(errorBody(gatewayError, message.id, requestId));
          writer.close();
          return await streamed;
        }
        return hooks.fail(error);
      } finally {
        clientSignal.removeEventListener('abort', abort);
        if (cancellable.get(key) === controller) cancellable.delete(key);
        inFlight--;
        if (inFlight === 0) drained?.();
      }
    })();
    return Promise.race([work, streamed]);
  }

  async function handle(request: Request, info: RequestInfo): Promise<Response> {
    const header = request.headers.get('x-request-id');
    const requestId =
      header !== null && uuidPattern.test(header) ? header.toLowerCase() : crypto.randomUUID();
    const origin = request.headers.get('origin');
    const url = new URL(request.url);
    const path = url.pathname;
    const access: OriginAccess = origin === null ? false : originAccess(origin);
    const allowedOrigin: CorsGrant | null =
      origin !== null && access !== false ? { origin, access } : null;
    if (origin !== null && allowedOrigin === null) {
      // DNS-rebinding protection: MCP Streamable HTTP servers MUST refuse an invalid Origin with 403.
      return errorResponse(
        new GatewayError('origin_forbidden', `Origin ${origin} is not allowed`),
        null,
        requestId,
        new Headers({ 'x-request-id': requestId }),
      );
    }
    if (!path.startsWith(config.basePath)) {
      return errorResponse(
        new GatewayError('invalid_request', 'Not found', { status: 404 }),
        null,
        requestId,
        baseHeaders(requestId, allowedOrigin),
      );
    }
    const route = path.slice(config.basePath.length);
    if (request.method === 'OPTIONS') {
      const response = preflightResponse(
        allowedOrigin?.origin ?? null,
        request.headers.get('access-control-request-headers'),
        allowedOrigin?.access ?? false,
      );
      response.headers.set('x-request-id', requestId);
      return response;
    }
    if (route === '/decisions') return handleDecision(request, info, requestId, allowedOrigin);
    const mcpMatch = /^\/mcp\/([^/]+)\/?$/.exec(route);
    if (mcpMatch !== null) {
      let serverName: string;
      try {
        serverName = decodeURIComponent(mcpMatch[1] as string);
      } catch {
        serverName = mcpMatch[1] as string;
      }
      return handleMcp(request, info, serverName, requestId, allowedOrigin);
    }
    const headers = baseHeaders(requestId, allowedOrigin);
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        if (route === '/health' || route === '/servers' || route === '/metrics') {
          throw new GatewayError('method_not_allowed', `${request.method} is not supported here`);
        }
      }
      switch (route) {
        case '/health': {
          const servers = [...pools.values()].map((pool) => pool.status());
          const usable = !closing && servers.some((server) => server.healthy);
          headers.set('cache-control', 'no-store');
          return jsonResponse(
            {
              status: closing ? 'shutting_down' : usable ? 'ok' : 'unavailable',
              // Unauthenticated: internal servers are not named to the world.
              servers: Object.fromEntries(
                servers
                  .filter((server) => config.servers[server.name]?.tenancy !== 'internal')
                  .map((server) => [server.name, server.healthy ? 'up' : 'down']),
              ),
            },
            usable ? 200 : 503,
            headers,
          );
        }
        case '/servers': {
          const principal = await authenticate(request, info);
          headers.set('cache-control', 'no-store');
          return jsonResponse({ servers: visibleStatus(principal) }, 200, headers);
        }
        case '/metrics': {
          // The counters cover every organization's traffic: operators only.
          const principal = await authenticate(request, info);
          if (!seesInfrastructure(principal, config.operators)) {
            throw new GatewayError('forbidden', 'Metrics are for the operators of the gateway', {
              data: { reason: 'operators_only' },
            });
          }
          headers.set('content-type', metrics.contentType);
          return new Response(await metrics.render(), { status: 200, headers });
        }
      }
      throw new GatewayError('invalid_request', 'Not found', { status: 404 });
    } catch (error) {
      return errorResponse(toGatewayError(error), null, requestId, headers);
    }
  }

  return {
    config,
    fetch(request, info = {}) {
      return handle(request, info).catch((error: unknown) => {
        logger.error({ error: String(error) }, 'unhandled gateway error');
        return errorResponse(toGatewayError(error), null, crypto.randomUUID(), new Headers());
      });
    },
    status: (principal) =>
      principal === undefined
        ? [...pools.values()].map((pool) => pool.status())
        : visibleStatus(principal),
    checkHealth,
    async close(closeOptions = {}) {
      if (closing) return;
      closing = true;
      if (healthTimer !== undefined) clearInterval(healthTimer);
      if (firstCheck !== undefined) clearTimeout(firstCheck);
      if (inFlight > 0) {
        const deadlineMs = closeOptions.deadlineMs ?? 10_000;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadlineMs);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      await Promise.all(stages.map((stage) => stage.close?.().catch(() => undefined)));
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}
