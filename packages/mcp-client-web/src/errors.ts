/**
 * What went wrong, as a string union. `http` and `protocol` come from the wire
 * (an HTTP status, or a JSON-RPC error in a 2xx body); `timeout`, `aborted`, `not_connected`,
 * `network`, `invalid_response` and `unknown_tool` are decided locally.
 */
export type McpClientErrorCode =
  | 'http'
  | 'protocol'
  | 'timeout'
  | 'aborted'
  | 'not_connected'
  | 'invalid_response'
  | 'network'
  | 'unknown_tool';

/** Fields an {@link McpClientError} can carry besides its code and message. */
export interface McpClientErrorDetails {
  /** HTTP status of the response that failed. */
  status?: number;
  /** URL of the request that failed. */
  url?: string;
  /** Server name (the gateway's `{server}` path segment). */
  server?: string;
  /** JSON-RPC `error.code` sent by the server or the gateway. */
  rpcCode?: number;
  /** The gateway's stable `error.data.code` (e.g. `rate_limited`, `upstream_timeout`). */
  gatewayCode?: string;
  /** Seconds to wait before retrying, from `Retry-After` or `error.data.retryAfter`. */
  retryAfter?: number;
  /** JSON-RPC `error.data`. */
  data?: unknown;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The one error type this package throws.
 *
 * @example
 * try { await client.callTool('billy__list_invoices') }
 * catch (error) { if (error instanceof McpClientError && error.status === 429) wait(error.retryAfter) }
 */
export class McpClientError extends Error {
  override readonly name = 'McpClientError';
  /** What went wrong. */
  readonly code: McpClientErrorCode;
  /** HTTP status of the response that failed. */
  readonly status?: number;
  /** URL of the request that failed. */
  readonly url?: string;
  /** Server name the request was for. */
  readonly server?: string;
  /** JSON-RPC error code from the wire. */
  readonly rpcCode?: number;
  /** The gateway's `error.data.code`. */
  readonly gatewayCode?: string;
  /** Seconds to wait before retrying. */
  readonly retryAfter?: number;
  /** JSON-RPC `error.data`. */
  readonly data?: unknown;

  constructor(code: McpClientErrorCode, message: string, details: McpClientErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.url !== undefined) this.url = details.url;
    if (details.server !== undefined) this.server = details.server;
    if (details.rpcCode !== undefined) this.rpcCode = details.rpcCode;
    if (details.gatewayCode !== undefined) this.gatewayCode = details.gatewayCode;
    if (details.retryAfter !== undefined) this.retryAfter = details.retryAfter;
    if (details.data !== undefined) this.data = details.data;
  }
}

/**
 * Whether a failed call may nevertheless have taken effect: the gateway answered
 * `outcome_unknown` because the server failed after it could have processed the call. Such a
 * call must not be retried blindly; check its effect first.
 */
export function isOutcomeUnknown(value: unknown): boolean {
  return value instanceof McpClientError && value.gatewayCode === 'outcome_unknown';
}

/** Whether `value` is an {@link McpClientError}, optionally with the given code. */
export function isMcpClientError(
  value: unknown,
  code?: McpClientErrorCode,
): value is McpClientError {
  return value instanceof McpClientError && (code === undefined || value.code === code);
}
