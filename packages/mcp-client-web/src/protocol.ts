/** Protocol constants and small wire helpers shared by the connection code. */

/** Modern (stateless, per-request `_meta`) protocol revisions this client speaks, newest first. */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];

/** Legacy (`initialize` handshake, sessions) protocol revisions this client speaks, newest first. */
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = [
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
];

/** Every protocol revision this client speaks, newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [
  ...MODERN_PROTOCOL_VERSIONS,
  ...LEGACY_PROTOCOL_VERSIONS,
];

/** JSON-RPC error codes the 2026-07-28 revision defines; seeing one proves the server is modern. */
export const MODERN_ERROR_CODES = {
  headerMismatch: -32020,
  missingRequiredClientCapability: -32021,
  unsupportedProtocolVersion: -32022,
} as const;

/** A JSON-RPC error object. */
interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** Any JSON-RPC 2.0 message. */
export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: JsonRpcErrorObject;
}

/** Whether `value` is a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` looks like a JSON-RPC 2.0 message. */
export function isJsonRpcMessage(value: unknown): value is JsonRpcMessage {
  return isRecord(value) && value.jsonrpc === '2.0';
}

/** Whether `value` is a JSON-RPC error object. */
function isJsonRpcError(value: unknown): value is JsonRpcErrorObject {
  return isRecord(value) && typeof value.code === 'number' && typeof value.message === 'string';
}

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) into seconds.
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * Encodes a value for an `Mcp-Name` or `Mcp-Param-*` header: plain when it is visible ASCII
 * without surrounding whitespace, `=?base64?…?=` of its UTF-8 bytes otherwise.
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http#value-encoding
 */
export function encodeHeaderValue(value: string): string {
  const plain =
    /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value) &&
    !(value.startsWith('=?base64?') && value.endsWith('?='));
  if (plain) return value;
  let binary = '';
  for (const byte of new TextEncoder().encode(value)) binary += String.fromCharCode(byte);
  return `=?base64?${btoa(binary)}?=`;
}

/**
 * The fields a wire error carries into an `McpClientError`: the JSON-RPC code, the gateway's
 * stable `error.data.code`, `Retry-After` (header first, else `error.data.retryAfter`).
 */
export function wireErrorDetails(
  error: unknown,
  status?: number,
  retryAfterHeader?: number,
): {
  message: string | undefined;
  details: {
    status?: number;
    rpcCode?: number;
    gatewayCode?: string;
    retryAfter?: number;
    data?: unknown;
  };
} {
  const rpc = isJsonRpcError(error) ? error : undefined;
  const data = rpc?.data;
  const details: {
    status?: number;
    rpcCode?: number;
    gatewayCode?: string;
    retryAfter?: number;
    data?: unknown;
  } = {};
  if (status !== undefined) details.status = status;
  if (rpc) details.rpcCode = rpc.code;
  if (isRecord(data) && typeof data.code === 'string') details.gatewayCode = data.code;
  const retryAfter =
    retryAfterHeader ??
    (isRecord(data) && typeof data.retryAfter === 'number' ? data.retryAfter : undefined);
  if (retryAfter !== undefined) details.retryAfter = retryAfter;
  if (data !== undefined) details.data = data;
  return { message: rpc?.message, details };
}
