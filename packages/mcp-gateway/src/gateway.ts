/**
 * The gateway core: a Streamable HTTP MCP server on Web Request/Response that terminates
 * MCP for each configured server and relays requests to a pool of upstream instances
 * through the policy stages. This file wires the parts in `./gateway/` together and routes.
 */
import { parseConfig } from './config/parse-config.js';
import type { GatewayConfigInput } from './config/schema.js';
import type { GatewayConfig } from './config/types.js';
import { GatewayError } from './errors.js';
import type { GatewayCore, RequestInfo } from './gateway/core.js';
import { recordDecision } from './gateway/decisions.js';
import { handleMcp } from './gateway/handle-mcp.js';
import { createInFlight } from './gateway/in-flight.js';
import { answerInfoRoute, infoRoutes, visibleStatus } from './gateway/info-routes.js';
import { gatewayVersion } from './gateway/protocol.js';
import { composePipeline } from './gateway/terminal.js';
import {
  answerHeaders,
  type CorsGrant,
  createOriginPolicy,
  preflightResponse,
} from './http/cors.js';
import { errorResponse, toGatewayError } from './http/json-rpc.js';
import { createClientStreams } from './gateway/client-streams.js';
import { createSealer } from './http/sealed.js';
import { createSessionCodec } from './http/session.js';
import { type Logger, silentLogger } from './observability/logger.js';
import { createMetrics, type GatewayMetrics } from './observability/metrics.js';
import {
  type Authenticator,
  anonymousPrincipal,
  type Clock,
  type Principal,
  type Stage,
  systemClock,
} from './pipeline/types.js';
import { ServerPool } from './upstream/server-pool.js';
import type { ServerStatus } from './upstream/status.js';

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
  close(options?: {
    /** @default 10000 */
    deadlineMs?: number;
  }): Promise<void>;
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

const runtimeKeys = new Set<string>([
  'authenticate',
  'stages',
  'clock',
  'logger',
  'metrics',
  'fetch',
  'random',
  'healthChecks',
  'config',
] satisfies (keyof GatewayOptions)[]);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function resolveConfig(options: GatewayOptions): GatewayConfig {
  if (options.config !== undefined) return options.config;
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!runtimeKeys.has(key)) input[key] = value;
  }
  return parseConfig(input);
}

/** Repeats `task` every `intervalMs` without keeping the process alive, plus once right away. */
function schedule(task: () => void, intervalMs: number): () => void {
  const interval = setInterval(task, intervalMs);
  // A first round right away, so /servers and /health reflect reality before the interval.
  const first = setTimeout(task, 0);
  (interval as { unref?: () => void }).unref?.();
  (first as { unref?: () => void }).unref?.();
  return () => {
    clearInterval(interval);
    clearTimeout(first);
  };
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
  const config = resolveConfig(options);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? createMetrics();
  const stages = options.stages ?? [];
  const upstreamFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const pools = new Map<string, ServerPool>();
  const streams = createClientStreams(config);
  for (const server of Object.values(config.servers)) {
    const pool = new ServerPool({
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
      // What the upstream announces outside any request, to the clients entitled to hear it.
      onAnnouncement: (notification) => streams.announce(server.name, notification),
    });
    pools.set(server.name, pool);
  }
  const core: GatewayCore = {
    config,
    pools,
    stages,
    pipeline: composePipeline(config, stages),
    authenticate: options.authenticate ?? (async () => anonymousPrincipal),
    sessions: createSessionCodec({
      secret: config.sessionSecret,
      ttlMs: config.sessionTtlSeconds * 1000,
      clock,
    }),
    sealer: createSealer({ secret: config.sessionSecret, clock }),
    streams,
    clock,
    logger,
    metrics,
    inFlight: createInFlight(),
  };
  const originAccess = createOriginPolicy(config.allowedOrigins, {
    localhost: config.allowLocalhostOrigins,
  });

  async function checkHealth(): Promise<void> {
    await Promise.all([...pools.values()].map((pool) => pool.checkHealth()));
  }
  const stopHealthChecks =
    options.healthChecks === false
      ? undefined
      : schedule(() => void checkHealth(), config.healthCheck.intervalMs);

  async function route(request: Request, info: RequestInfo): Promise<Response> {
    const header = request.headers.get('x-request-id');
    const requestId =
      header !== null && uuidPattern.test(header) ? header.toLowerCase() : crypto.randomUUID();
    const origin = request.headers.get('origin');
    const access = origin === null ? false : originAccess(origin);
    const cors: CorsGrant | null = origin !== null && access !== false ? { origin, access } : null;
    if (origin !== null && cors === null) {
      // DNS-rebinding protection: MCP Streamable HTTP servers MUST refuse an invalid Origin with 403.
      return errorResponse(
        new GatewayError('origin_forbidden', `Origin ${origin} is not allowed`),
        null,
        requestId,
        answerHeaders(requestId, null),
      );
    }
    const path = new URL(request.url).pathname;
    const headers = answerHeaders(requestId, cors);
    if (!path.startsWith(config.basePath)) {
      return errorResponse(
        new GatewayError('invalid_request', 'Not found', { status: 404 }),
        null,
        requestId,
        headers,
      );
    }
    const routePath = path.slice(config.basePath.length);
    if (request.method === 'OPTIONS') {
      const response = preflightResponse(
        cors?.origin ?? null,
        request.headers.get('access-control-request-headers'),
        cors?.access ?? false,
      );
      response.headers.set('x-request-id', requestId);
      return response;
    }
    const mcpMatch = /^\/mcp\/([^/]+)\/?$/.exec(routePath);
    if (mcpMatch !== null) {
      const segment = mcpMatch[1] as string;
      let serverName: string;
      try {
        serverName = decodeURIComponent(segment);
      } catch {
        serverName = segment;
      }
      return handleMcp(core, { request, info, requestId, serverName, cors });
    }
    try {
      if (routePath === '/decisions') return await recordDecision(core, request, info, headers);
      if (infoRoutes.has(routePath)) {
        return await answerInfoRoute(core, routePath, request, info, headers);
      }
      throw new GatewayError('invalid_request', 'Not found', { status: 404 });
    } catch (error) {
      return errorResponse(toGatewayError(error), null, requestId, headers);
    }
  }

  return {
    config,
    fetch(request, info = {}) {
      return route(request, info).catch((error: unknown) => {
        logger.error({ error: String(error) }, 'unhandled gateway error');
        return errorResponse(toGatewayError(error), null, crypto.randomUUID(), new Headers());
      });
    },
    status: (principal) =>
      principal === undefined
        ? [...pools.values()].map((pool) => pool.status())
        : visibleStatus(core, principal),
    checkHealth,
    async close(closeOptions = {}) {
      if (core.inFlight.closing) return;
      stopHealthChecks?.();
      streams.close();
      await core.inFlight.drain(closeOptions.deadlineMs ?? 10_000);
      await Promise.all(stages.map((stage) => stage.close?.().catch(() => undefined)));
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}
