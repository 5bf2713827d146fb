/**
 * The MCP revisions the gateway serves and the methods it knows: which it answers itself,
 * which it relays upstream, and which name their target in an `Mcp-Name` header.
 */

/** Protocol revisions that use `initialize` and (optionally) `Mcp-Session-Id`. */
export const LEGACY_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
/** Stateless protocol revisions (per-request metadata, `Mcp-Method` / `Mcp-Name`). */
export const MODERN_PROTOCOL_VERSIONS = ['2026-07-28'] as const;

/** Every revision served, newest first (what `server/discover` and version errors list). */
export const supportedVersions: readonly string[] = [
  ...MODERN_PROTOCOL_VERSIONS,
  ...LEGACY_PROTOCOL_VERSIONS,
];

/** The gateway's own version, sent as `clientInfo` upstream and as a fallback `serverInfo`. */
export const gatewayVersion = '0.1.0';

/** Methods answered by the gateway itself. */
const localMethods = new Set(['initialize', 'ping', 'logging/setLevel', 'server/discover']);

/** Methods relayed upstream through the stages. */
export const upstreamMethods = new Set([
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  // 2025 era, with a session: recorded per session for its GET stream, then relayed.
  'resources/subscribe',
  'resources/unsubscribe',
  // A task's polling, result and cancellation, on the upstream session that holds it.
  'tasks/get',
  'tasks/result',
  'tasks/cancel',
]);

/** Method names used as metric labels; anything else is counted as `other`. */
export const knownMethods = new Set([
  ...upstreamMethods,
  ...localMethods,
  'notifications/initialized',
  'notifications/cancelled',
  // A client's answer to an upstream's question (a JSON-RPC response).
  'answer',
  'GET',
  'DELETE',
]);

/** Methods whose `Mcp-Name` header mirrors `params.name` or `params.uri` (2026-07-28). */
export const namedMethods: Readonly<Record<string, 'name' | 'uri'>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

/** True when an `MCP-Protocol-Version` header names a stateless (2026-07-28) revision. */
export function isModernVersion(protocolHeader: string | null): boolean {
  return (
    protocolHeader !== null &&
    (MODERN_PROTOCOL_VERSIONS as readonly string[]).includes(protocolHeader)
  );
}

/** The revision `initialize` agrees on: the client's when the gateway speaks it, else the newest. */
export function negotiateLegacyVersion(requested: unknown): string {
  return typeof requested === 'string' &&
    (LEGACY_PROTOCOL_VERSIONS as readonly string[]).includes(requested)
    ? requested
    : LEGACY_PROTOCOL_VERSIONS[0];
}
