import 'server-only';
import {
  isGatewayError,
  parseCallerJson,
  readBody,
  StoreUnavailableError,
} from '@tekup/mcp-gateway';
import { env } from './env';

/** Error codes the dashboard's own API answers with (the gateway route uses the gateway's codes). */
export type ApiErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'csrf_rejected'
  | 'invalid_request'
  | 'payload_too_large'
  | 'not_found'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'upstream_unavailable'
  | 'store_unavailable'
  | 'internal_error';

const STATUS: Record<ApiErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  csrf_rejected: 403,
  invalid_request: 400,
  payload_too_large: 413,
  not_found: 404,
  rate_limited: 429,
  quota_exceeded: 429,
  upstream_unavailable: 503,
  store_unavailable: 503,
  internal_error: 500,
};

/** A typed error a route handler throws; {@link handle} turns it into a JSON response. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** A JSON response. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { ...init, headers });
}

/** The one place dashboard API errors become responses; unknown errors never leak details. */
export function errorResponse(error: unknown): Response {
  // A database behind an open circuit breaker: say so, and when to try again.
  if (
    error instanceof StoreUnavailableError ||
    (error as { name?: unknown } | null)?.name === 'StoreUnavailableError'
  ) {
    return errorResponse(
      new ApiError(
        'store_unavailable',
        'A database is unavailable right now; try again shortly.',
        2,
      ),
    );
  }
  if (error instanceof ApiError) {
    const headers = new Headers();
    if (error.retryAfter !== undefined)
      headers.set('retry-after', String(Math.ceil(error.retryAfter)));
    return json(
      {
        error: {
          code: error.code,
          message: error.message,
          ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
        },
      },
      { status: STATUS[error.code], headers },
    );
  }
  console.error('dashboard route failed', error instanceof Error ? error.message : error);
  return json(
    { error: { code: 'internal_error', message: 'Something went wrong on the server.' } },
    { status: 500 },
  );
}

/** Runs a route handler body and maps thrown errors to responses. */
export async function handle(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    return errorResponse(error);
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const LOCALHOST_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;

/**
 * Whether a browser origin is the app's own: one of `TEKUP_ALLOWED_ORIGINS`, or — when none
 * is configured (a local run) — a localhost origin. Never derived from `Host` or
 * `X-Forwarded-Host`: those are what a DNS-rebinding page controls.
 */
function isAppOrigin(origin: string): boolean {
  const { allowedOrigins } = env();
  if (allowedOrigins.length === 0) return LOCALHOST_ORIGIN.test(origin);
  return allowedOrigins.some((allowed) => allowed.toLowerCase() === origin.toLowerCase());
}

/**
 * CSRF and DNS-rebinding defence for cookie-authenticated state changes: the browser's `Origin`
 * (or, failing that, `Referer`) must be one of the app's configured origins. Bearer-key callers
 * are not browsers and skip it.
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get('origin');
  if (origin) {
    if (!isAppOrigin(origin)) throw new ApiError('csrf_rejected', 'Cross-site request refused.');
    return;
  }
  const referer = request.headers.get('referer');
  let refererOrigin: string | undefined;
  try {
    refererOrigin = referer ? new URL(referer).origin : undefined;
  } catch {
    refererOrigin = undefined;
  }
  if (refererOrigin && isAppOrigin(refererOrigin)) return;
  throw new ApiError('csrf_rejected', 'Cross-site request refused: missing Origin header.');
}

/**
 * Parses a JSON object body within bounds checked before any other work: the declared and the
 * read size (`maxBytes`) and the nesting depth (the gateway's); throws `invalid_request` for
 * anything else, a JSON value that is not an object included.
 */
export async function readJson<T extends object = Record<string, unknown>>(
  request: Request,
  maxBytes = 64 * 1024,
): Promise<Partial<T>> {
  let value: unknown;
  try {
    value = parseCallerJson(await readBody(request, maxBytes));
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    throw new ApiError(
      error.code === 'payload_too_large' ? 'payload_too_large' : 'invalid_request',
      error.code === 'payload_too_large'
        ? `Body larger than ${maxBytes} bytes.`
        : error.code === 'parse_error'
          ? 'Body is not valid JSON.'
          : error.message,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError('invalid_request', 'Body must be a JSON object.');
  }
  return value as Partial<T>;
}
