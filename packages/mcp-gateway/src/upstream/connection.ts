/**
 * One long-lived MCP client connection to one upstream instance over Streamable HTTP,
 * written on `fetch`. It keeps the upstream session (initialize once, reused by every
 * request), re-initializes transparently when the upstream forgets the session (404), and
 * routes each notification that arrives on a request's SSE stream to that request only —
 * which is what lets the gateway pass `notifications/progress` and `notifications/message`
 * through to the right client.
 *
 * Why not the SDK `Client`: it validates every result against zod/ajv schemas (a gateway
 * relays, it must not rewrite or reject results), and it delivers notifications globally,
 * with no tie to the request whose stream carried them.
 */
import { peekTextBody } from '../http/body-cache.js';
import { parseSse } from '../http/sse.js';
import { delay } from './backoff.js';

/** The upstream protocol revision the gateway speaks. */
export const UPSTREAM_PROTOCOL_VERSION = '2025-11-25';

/** A JSON-RPC notification received from an upstream. */
export interface UpstreamNotification {
  method: string;
  params?: Record<string, unknown>;
}

/** The outcome of one upstream request: a result or the upstream's own JSON-RPC error. */
export type UpstreamReply =
  | { result: Record<string, unknown> }
  | { error: { code: number; message: string; data?: unknown } };

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

/** Options of {@link UpstreamConnection}. */
export interface UpstreamConnectionOptions {
  url: string;
  headers: Readonly<Record<string, string>>;
  fetch: typeof fetch;
  clientVersion: string;
  /**
   * Deadline of the shared `initialize`: it runs on its own signal, because it serves every
   * caller waiting for the session and no single caller's deadline may cut it short.
   * @default 10000
   */
  initializeTimeoutMs?: number;
  /** Called for `notifications/tools/list_changed` (and other list changes) from this upstream. */
  onListChanged?: (method: string) => void;
}

/** Per-request options. */
export interface UpstreamRequestOptions {
  signal: AbortSignal;
  /** Headers for this request only (e.g. the on-behalf-of identity), on top of the connection's. */
  headers?: Readonly<Record<string, string>>;
  onNotification?: (notification: UpstreamNotification) => void;
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
async function readErrorBody(response: Response): Promise<{
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

/** Waits for a shared promise, giving up (without cancelling it) when `signal` aborts. */
function waitWithSignal<T>(shared: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortFailure(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortFailure(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function abortFailure(signal: AbortSignal): UpstreamFailure {
  const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
  // Waiting for the session ended; nothing of this caller's request was sent.
  return new UpstreamFailure(timedOut ? 'timeout' : 'aborted', 'gave up waiting for the session', {
    reached: false,
  });
}

/** A long-lived connection to one upstream MCP endpoint. */
export class UpstreamConnection {
  readonly url: string;
  private readonly options: UpstreamConnectionOptions;
  private sessionId: string | undefined;
  private protocolVersion = UPSTREAM_PROTOCOL_VERSION;
  private initializing: Promise<Record<string, unknown>> | undefined;
  private initializeResult: Record<string, unknown> | undefined;
  private nextId = 1;
  private closed = false;
  private listening: AbortController | undefined;

  constructor(options: UpstreamConnectionOptions) {
    this.options = options;
    this.url = options.url;
  }

  /** The upstream's `initialize` result, once known. */
  get serverInfo(): Record<string, unknown> | undefined {
    return this.initializeResult;
  }

  /**
   * Initializes the upstream session once (single flight). The handshake runs on its own
   * deadline; each caller stops waiting on its own `signal` without cancelling it for others.
   */
  initialize(
    signal: AbortSignal,
    headers?: Readonly<Record<string, string>>,
  ): Promise<Record<string, unknown>> {
    if (this.initializeResult !== undefined) return Promise.resolve(this.initializeResult);
    if (this.initializing === undefined) {
      const attempt = this.runInitialize(
        AbortSignal.timeout(this.options.initializeTimeoutMs ?? 10_000),
        headers,
      ).finally(() => {
        if (this.initializing === attempt) this.initializing = undefined;
      });
      // A handshake nobody waits for any more must not surface as an unhandled rejection.
      attempt.catch(() => undefined);
      this.initializing = attempt;
    }
    return waitWithSignal(this.initializing, signal);
  }

  // The handshake carries the triggering request's extra headers (an upstream gateway
  // authorizes it like any request); the session still belongs to the connection.
  private async runInitialize(
    signal: AbortSignal,
    headers?: Readonly<Record<string, string>>,
  ): Promise<Record<string, unknown>> {
    this.sessionId = undefined;
    const reply = await this.send(
      'initialize',
      JSON.stringify({
        protocolVersion: UPSTREAM_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'tekup-mcp-gateway', version: this.options.clientVersion },
      }),
      headers === undefined ? { signal } : { signal, headers },
      true,
    );
    if ('error' in reply) {
      throw new UpstreamFailure('protocol', `initialize failed: ${reply.error.message}`, {
        reached: true,
      });
    }
    const version = reply.result.protocolVersion;
    if (typeof version === 'string') this.protocolVersion = version;
    await this.notify('notifications/initialized', undefined, signal);
    this.initializeResult = reply.result;
    const tools = (reply.result.capabilities as { tools?: { listChanged?: boolean } } | undefined)
      ?.tools;
    if (tools?.listChanged === true) this.listen();
    return reply.result;
  }

  /**
   * Keeps the session's standalone GET stream open to hear `notifications/tools/list_changed`
   * (servers send unrelated notifications only there), reconnecting with backoff while the
   * session lives. A 405 means the upstream offers no such stream.
   */
  private listen(): void {
    if (this.listening !== undefined || this.closed || this.options.onListChanged === undefined)
      return;
    const controller = new AbortController();
    this.listening = controller;
    const sessionId = this.sessionId;
    const run = async () => {
      let failures = 0;
      while (!controller.signal.aborted && this.sessionId === sessionId && failures < 6) {
        try {
          const response = await this.options.fetch(this.url, {
            method: 'GET',
            headers: {
              ...this.options.headers,
              accept: 'text/event-stream',
              'mcp-protocol-version': this.protocolVersion,
              ...(sessionId === undefined ? {} : { 'mcp-session-id': sessionId }),
            },
            signal: controller.signal,
          });
          if (!response.ok || response.body === null) {
            await response.body?.cancel().catch(() => undefined);
            if (response.status === 405 || response.status === 404) return;
            failures++;
          } else {
            failures = 0;
            for await (const event of parseSse(response.body)) {
              try {
                const message = JSON.parse(event.data) as { method?: unknown; id?: unknown };
                if (typeof message.method !== 'string') continue;
                if (message.id !== undefined) this.answerServerRequest(message.id, message.method);
                else if (message.method.endsWith('/list_changed'))
                  this.options.onListChanged?.(message.method);
              } catch {
                // Not JSON: ignore the event.
              }
            }
          }
        } catch {
          failures++;
        }
        if (controller.signal.aborted) return;
        await delay(Math.min(30_000, 250 * 2 ** failures), controller.signal);
      }
    };
    run().finally(() => {
      if (this.listening === controller) this.listening = undefined;
    });
  }

  /** Forgets the upstream session so the next request re-initializes. */
  reset(): void {
    this.initializeResult = undefined;
    this.sessionId = undefined;
    this.listening?.abort();
    this.listening = undefined;
  }

  /**
   * Sends one request; `params` is the serialized JSON of its params (the pool serializes
   * once per call, whatever the retries). A lost upstream session (404) is re-initialized and
   * the request re-sent once: the upstream did not process it, so this is safe even for
   * destructive calls.
   */
  async request(
    method: string,
    params: string | undefined,
    options: UpstreamRequestOptions,
  ): Promise<UpstreamReply> {
    await this.initialize(options.signal, options.headers);
    const sessionUsed = this.sessionId;
    try {
      return await this.send(method, params, options, false);
    } catch (error) {
      if (error instanceof UpstreamFailure && error.status === 404 && sessionUsed !== undefined) {
        if (this.sessionId === sessionUsed) this.reset();
        await this.initialize(options.signal, options.headers);
        return await this.send(method, params, options, false);
      }
      throw error;
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      ...this.options.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': this.protocolVersion,
    };
    if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
    return headers;
  }

  private async post(
    body: string,
    signal: AbortSignal,
    extraHeaders?: Readonly<Record<string, string>>,
  ): Promise<Response> {
    if (this.closed) {
      throw new UpstreamFailure('connect', 'connection closed', { reached: false });
    }
    try {
      return await this.options.fetch(this.url, {
        method: 'POST',
        headers: extraHeaders ? { ...extraHeaders, ...this.headers() } : this.headers(),
        body,
        signal,
      });
    } catch (error) {
      throw this.fetchFailure(error, signal);
    }
  }

  private fetchFailure(error: unknown, signal: AbortSignal): UpstreamFailure {
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

  private async notify(
    method: string,
    params: Record<string, unknown> | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const response = await this.post(
      JSON.stringify(
        params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params },
      ),
      signal,
    );
    await response.body?.cancel().catch(() => undefined);
  }

  private async send(
    method: string,
    params: string | undefined,
    options: UpstreamRequestOptions,
    isInitialize: boolean,
  ): Promise<UpstreamReply> {
    const id = this.nextId++;
    const message = `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)}${params === undefined ? '' : `,"params":${params}`}}`;
    let response: Response;
    try {
      response = await this.post(message, options.signal, options.headers);
    } catch (error) {
      if (options.signal.aborted && !isInitialize) this.cancelUpstream(id);
      throw error;
    }
    if (isInitialize) {
      const sessionId = response.headers.get('mcp-session-id');
      if (sessionId !== null) this.sessionId = sessionId;
    }
    if (!response.ok) {
      throw new UpstreamFailure('http', `upstream answered HTTP ${response.status}`, {
        reached: true,
        status: response.status,
        ...(await readErrorBody(response)),
      });
    }
    const contentType = response.headers.get('content-type') ?? '';
    try {
      if (contentType.includes('text/event-stream') && response.body !== null) {
        return await this.readStream(response.body, id, options);
      }
      const text = peekTextBody(response) ?? (await response.text());
      return this.pickReply(JSON.parse(text), id, options);
    } catch (error) {
      if (options.signal.aborted && !isInitialize) this.cancelUpstream(id);
      if (error instanceof UpstreamFailure) throw error;
      if (options.signal.aborted) throw this.fetchFailure(error, options.signal);
      throw new UpstreamFailure('protocol', 'upstream sent an unreadable response', {
        reached: true,
        cause: error,
      });
    }
  }

  private pickReply(value: unknown, id: number, options: UpstreamRequestOptions): UpstreamReply {
    const messages = Array.isArray(value) ? value : [value];
    let reply: UpstreamReply | undefined;
    for (const message of messages) {
      const found = this.handleMessage(message, id, options);
      if (found !== undefined) reply = found;
    }
    if (reply === undefined) {
      throw new UpstreamFailure('protocol', 'upstream response carried no reply', {
        reached: true,
      });
    }
    return reply;
  }

  private async readStream(
    body: ReadableStream<Uint8Array>,
    id: number,
    options: UpstreamRequestOptions,
  ): Promise<UpstreamReply> {
    for await (const event of parseSse(body)) {
      if (event.data === '') continue;
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        continue;
      }
      const reply = this.handleMessage(message, id, options);
      if (reply !== undefined) return reply;
    }
    throw new UpstreamFailure('protocol', 'upstream stream ended before the reply', {
      reached: true,
    });
  }

  private handleMessage(
    value: unknown,
    id: number,
    options: UpstreamRequestOptions,
  ): UpstreamReply | undefined {
    if (value === null || typeof value !== 'object') return undefined;
    const message = value as Record<string, unknown>;
    if (typeof message.method === 'string') {
      if (message.id !== undefined) {
        this.answerServerRequest(message.id, message.method);
        return undefined;
      }
      const notification: UpstreamNotification = { method: message.method };
      if (message.params !== null && typeof message.params === 'object') {
        notification.params = message.params as Record<string, unknown>;
      }
      if (message.method.endsWith('/list_changed')) this.options.onListChanged?.(message.method);
      else options.onNotification?.(notification);
      return undefined;
    }
    if (message.id !== id) return undefined;
    if (message.error !== null && typeof message.error === 'object') {
      const error = message.error as Record<string, unknown>;
      return {
        error: {
          code: typeof error.code === 'number' ? error.code : -32603,
          message: typeof error.message === 'string' ? error.message : 'Upstream error',
          ...(error.data === undefined ? {} : { data: error.data }),
        },
      };
    }
    const result = message.result;
    return {
      result:
        result !== null && typeof result === 'object' ? (result as Record<string, unknown>) : {},
    };
  }

  /** Tells the upstream to stop work on a request the gateway gave up on (2025-era cancellation). */
  private cancelUpstream(id: number): void {
    if (this.closed) return;
    this.notify(
      'notifications/cancelled',
      { requestId: id, reason: 'cancelled by the gateway' },
      AbortSignal.timeout(5_000),
    ).catch(() => undefined);
  }

  /** Server-to-client requests (sampling, elicitation, roots) cannot be relayed through a shared upstream session. */
  private answerServerRequest(id: unknown, method: string): void {
    const reply =
      method === 'ping'
        ? { jsonrpc: '2.0', id, result: {} }
        : {
            jsonrpc: '2.0',
            id,
            error: { code: -32601, message: `The gateway does not relay ${method} to clients` },
          };
    this.post(JSON.stringify(reply), AbortSignal.timeout(5_000))
      .then((response) => response.body?.cancel())
      .catch(() => undefined);
  }

  /** Ends the upstream session (best effort) and refuses further requests. */
  async close(): Promise<void> {
    if (this.closed) return;
    const sessionId = this.sessionId;
    this.closed = true;
    this.reset();
    if (sessionId === undefined) return;
    try {
      const response = await this.options.fetch(this.url, {
        method: 'DELETE',
        headers: { ...this.options.headers, 'mcp-session-id': sessionId },
        signal: AbortSignal.timeout(2_000),
      });
      await response.body?.cancel().catch(() => undefined);
    } catch {
      // The upstream may already be gone; its session then expires on its own.
    }
  }
}
