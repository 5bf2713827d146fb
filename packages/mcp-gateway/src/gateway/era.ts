/**
 * The guard between the two protocol eras, written once: 2025-era requests may carry an
 * `Mcp-Session-Id` that must verify for this server and principal; 2026-07-28 requests are
 * stateless and their `Mcp-Method` / `Mcp-Name` / protocol headers must match the body.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#session-management
 */
import { GatewayError } from '../errors.js';
import type { ClientMessage } from '../http/json-rpc.js';
import { decodeHeaderValue } from '../http/param-headers.js';
import type { SessionClaims, SessionCodec } from '../http/session.js';
import type { Principal } from '../pipeline/types.js';
import { sessionOwner } from './caller.js';
import { namedMethods, supportedVersions } from './protocol.js';

/**
 * Throws `session_not_found` (404, so the client re-initializes) unless the session id
 * verifies, names this server and belongs to whoever holds the principal's connection.
 */
export async function assertSession(
  sessions: SessionCodec,
  sessionId: string,
  serverName: string,
  principal: Principal,
): Promise<SessionClaims> {
  const claims = await sessions.verify(sessionId);
  if (
    claims === undefined ||
    claims.server !== serverName ||
    claims.principalId !== sessionOwner(principal)
  ) {
    throw new GatewayError('session_not_found', 'Session not found; initialize a new one');
  }
  return claims;
}

function assertModernHeaders(
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

/**
 * Holds a POSTed message to the rules of its era: a supported protocol version (any for
 * `initialize`, which negotiates), headers that match the body (2026-07-28), a session that
 * verifies when one is given (2025; requests without one are served statelessly). Returns the
 * session's claims when one verified.
 */
export async function assertEra(
  sessions: SessionCodec,
  exchange: {
    readonly request: Request;
    readonly serverName: string;
    readonly modern: boolean;
    readonly principal: Principal;
  },
  message: ClientMessage,
): Promise<SessionClaims | undefined> {
  const { request } = exchange;
  const protocolHeader = request.headers.get('mcp-protocol-version');
  const method = message.kind === 'response' ? '' : message.method;
  if (
    protocolHeader !== null &&
    !supportedVersions.includes(protocolHeader) &&
    method !== 'initialize'
  ) {
    throw new GatewayError(
      'unsupported_protocol_version',
      `Unsupported protocol version ${protocolHeader}`,
      { data: { supported: supportedVersions, requested: protocolHeader } },
    );
  }
  if (exchange.modern) {
    if (message.kind !== 'response')
      assertModernHeaders(request, message, protocolHeader as string);
    return undefined;
  }
  const sessionId = request.headers.get('mcp-session-id');
  const initializing = message.kind === 'request' && message.method === 'initialize';
  if (!initializing && sessionId !== null && message.kind !== 'notification') {
    return assertSession(sessions, sessionId, exchange.serverName, exchange.principal);
  }
  return undefined;
}
