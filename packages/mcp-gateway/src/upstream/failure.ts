/**
 * Transport-level failures of upstream requests: the error type the pool decides retries and
 * ejections by, and how a thrown `fetch`, an abort or a non-2xx answer becomes one.
 */

/** Why an upstream request failed at the transport level. */
export type UpstreamFailureKind =
  | 'connect'
  | 'network'
  | 'http'
  | 'protocol'
  | 'timeout'
  | 'aborted';

/** A transport-level upstream failure (never sent to clients as-is). */
export class UpstreamFailure extends Error {
  override readonly name = 'UpstreamFailure';
  /** False only when the request certainly never reached the upstream (safe to retry anything). */
  readonly reached: boolean;
  readonly kind: UpstreamFailureKind;
  readonly status: number | undefined;
  /** The JSON-RPC error an upstream sent with a non-2xx status (e.g. another gateway's 429). */
  readonly rpcError: { code: number; message: string; data?: unknown } | undefined;
  /** Seconds from the upstream's `Retry-After` header. */
  readonly retryAfter: number | undefined;
  constructor(
    kind: UpstreamFailureKind,
    message: string,
    options: {
      reached: boolean;
      status?: number;
      cause?: unknown;
      rpcError?: { code: number; message: string; data?: unknown };
      retryAfter?: number;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.reached = options.reached;
    this.status = options.status;
    this.rpcError = options.rpcError;
    this.retryAfter = options.retryAfter;
  }
}

const notReachedCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CONNECT',
]);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The JSON-RPC error and `Retry-After` of a non-2xx answer, when it carries them (another
 * gateway's 401/403/429); a body that is not a small JSON-RPC error is discarded.
 */
export async function readErrorBody(response: Response): Promise<{
  rpcError?: { code: number; message: string; data?: unknown };
  retryAfter?: number;
}> {
  const found: {
    rpcError?: { code: number; message: string; data?: unknown };
    retryAfter?: number;
  } = {};
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter >= 0) found.retryAfter = retryAfter;
  if (!(response.headers.get('content-type') ?? '').includes('json')) {
    await response.body?.cancel().catch(() => undefined);
    return found;
  }
  try {
    const text = await response.text();
    if (text.length > 64 * 1024) return found;
    const error = (JSON.parse(text) as { error?: Record<string, unknown> }).error;
    if (error && typeof error.code === 'number' && typeof error.message === 'string') {
      found.rpcError = {
        code: error.code,
        message: error.message,
        ...(error.data === undefined ? {} : { data: error.data }),
      };
    }
  } catch {
    // Not JSON after all: the status alone describes the failure.
  }
  return found;
}

/** The failure of a `fetch` that threw: aborted, never connected, or lost on the way. */
export function fetchFailure(error: unknown, signal: AbortSignal): UpstreamFailure {
  if (signal.aborted) {
    const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
    return new UpstreamFailure(timedOut ? 'timeout' : 'aborted', 'upstream request aborted', {
      reached: true,
      cause: error,
    });
  }
  const code = errorCode(error);
  const reached = code === undefined || !notReachedCodes.has(code);
  return new UpstreamFailure(
    reached ? 'network' : 'connect',
    `upstream unreachable (${code ?? 'network error'})`,
    {
      reached,
      cause: error,
    },
  );
}

/** The failure of a caller that stopped waiting for the shared session: nothing was sent. */
export function abortFailure(signal: AbortSignal): UpstreamFailure {
  const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
  // Waiting for the session ended; nothing of this caller's request was sent.
  return new UpstreamFailure(timedOut ? 'timeout' : 'aborted', 'gave up waiting for the session', {
    reached: false,
  });
}
