/**
 * Origin validation (DNS-rebinding protection, MCP Streamable HTTP transport) and CORS.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#security-warning
 */

const allowHeaders = [
  'Authorization',
  'Content-Type',
  'Accept',
  'Mcp-Session-Id',
  'Mcp-Protocol-Version',
  'Mcp-Method',
  'Mcp-Name',
  'Last-Event-ID',
  'Cache-Control',
  'x-request-id',
].join(', ');

const exposeHeaders = [
  'Mcp-Session-Id',
  'x-request-id',
  'RateLimit',
  'RateLimit-Policy',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'x-cache',
].join(', ');

const localhostOrigin = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;

/** Decides whether a browser `Origin` may use the gateway. */
export type OriginPolicy = (origin: string) => boolean;

/**
 * Allows localhost origins (any port) and the exact origins listed; `*` in the list allows
 * every origin (the gateway still never answers `*` to a credentialed request).
 */
export function createOriginPolicy(allowed: readonly string[]): OriginPolicy {
  const exact = new Set(allowed.map((origin) => origin.replace(/\/$/, '').toLowerCase()));
  const any = exact.has('*');
  return (origin) => any || localhostOrigin.test(origin) || exact.has(origin.toLowerCase());
}

/** CORS headers for an allowed origin (echoed, with credentials; never `*`). */
export function corsHeaders(origin: string | null, headers: Headers): void {
  if (origin === null) return;
  headers.set('Access-Control-Allow-Origin', origin);
  headers.set('Access-Control-Allow-Credentials', 'true');
  headers.set('Access-Control-Expose-Headers', exposeHeaders);
  headers.append('Vary', 'Origin');
}

/** The answer to a CORS preflight from an allowed origin. */
export function preflightResponse(
  origin: string | null,
  requestedHeaders: string | null,
): Response {
  const headers = new Headers();
  corsHeaders(origin, headers);
  headers.set('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
  // Mcp-Param-* names are chosen by servers, so echo the requested ones that have that prefix.
  const extra = (requestedHeaders ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => /^mcp-param-[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(name));
  headers.set('Access-Control-Allow-Headers', [allowHeaders, ...extra].join(', '));
  headers.set('Access-Control-Max-Age', '600');
  return new Response(null, { status: 204, headers });
}
