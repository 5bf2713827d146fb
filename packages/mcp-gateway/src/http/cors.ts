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

/**
 * What the gateway lets a browser `Origin` do: nothing (`false`), call it without the user's
 * cookies (`'anonymous'`), or call it with them (`'credentials'`).
 */
export type OriginAccess = false | 'anonymous' | 'credentials';

/** What CORS grants the request's browser origin. */
export interface CorsGrant {
  origin: string;
  access: Exclude<OriginAccess, false>;
}

/** Decides what a browser `Origin` may do. */
export type OriginPolicy = (origin: string) => OriginAccess;

/**
 * Allows the exact origins listed (with credentials), and localhost origins of any port unless
 * `localhost` is false. `*` in the list lets every other origin call without credentials only:
 * a page on any site must never act with the user's session.
 */
export function createOriginPolicy(
  allowed: readonly string[],
  options: { localhost?: boolean } = {},
): OriginPolicy {
  const exact = new Set(allowed.map((origin) => origin.replace(/\/$/, '').toLowerCase()));
  const any = exact.has('*');
  const localhost = options.localhost ?? true;
  return (origin) => {
    if (exact.has(origin.toLowerCase()) || (localhost && localhostOrigin.test(origin))) {
      return 'credentials';
    }
    return any ? 'anonymous' : false;
  };
}

/** CORS headers for an allowed origin (echoed, never `*`; credentials only when granted). */
function corsHeaders(
  origin: string | null,
  headers: Headers,
  access: OriginAccess = 'credentials',
): void {
  if (origin === null || access === false) return;
  headers.set('Access-Control-Allow-Origin', origin);
  if (access === 'credentials') headers.set('Access-Control-Allow-Credentials', 'true');
  headers.set('Access-Control-Expose-Headers', exposeHeaders);
  headers.append('Vary', 'Origin');
}

/** The headers every gateway answer starts with: its request id, and CORS when granted. */
export function answerHeaders(requestId: string, grant: CorsGrant | null): Headers {
  const headers = new Headers({ 'x-request-id': requestId });
  if (grant !== null) corsHeaders(grant.origin, headers, grant.access);
  return headers;
}

/** The answer to a CORS preflight from an allowed origin. */
export function preflightResponse(
  origin: string | null,
  requestedHeaders: string | null,
  access: OriginAccess = 'credentials',
): Response {
  const headers = new Headers();
  corsHeaders(origin, headers, access);
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
