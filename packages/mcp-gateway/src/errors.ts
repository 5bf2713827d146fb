/**
 * Typed gateway errors. Stages throw these; one place (the gateway's response
 * writer) turns them into JSON-RPC 2.0 error responses with the right HTTP status.
 */

/** Stable machine-readable codes carried in `error.data.code` on the wire. */
export type GatewayErrorCode =
  | 'invalid_request'
  | 'parse_error'
  | 'method_not_found'
  | 'header_mismatch'
  | 'unauthorized'
  | 'forbidden'
  | 'origin_forbidden'
  | 'rate_limited'
  | 'unknown_server'
  | 'unknown_tool'
  | 'session_not_found'
  | 'payload_too_large'
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'upstream_error'
  | 'upstream_rpc_error'
  | 'outcome_unknown'
  | 'audit_unavailable'
  | 'continuation_expired'
  | 'unsupported_protocol_version'
  | 'method_not_allowed'
  | 'invalid_config'
  | 'shutting_down'
  | 'internal_error';

/** HTTP status and JSON-RPC error code for each gateway error code. */
export const ERROR_SHAPES: Record<GatewayErrorCode, { status: number; rpcCode: number }> = {
  invalid_request: { status: 400, rpcCode: -32600 },
  parse_error: { status: 400, rpcCode: -32700 },
  method_not_found: { status: 404, rpcCode: -32601 },
  header_mismatch: { status: 400, rpcCode: -32020 },
  unauthorized: { status: 401, rpcCode: -32001 },
  forbidden: { status: 403, rpcCode: -32003 },
  origin_forbidden: { status: 403, rpcCode: -32003 },
  rate_limited: { status: 429, rpcCode: -32029 },
  unknown_server: { status: 404, rpcCode: -32004 },
  unknown_tool: { status: 404, rpcCode: -32602 },
  session_not_found: { status: 404, rpcCode: -32001 },
  payload_too_large: { status: 413, rpcCode: -32600 },
  upstream_unavailable: { status: 503, rpcCode: -32010 },
  upstream_timeout: { status: 504, rpcCode: -32011 },
  upstream_error: { status: 502, rpcCode: -32012 },
  // An upstream answered with a JSON-RPC error (e.g. unknown tool): relayed as-is with HTTP 200,
  // its own `code` set through `rpcCode`; the instance is healthy, so this is never retried.
  upstream_rpc_error: { status: 200, rpcCode: -32603 },
  // A write that may have reached an upstream which then failed: it may or may not have
  // happened, so it carries no Retry-After and must not be retried blindly (check first).
  outcome_unknown: { status: 502, rpcCode: -32013 },
  // The audit log cannot take another row durably: the call is refused rather than unaudited.
  audit_unavailable: { status: 503, rpcCode: -32014 },
  // An answer to an upstream's question (an elicitation, a sampling request, a 2026-07-28
  // `requestState`) whose call is no longer waiting, or that does not verify: start the call anew.
  continuation_expired: { status: 410, rpcCode: -32015 },
  unsupported_protocol_version: { status: 400, rpcCode: -32022 },
  method_not_allowed: { status: 405, rpcCode: -32600 },
  invalid_config: { status: 500, rpcCode: -32603 },
  shutting_down: { status: 503, rpcCode: -32010 },
  internal_error: { status: 500, rpcCode: -32603 },
};

/** Options for {@link GatewayError}. */
export interface GatewayErrorOptions {
  /** Seconds until a retry may succeed (429, 503). */
  retryAfter?: number;
  /** Extra fields placed in `error.data` (never secrets, never stack traces). */
  data?: Record<string, unknown>;
  /** The underlying error, kept for logs only; never sent to the client. */
  cause?: unknown;
  /** Overrides the default HTTP status for this code. */
  status?: number;
  /** Overrides the JSON-RPC `error.code` (used to relay an upstream's own error code). */
  rpcCode?: number;
}

/**
 * The one base error of the gateway.
 *
 * @example
 * throw new GatewayError('forbidden', 'Role "member" may not call billy/approve_invoice');
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: GatewayErrorCode;
  readonly status: number;
  readonly rpcCode: number;
  readonly retryAfter: number | undefined;
  readonly data: Record<string, unknown> | undefined;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const shape = ERROR_SHAPES[code];
    this.code = code;
    this.status = options.status ?? shape.status;
    this.rpcCode = options.rpcCode ?? shape.rpcCode;
    this.retryAfter = options.retryAfter;
    this.data = options.data;
  }
}

/** True when `error` is a {@link GatewayError}. */
export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
