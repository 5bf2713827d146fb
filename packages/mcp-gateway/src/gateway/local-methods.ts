/**
 * The methods the gateway answers itself: `initialize` (2025 era; issues the session id),
 * `server/discover` (2026-07-28), `ping` and `logging/setLevel`. The upstream's identity and
 * capabilities are described once, for both `initialize` and `server/discover`.
 */
import type { ServerConfig } from '../config/types.js';
import { GatewayError } from '../errors.js';
import { type JsonRpcId, jsonResponse } from '../http/json-rpc.js';
import { interactionKey } from '../upstream/interaction.js';
import type { ServerPool } from '../upstream/server-pool.js';
import { sessionOwner } from './caller.js';
import type { GatewayCore } from './core.js';
import { type AuthenticatedExchange, finishExchange } from './exchange.js';
import { gatewayVersion, negotiateLegacyVersion, supportedVersions } from './protocol.js';

/** `{ listChanged: true }` when the upstream's capability has it (relayed on the GET stream). */
function listing(capability: unknown): Record<string, unknown> {
  return (capability as { listChanged?: unknown } | undefined)?.listChanged === true
    ? { listChanged: true }
    : {};
}

/**
 * The capabilities the gateway offers for an upstream's. Subscriptions only where an update can
 * be told to the right clients: not on servers that keep books per organization (an update of
 * `billy://…` names no organization).
 */
function pickCapabilities(upstream: unknown, server: ServerConfig): Record<string, unknown> {
  const source = (upstream ?? {}) as Record<string, unknown>;
  const capabilities: Record<string, unknown> = { logging: {} };
  if (source.tools !== undefined) capabilities.tools = listing(source.tools);
  if (source.prompts !== undefined) capabilities.prompts = listing(source.prompts);
  if (source.resources !== undefined) {
    const subscribe =
      (source.resources as { subscribe?: unknown }).subscribe === true &&
      server.tenancy !== 'tenant';
    capabilities.resources = { ...listing(source.resources), ...(subscribe ? { subscribe } : {}) };
  }
  if (source.completions !== undefined) capabilities.completions = {};
  // Tasks of tool calls, polled and cancelled by their creator; not listed (sessions are shared).
  const tasks = source.tasks as
    | { cancel?: unknown; requests?: { tools?: { call?: unknown } } }
    | undefined;
  if (tasks?.requests?.tools?.call !== undefined) {
    capabilities.tasks = {
      requests: { tools: { call: {} } },
      ...(tasks.cancel !== undefined ? { cancel: {} } : {}),
    };
  }
  return capabilities;
}

/** The server's capabilities, identity and instructions as the gateway presents them. */
async function describeServer(
  pool: ServerPool,
  server: ServerConfig,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const info = await pool.serverInfo(signal, server.requestTimeoutMs);
  const description: Record<string, unknown> = {
    capabilities: pickCapabilities(info.capabilities, server),
    serverInfo: info.serverInfo ?? { name: server.name, version: gatewayVersion },
  };
  if (typeof info.instructions === 'string') description.instructions = info.instructions;
  return description;
}

/**
 * Answers `method` when the gateway owns it; undefined for every other method.
 *
 * @throws GatewayError `method_not_found` for `initialize` in the 2026-07-28 era.
 */
export async function answerLocally(
  core: GatewayCore,
  exchange: AuthenticatedExchange,
  pool: ServerPool,
  message: { id: JsonRpcId; method: string; params: Record<string, unknown> | undefined },
): Promise<Response | undefined> {
  const server = core.config.servers[pool.name] as ServerConfig;
  const answer = (result: Record<string, unknown>) => {
    finishExchange(core, exchange, 'ok', 200);
    return jsonResponse({ jsonrpc: '2.0', id: message.id, result }, 200, exchange.headers);
  };
  switch (message.method) {
    case 'initialize': {
      if (exchange.modern)
        throw new GatewayError('method_not_found', 'initialize is not part of 2026-07-28');
      const protocolVersion = negotiateLegacyVersion(message.params?.protocolVersion);
      const description = await describeServer(pool, server, exchange.signal);
      exchange.headers.set(
        'mcp-session-id',
        await core.sessions.issue({
          protocolVersion,
          principalId: sessionOwner(exchange.principal),
          server: pool.name,
          // What the upstream may ask this client mid-call (elicitation, sampling).
          interaction: interactionKey(message.params?.capabilities),
        }),
      );
      return answer({ protocolVersion, ...description });
    }
    case 'server/discover':
      return answer({
        supportedVersions,
        ...(await describeServer(pool, server, exchange.signal)),
      });
    case 'resources/subscribe':
    case 'resources/unsubscribe': {
      const uri = message.params?.uri;
      const sessionId = exchange.request.headers.get('mcp-session-id');
      if (typeof uri !== 'string' || uri === '' || uri.length > 2048) {
        throw new GatewayError('invalid_request', `${message.method} needs params.uri (a string)`);
      }
      if (exchange.modern || sessionId === null || server.tenancy === 'tenant') {
        throw new GatewayError(
          'invalid_request',
          'Resource subscriptions need a 2025-era session, on a server whose data is not per organization',
          { data: { reason: 'not_subscribable' } },
        );
      }
      if (message.method === 'resources/subscribe') {
        core.streams.subscribe(sessionId, pool.name, uri);
        return undefined;
      }
      // The upstream is unsubscribed with this instance's last subscriber only.
      return core.streams.unsubscribe(sessionId, pool.name, uri) ? undefined : answer({});
    }
    case 'ping':
    case 'logging/setLevel':
      // The upstream session is shared by every client, so a client's log level is not forwarded.
      return answer({});
    default:
      return undefined;
  }
}
