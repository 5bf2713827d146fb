/** The error shape of `@tekup/mcp-client-web` (read structurally, so any thrown value works). */
export interface GatewayErrorLike {
  message: string;
  code?: string;
  status?: number;
  server?: string;
  url?: string;
  gatewayCode?: string;
  retryAfter?: number;
}

/** Codes of {@link AssistantError}. */
export type AssistantErrorCode =
  | 'rate_limited'
  | 'http'
  | 'network'
  | 'gateway_unreachable'
  | 'server_unavailable'
  | 'aborted'
  | 'unknown';

/** The one error type of the assistant: chat route failures and gateway failures. */
export class AssistantError extends Error {
  override readonly name = 'AssistantError';
  readonly code: AssistantErrorCode;
  readonly status?: number;
  /** Seconds until a retry may succeed (from `Retry-After`). */
  readonly retryAfter?: number;
  /** The MCP server the failure concerns, when known. */
  readonly server?: string;
  /** The route's own error code (`{ error: { code } }`), when it sent one. */
  readonly routeCode?: string;
  /** When the error happened (ms since epoch); retry countdowns start here. */
  readonly at: number;

  constructor(
    code: AssistantErrorCode,
    message: string,
    options: {
      status?: number;
      retryAfter?: number;
      server?: string;
      routeCode?: string;
      cause?: unknown;
      at?: number;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
    this.server = options.server;
    this.routeCode = options.routeCode;
    this.at = options.at ?? Date.now();
  }
}

/** Parses `Retry-After` (seconds or an HTTP date) into whole seconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Turns a failed chat-route response into an {@link AssistantError} (`now`: when it failed). */
export async function errorFromResponse(
  response: Response,
  now = Date.now(),
): Promise<AssistantError> {
  let routeCode: string | undefined;
  let message: string | undefined;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    routeCode = body?.error?.code;
    message = body?.error?.message;
  } catch {
    // a non-JSON error body: keep the status-based message
  }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now);
  if (response.status === 429) {
    return new AssistantError('rate_limited', message ?? 'Too many requests.', {
      status: 429,
      retryAfter,
      routeCode,
      at: now,
    });
  }
  return new AssistantError(
    'http',
    message ?? `The chat service answered ${response.status} ${response.statusText}`.trim(),
    { status: response.status, retryAfter, routeCode, at: now },
  );
}

/** What an error means for the user: a sentence, and a retry delay when there is one. */
export interface ErrorDescription {
  code: AssistantErrorCode;
  message: string;
  retryAfter?: number;
  at: number;
  server?: string;
}

/** Describes any error the chat loop can raise in words a user understands (`now`: when). */
export function describeError(error: unknown, now = Date.now()): ErrorDescription {
  if (error instanceof AssistantError) {
    const base = {
      code: error.code,
      at: error.at,
      retryAfter: error.retryAfter,
      server: error.server,
    };
    switch (error.code) {
      case 'rate_limited':
        return { ...base, message: 'Too many requests right now.' };
      case 'network':
        return { ...base, message: 'Could not reach the chat service. Check your connection.' };
      default:
        return { ...base, message: error.message };
    }
  }
  if (error instanceof TypeError) {
    return {
      code: 'network',
      at: now,
      message: 'Could not reach the chat service. Check your connection.',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'unknown', at: now, message: message || 'Something went wrong.' };
}

/** Reads any thrown value as a gateway error (an Error's `message` is not enumerable). */
export function toGatewayError(error: unknown, server?: string): GatewayErrorLike {
  const record = (
    typeof error === 'object' && error !== null ? error : {}
  ) as Partial<GatewayErrorLike>;
  return {
    message:
      error instanceof Error
        ? error.message
        : typeof record.message === 'string'
          ? record.message
          : String(error),
    code: record.code,
    status: record.status,
    server: record.server ?? server,
    url: record.url,
    gatewayCode: record.gatewayCode,
    retryAfter: record.retryAfter,
  };
}

/** A user-facing sentence for a failed gateway call or listing. */
export function describeGatewayError(error: GatewayErrorLike, gateway?: string): string {
  const server = error.server ? `server "${error.server}"` : undefined;
  const code = error.gatewayCode ?? error.code;
  switch (code) {
    case 'rate_limited':
      return `${error.server ? `The server "${error.server}"` : 'The gateway'} is rate limited${error.retryAfter != null ? `; try again in ${error.retryAfter} s` : ''}.`;
    case 'upstream_unavailable':
    case 'upstream_timeout':
      return `The ${server ?? 'server'} is unavailable right now.`;
    case 'unknown_server':
      return `The gateway does not know ${server ?? 'this server'}.`;
    case 'outcome_unknown':
      return `The ${server ?? 'server'} failed after it received the call, so it may or may not have taken effect. It was not retried: check whether it happened before trying again.`;
    case 'unauthorized':
    case 'forbidden':
      return `You are not allowed to use ${server ?? 'this server'}.`;
    case 'timeout':
      return `The ${server ?? 'server'} did not answer in time.`;
    case 'network':
      return `Could not reach the gateway${gateway ? ` at ${gateway}` : ''}.`;
    default:
      return error.message || `The ${server ?? 'gateway'} failed.`;
  }
}
