/**
 * One MCP request as it passes through the gateway: the single per-request object that every
 * step fills in (the JSON-RPC id, the era, the method, the tool, the principal, the outcome)
 * and that the log line, the metrics and the error answer are made from.
 */

import type { CorsGrant } from '../http/cors.js';
import { answerHeaders } from '../http/cors.js';
import type { JsonRpcId } from '../http/json-rpc.js';
import { errorResponse, toGatewayError } from '../http/json-rpc.js';
import type { Principal, RequestOutcome } from '../pipeline/types.js';
import type { GatewayCore, RequestInfo } from './core.js';
import { knownMethods } from './protocol.js';

/** The state of one MCP request. */
export interface McpExchange {
  readonly request: Request;
  readonly info: RequestInfo;
  readonly requestId: string;
  /** The server named in the path (possibly one that does not exist). */
  readonly serverName: string;
  /** The answer's headers, filled as the request goes. */
  readonly headers: Headers;
  /** `clock.now()` at arrival (for stages and the audit log). */
  readonly startedAt: number;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  /** The JSON-RPC id, once the body is read (errors answer with it). */
  id: JsonRpcId | null;
  /** True for a stateless 2026-07-28 request. */
  modern: boolean;
  /** The JSON-RPC method, or the HTTP method for GET / DELETE; '' before the body is read. */
  method: string;
  /** For `tools/call`: the tool's name, and whether the upstream lists it (metric labels). */
  tool: { name: string; known: boolean } | undefined;
  principal: Principal | undefined;
  /** What the client's 2025-era session says it can be asked (elicitation, sampling); '' for nothing. */
  sessionInteraction: string | undefined;
  /** What the stages recorded; the relay shares it with the stages' context. */
  readonly outcome: RequestOutcome;
  /** `performance.now()` at arrival (request duration). */
  readonly startedPrecise: number;
}

/** An exchange past authentication. */
export type AuthenticatedExchange = McpExchange & { principal: Principal };

/** What the router knows of a request to `{base}/mcp/{serverName}` when it hands it over. */
export interface ExchangeInit {
  request: Request;
  info: RequestInfo;
  requestId: string;
  serverName: string;
  cors: CorsGrant | null;
}

/** Opens the exchange of a request to `{base}/mcp/{serverName}` and counts it as started. */
export function openExchange(core: GatewayCore, init: ExchangeInit): McpExchange {
  core.metrics.requestStarted(core.pools.has(init.serverName) ? init.serverName : 'unknown');
  return {
    request: init.request,
    info: init.info,
    requestId: init.requestId,
    serverName: init.serverName,
    headers: answerHeaders(init.requestId, init.cors),
    startedAt: core.clock.now(),
    startedPrecise: performance.now(),
    signal: init.info.signal ?? init.request.signal,
    id: null,
    modern: false,
    method: '',
    tool: undefined,
    principal: undefined,
    sessionInteraction: undefined,
    outcome: {},
  };
}

/** Records the finished request: one metric observation and one log line. */
export function finishExchange(
  core: GatewayCore,
  exchange: McpExchange,
  code: string,
  status: number,
): void {
  const durationMs = performance.now() - exchange.startedPrecise;
  const { serverName, method, tool, outcome, principal } = exchange;
  // Labels must not grow with client input: unknown servers, methods and tools collapse.
  core.metrics.requestFinished(
    {
      server: core.pools.has(serverName) ? serverName : 'unknown',
      method: knownMethods.has(method) ? method : 'other',
      tool: tool === undefined ? '' : tool.known ? tool.name : 'unknown',
      code,
    },
    durationMs / 1000,
  );
  const fields: Record<string, unknown> = {
    requestId: exchange.requestId,
    server: serverName,
    method,
    durationMs: Math.round(durationMs * 100) / 100,
    outcome: code,
    status,
  };
  if (tool !== undefined) fields.tool = tool.name;
  if (outcome.instance !== undefined) fields.instance = outcome.instance;
  if (outcome.cache !== undefined) fields.cache = outcome.cache;
  if (principal !== undefined) fields.principal = principal.id;
  if (code === 'ok') core.logger.info(fields, 'mcp request');
  else core.logger.warn(fields, 'mcp request failed');
}

/** The error answer of the request, recorded like any other finish. */
export function failExchange(core: GatewayCore, exchange: McpExchange, error: unknown): Response {
  const gatewayError = toGatewayError(error);
  if (gatewayError.code === 'internal_error') {
    core.logger.error(
      {
        requestId: exchange.requestId,
        server: exchange.serverName,
        error: String(gatewayError.cause ?? gatewayError),
      },
      'internal error',
    );
  }
  exchange.outcome.errorCode = gatewayError.code;
  // 2025-era clients read JSON-RPC errors from 200 responses; 2026-07-28 sends unknown methods a 404.
  const status =
    gatewayError.code === 'method_not_found' && !exchange.modern ? 200 : gatewayError.status;
  finishExchange(core, exchange, gatewayError.code, status);
  return errorResponse(gatewayError, exchange.id, exchange.requestId, exchange.headers, status);
}

/** A successful answer without a body (a notification's 202, a session's end). */
export function emptyAnswer(core: GatewayCore, exchange: McpExchange, status: number): Response {
  finishExchange(core, exchange, 'ok', status);
  return new Response(null, { status, headers: exchange.headers });
}
