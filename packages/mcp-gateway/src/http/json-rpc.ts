/**
 * Client-facing JSON-RPC 2.0 parsing and the one place errors become Responses.
 */
import { GatewayError } from '../errors.js';
import { textResponse } from './body-cache.js';

/** A JSON-RPC id. */
export type JsonRpcId = string | number;

/** A parsed client message. */
export type ClientMessage =
  | { kind: 'request'; id: JsonRpcId; method: string; params: Record<string, unknown> | undefined }
  | { kind: 'notification'; method: string; params: Record<string, unknown> | undefined }
  | { kind: 'response'; id: JsonRpcId | null; result?: unknown; error?: unknown };

/**
 * Validates the shape of one decoded JSON-RPC message.
 *
 * @throws GatewayError `invalid_request` for wrong shapes or batches.
 */
export function parseClientMessage(value: unknown): ClientMessage {
  if (Array.isArray(value)) {
    // Batching was removed from MCP in 2025-06-18; the gateway accepts none, in any era.
    throw new GatewayError('invalid_request', 'JSON-RPC batches are not supported', {
      data: { reason: 'batch_not_supported' },
    });
  }
  if (value === null || typeof value !== 'object') {
    throw new GatewayError('invalid_request', 'The body must be a JSON-RPC 2.0 object');
  }
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') {
    throw new GatewayError('invalid_request', 'The "jsonrpc" member must be "2.0"');
  }
  const { id, method, params } = message;
  if (method === undefined && ('result' in message || 'error' in message)) {
    return {
      kind: 'response',
      id: typeof id === 'string' || typeof id === 'number' ? id : null,
      ...('result' in message ? { result: message.result } : {}),
      ...('error' in message ? { error: message.error } : {}),
    };
  }
  if (typeof method !== 'string' || method === '') {
    throw new GatewayError('invalid_request', 'The "method" member must be a non-empty string');
  }
  if (
    params !== undefined &&
    (params === null || typeof params !== 'object' || Array.isArray(params))
  ) {
    throw new GatewayError('invalid_request', 'The "params" member must be an object');
  }
  const objectParams = params as Record<string, unknown> | undefined;
  if (id === undefined) return { kind: 'notification', method, params: objectParams };
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)))) {
    throw new GatewayError('invalid_request', 'The "id" member must be a string or a number');
  }
  return { kind: 'request', id, method, params: objectParams };
}

/** The JSON-RPC error object for a gateway error (no stack, no cause). */
export function errorBody(
  error: GatewayError,
  id: JsonRpcId | null,
  requestId: string,
): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: error.rpcCode,
      message: error.message,
      data: { ...error.data, code: error.code, requestId },
    },
  };
}

/** Wraps anything thrown into a {@link GatewayError}; unknown errors become `internal_error`. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', 'Internal gateway error', { cause: error });
}

/**
 * The Response for a gateway error: its JSON-RPC error object, its HTTP status (or `status`),
 * `Retry-After` when it has one and `Allow` for a method the endpoint does not take.
 */
export function errorResponse(
  error: GatewayError,
  id: JsonRpcId | null,
  requestId: string,
  headers: Headers,
  status?: number,
): Response {
  headers.set('content-type', 'application/json');
  if (error.retryAfter !== undefined)
    headers.set('retry-after', String(Math.ceil(error.retryAfter)));
  if (error.code === 'method_not_allowed') headers.set('allow', 'GET, POST, DELETE, OPTIONS');
  return textResponse(JSON.stringify(errorBody(error, id, requestId)), {
    status: status ?? error.status,
    headers,
  });
}

/** A JSON Response. */
export function jsonResponse(body: unknown, status: number, headers: Headers): Response {
  headers.set('content-type', 'application/json');
  return textResponse(JSON.stringify(body), { status, headers });
}
