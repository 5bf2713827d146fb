/**
 * `{base}/mcp/{server}`: one Streamable HTTP exchange, top to bottom — the server, the
 * principal, the era, the body and its message, then a local answer or the relay upstream.
 */
import { GatewayError } from '../errors.js';
import { parseCallerJson } from '../http/json-bounds.js';
import { type ClientMessage, parseClientMessage } from '../http/json-rpc.js';
import { readBody } from '../http/read-body.js';
import type { GatewayCore } from './core.js';
import { assertEra, assertSession } from './era.js';
import {
  type AuthenticatedExchange,
  type ExchangeInit,
  emptyAnswer,
  failExchange,
  finishExchange,
  openExchange,
} from './exchange.js';
import { cancelKey } from './in-flight.js';
import { deliverAnswer } from './interaction.js';
import { onBehalfHeaders } from './caller.js';
import type { ServerConfig } from '../config/types.js';
import { answerLocally } from './local-methods.js';
import { isModernVersion, upstreamMethods } from './protocol.js';
import { relay } from './relay.js';

/** The on-behalf identity an upstream gateway needs with a client's answer, when it is one. */
function headersFor(
  core: GatewayCore,
  server: string,
  principal: AuthenticatedExchange['principal'],
): { headers?: Record<string, string> } {
  const headers = onBehalfHeaders(core.config.servers[server] as ServerConfig, principal);
  return headers === undefined ? {} : { headers };
}

function methodNotAllowed(method: string): GatewayError {
  return new GatewayError('method_not_allowed', `${method} is not supported on this endpoint`);
}

/**
 * 2025-era sessions only: `GET` opens the session's standalone stream (list changes, updates of
 * subscribed resources), `DELETE` ends the session.
 */
async function sessionRequest(
  core: GatewayCore,
  exchange: AuthenticatedExchange,
): Promise<Response> {
  const { request } = exchange;
  exchange.method = request.method;
  if (exchange.modern) throw methodNotAllowed(request.method);
  const sessionId = request.headers.get('mcp-session-id');
  if (sessionId === null) {
    // A stream belongs to a session: without one there is nothing to listen to.
    if (request.method === 'GET') throw methodNotAllowed(request.method);
    throw new GatewayError('invalid_request', 'Mcp-Session-Id header required');
  }
  await assertSession(core.sessions, sessionId, exchange.serverName, exchange.principal);
  if (request.method === 'GET') {
    if (!(request.headers.get('accept') ?? '').includes('text/event-stream')) {
      throw new GatewayError('invalid_request', 'Accept must include text/event-stream', {
        status: 406,
      });
    }
    const stream = core.streams.open(
      sessionId,
      exchange.serverName,
      exchange.principal,
      exchange.signal,
    );
    exchange.headers.set('content-type', 'text/event-stream');
    exchange.headers.set('cache-control', 'no-cache');
    exchange.headers.set('x-accel-buffering', 'no');
    finishExchange(core, exchange, 'ok', 200);
    return new Response(stream, { status: 200, headers: exchange.headers });
  }
  core.sessions.revoke(sessionId);
  core.streams.end(sessionId);
  return emptyAnswer(core, exchange, 200);
}

/** Reads the POSTed body into one JSON-RPC message, noting its id and method on the exchange. */
async function readMessage(
  core: GatewayCore,
  exchange: AuthenticatedExchange,
): Promise<ClientMessage> {
  const { request } = exchange;
  const contentType = request.headers.get('content-type');
  if (contentType !== null && !contentType.toLowerCase().includes('application/json')) {
    throw new GatewayError('invalid_request', 'Content-Type must be application/json', {
      status: 415,
    });
  }
  const raw = parseCallerJson(
    await readBody(request, core.config.bodyLimitBytes),
    core.config.maxJsonDepth,
  );
  // Read before the shape is checked, so an invalid message's error still answers its id.
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const candidate = (raw as { id?: unknown }).id;
    if (typeof candidate === 'string' || typeof candidate === 'number') exchange.id = candidate;
  }
  const message = parseClientMessage(raw);
  if (message.kind !== 'response') exchange.method = message.method;
  return message;
}

/** Answers one request to `{base}/mcp/{serverName}`. */
export async function handleMcp(core: GatewayCore, init: ExchangeInit): Promise<Response> {
  const exchange = openExchange(core, init);
  const { request, serverName } = exchange;
  try {
    const pool = core.pools.get(serverName);
    if (pool === undefined) {
      throw new GatewayError('unknown_server', `Unknown server "${serverName}"`, {
        data: { server: serverName },
      });
    }
    const authenticated = Object.assign(exchange, {
      principal: await core.authenticate(request, exchange.info),
    });
    authenticated.modern = isModernVersion(request.headers.get('mcp-protocol-version'));
    if (request.method === 'GET' || request.method === 'DELETE') {
      return await sessionRequest(core, authenticated);
    }
    if (request.method !== 'POST') throw methodNotAllowed(request.method);
    const message = await readMessage(core, authenticated);
    const claims = await assertEra(core.sessions, authenticated, message);
    authenticated.sessionInteraction = claims?.interaction;
    if (message.kind === 'response') {
      // A client's answer to an upstream's question (2025 era), for the call that asked it.
      if (message.id === null)
        throw new GatewayError('invalid_request', 'An answer needs the id of its question');
      authenticated.method = 'answer';
      await deliverAnswer(
        core,
        pool,
        {
          server: serverName,
          principal: authenticated.principal,
          requestId: authenticated.requestId,
          signal: authenticated.signal,
          ...headersFor(core, pool.name, authenticated.principal),
        },
        { ...message, id: message.id },
      );
      return emptyAnswer(core, authenticated, 202);
    }
    if (message.kind !== 'request') {
      if (message.kind === 'notification' && message.method === 'notifications/cancelled') {
        const target = message.params?.requestId;
        core.inFlight.cancel(cancelKey(authenticated.principal.id, request, target));
      }
      return emptyAnswer(core, authenticated, 202);
    }
    if (core.inFlight.closing) {
      throw new GatewayError('shutting_down', 'The gateway is shutting down', { retryAfter: 1 });
    }
    const local = await answerLocally(core, authenticated, pool, message);
    if (local !== undefined) return local;
    if (!upstreamMethods.has(message.method)) {
      throw new GatewayError('method_not_found', `Method not found: ${message.method}`);
    }
    return await relay({ core, exchange: authenticated, pool, message });
  } catch (error) {
    return failExchange(core, exchange, error);
  }
}
