// Kept whole: one endpoint's state machine (era probe, sessions, SSE resumption) in one closure.
import { McpClientError } from './errors';
import {
  isJsonRpcMessage,
  isRecord,
  type JsonRpcMessage,
  LEGACY_PROTOCOL_VERSIONS,
  MODERN_ERROR_CODES,
  MODERN_PROTOCOL_VERSIONS,
  parseRetryAfter,
  encodeHeaderValue,
  wireErrorDetails,
} from './protocol';
import { createSseParser } from './sse';
import type { AnswerQuestion, ClientInfo, Progress } from './types';

/** Which family of protocol revisions a server speaks. */
export type ProtocolEra = 'modern' | 'legacy';

/** How a {@link Connection} reaches one MCP endpoint. */
export interface ConnectionOptions {
  /** Absolute URL of the MCP endpoint. */
  url: string;
  /** Server name, copied onto errors. */
  server: string;
  fetch: typeof fetch;
  /** Builds the base headers of every request (static headers merged with `getHeaders()`). */
  headers: () => Promise<Headers>;
  credentials: RequestCredentials;
  /** Pins one protocol revision instead of probing. */
  protocolVersion?: string;
  clientInfo: ClientInfo;
  /** Timeout of the era probe and the `initialize` handshake. */
  timeoutMs: number;
  /** Receives notifications that do not belong to a pending request (e.g. `list_changed`). */
  onNotification?: (message: JsonRpcMessage) => void;
  /** What the client declares it can be asked mid-call (`elicitation`, `sampling`). @default {} */
  capabilities?: Record<string, unknown>;
  /**
   * Answers what a 2025-era server asks outside any request, on the session's standalone GET
   * stream (opened only when this is set); the stream also carries `list_changed` notices.
   */
  answer?: AnswerQuestion;
}

/** Per-request options of {@link Connection.request}. */
interface ConnectionRequestOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  onProgress?: (progress: Progress) => void;
  headers?: HeadersInit;
  /** Value of the `Mcp-Name` header (`params.name` or `params.uri`). */
  name?: string;
  /** Extra headers such as `Mcp-Param-*`. */
  extraHeaders?: Record<string, string>;
  /** Answers the server's questions during this request; unanswered ones are refused. */
  answer?: AnswerQuestion;
}

/** What a connection has learned about its server. */
export interface ConnectionState {
  era?: ProtocolEra;
  protocolVersion?: string;
  sessionId?: string;
  /** Capabilities from `initialize` or `server/discover`. */
  capabilities?: Record<string, unknown>;
  serverInfo?: Record<string, unknown>;
}

/** One lazily established Streamable HTTP connection to one MCP endpoint. */
export interface Connection {
  /** Sends a JSON-RPC request and resolves with its `result`. */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: ConnectionRequestOptions,
  ): Promise<Record<string, unknown>>;
  /** Negotiates the protocol era (and session) now instead of on the first request. */
  connect(options: { signal?: AbortSignal; timeoutMs: number }): Promise<void>;
  /** What the connection knows so far. */
  readonly state: Readonly<ConnectionState>;
  /** Ends the session (HTTP DELETE) and fails pending and later requests with `not_connected`. */
  close(): Promise<void>;
}

interface Exchange {
  signal: AbortSignal;
  version?: string;
  headers?: HeadersInit;
  name?: string;
  extraHeaders?: Record<string, string>;
  progressToken?: string;
  onProgress?: (progress: Progress) => void;
  answer?: AnswerQuestion;
  /** Gives the request a person's time once a question is put to them. */
  extend?: () => void;
}

class SessionLost {
  constructor(readonly sessionId: string) {}
}

const ACCEPT_BOTH = 'application/json, text/event-stream';
const MAX_RESUME_ATTEMPTS = 3;
const DEFAULT_RETRY_MS = 1000;
const CLEANUP_TIMEOUT_MS = 5000;
const META_PREFIX = 'io.modelcontextprotocol/';
/** How long a person may take over a server's question (the request's deadline meanwhile). */
const ANSWER_TIMEOUT_MS = 600_000;
/** Most `input_required` rounds one request may take. */
const MAX_INPUT_ROUNDS = 8;
const QUESTIONS = new Set(['elicitation/create', 'sampling/createMessage']);

let progressCounter = 0;

/** Fails with the abort reason, mapped to an {@link McpClientError}. */
function abortError(signal: AbortSignal): McpClientError {
  const reason: unknown = signal.reason;
  return reason instanceof McpClientError
    ? reason
    : new McpClientError('aborted', 'The request was aborted', { cause: reason });
}

/** Resolves with `promise` unless `signal` aborts first. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * An accepted form's content with the requested schema's defaults for the fields it leaves
 * out (SEP-1034), so a server always receives a value the person saw.
 */
function withDefaults(
  result: Record<string, unknown>,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const schema = params.requestedSchema;
  if (result.action !== 'accept' || !isRecord(schema) || !isRecord(schema.properties)) {
    return result;
  }
  const content: Record<string, unknown> = isRecord(result.content) ? { ...result.content } : {};
  for (const [name, property] of Object.entries(schema.properties)) {
    if (!(name in content) && isRecord(property) && property.default !== undefined) {
      content[name] = property.default;
    }
  }
  return { ...result, content };
}

/** Waits `ms` (a server-chosen SSE `retry` delay) unless `signal` aborts first. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return raceAbort(
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    }),
    signal,
  );
}

/** An AbortSignal fired by a timeout or any of the given signals, with a typed reason. */
function createScope(
  timeoutMs: number,
  caller: AbortSignal | undefined,
  closing: AbortSignal,
): { signal: AbortSignal; dispose: () => void; extend: (ms: number) => void } {
  const controller = new AbortController();
  const onCaller = () =>
    controller.abort(
      new McpClientError('aborted', 'The request was aborted', { cause: caller?.reason }),
    );
  const onClosing = () =>
    controller.abort(new McpClientError('not_connected', 'The client was closed'));
  const expire = (ms: number) =>
    setTimeout(
      () => controller.abort(new McpClientError('timeout', `The request timed out after ${ms} ms`)),
      ms,
    );
  let timer = expire(timeoutMs);
  if (closing.aborted) onClosing();
  else closing.addEventListener('abort', onClosing, { once: true });
  if (caller?.aborted) onCaller();
  else caller?.addEventListener('abort', onCaller, { once: true });
  return {
    signal: controller.signal,
    extend(ms) {
      clearTimeout(timer);
      timer = expire(Math.max(ms, timeoutMs));
    },
    dispose() {
      clearTimeout(timer);
      closing.removeEventListener('abort', onClosing);
      caller?.removeEventListener('abort', onCaller);
    },
  };
}

/**
 * Creates a connection to one Streamable HTTP MCP endpoint that speaks both protocol eras:
 * it probes with `server/discover` (2026-07-28, stateless) and falls back to the `initialize`
 * handshake with sessions (2025-03-26 … 2025-11-25) when the server is not modern.
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http#backward-compatibility
 */
export function createConnection(options: ConnectionOptions): Connection {
  const { url, server } = options;
  const state: ConnectionState = {};
  const closing = new AbortController();
  let ready: Promise<void> | undefined;
  let legacyVersion: string | undefined;
  let nextId = 1;

  const fail = (
    code: McpClientError['code'],
    message: string,
    details: ConstructorParameters<typeof McpClientError>[2] = {},
  ) => new McpClientError(code, `${server}: ${message}`, { server, url, ...details });

  const send = async (init: RequestInit, signal: AbortSignal): Promise<Response> => {
    try {
      return await options.fetch(url, { ...init, signal, credentials: options.credentials });
    } catch (cause) {
      if (signal.aborted) throw abortError(signal);
      throw fail('network', `request failed (${String(cause)})`, { cause });
    }
  };

  const buildHeaders = async (method: string | undefined, exchange: Exchange, accept: string) => {
    const headers = await options.headers();
    if (exchange.headers) {
      for (const [key, value] of new Headers(exchange.headers)) headers.set(key, value);
    }
    headers.set('Accept', accept);
    if (method !== undefined) headers.set('Content-Type', 'application/json');
    // Request metadata headers belong to 2026-07-28. Earlier servers do not expect them, and a
    // cross-origin one may not allow them in CORS, which would fail the request outright.
    if (method !== undefined && (state.era === 'modern' || method === 'server/discover')) {
      headers.set('Mcp-Method', method);
      if (exchange.name !== undefined) headers.set('Mcp-Name', encodeHeaderValue(exchange.name));
      for (const [key, value] of Object.entries(exchange.extraHeaders ?? {}))
        headers.set(key, value);
    }
    if (exchange.version !== undefined) headers.set('MCP-Protocol-Version', exchange.version);
    if (state.sessionId !== undefined) headers.set('Mcp-Session-Id', state.sessionId);
    return headers;
  };

  const errorFromBody = (
    code: 'http' | 'protocol',
    prefix: string,
    error: unknown,
    status?: number,
    retryAfterHeader?: number,
  ) => {
    const wire = wireErrorDetails(error, status, retryAfterHeader);
    return fail(code, wire.message ? `${prefix}: ${wire.message}` : prefix, wire.details);
  };

  const httpError = async (response: Response) => {
    let body: unknown;
    try {
      const message: unknown = JSON.parse(await response.text());
      body = isRecord(message) ? message.error : undefined;
    } catch {
      body = undefined;
    }
    return errorFromBody(
      'http',
      `HTTP ${response.status}`,
      body,
      response.status,
      parseRetryAfter(response.headers.get('retry-after')),
    );
  };

  const settle = (message: JsonRpcMessage): Record<string, unknown> => {
    if (message.error !== undefined) throw errorFromBody('protocol', 'error', message.error);
    if (!isRecord(message.result))
      throw fail('invalid_response', 'response has neither result nor error');
    return message.result;
  };

  /** The answer to one question: the handler's, or a refusal when there is none or it throws. */
  const answerOf = async (
    method: string,
    params: unknown,
    exchange: Exchange,
  ): Promise<
    { result: Record<string, unknown> } | { error: { code: number; message: string } }
  > => {
    if (exchange.answer === undefined || !QUESTIONS.has(method))
      return { error: { code: -32601, message: 'Method not found' } };
    exchange.extend?.();
    try {
      const asked = isRecord(params) ? params : {};
      const result = await exchange.answer(
        { server, method: method as 'elicitation/create', params: asked },
        exchange.signal,
      );
      return { result: method === 'elicitation/create' ? withDefaults(result, asked) : result };
    } catch (cause) {
      // A form nobody filled in was cancelled; a completion nobody allowed was declined.
      if (method === 'elicitation/create') return { result: { action: 'cancel' } };
      return { error: { code: -1, message: cause instanceof Error ? cause.message : 'Declined' } };
    }
  };

  const answerServerRequest = async (message: JsonRpcMessage, exchange: Exchange) => {
    const reply =
      message.method === 'ping'
        ? { jsonrpc: '2.0', id: message.id, result: {} }
        : {
            jsonrpc: '2.0',
            id: message.id,
            ...(await answerOf(message.method ?? '', message.params, exchange)),
          };
    const scope = createScope(CLEANUP_TIMEOUT_MS, undefined, closing.signal);
    void buildHeaders(
      undefined,
      { signal: scope.signal, version: state.protocolVersion },
      ACCEPT_BOTH,
    )
      .then((headers) => {
        headers.set('Content-Type', 'application/json');
        return send({ method: 'POST', headers, body: JSON.stringify(reply) }, scope.signal);
      })
      .then((response) => response.body?.cancel())
      .catch(() => undefined)
      .finally(scope.dispose);
  };

  /**
   * 2025 era: the session's standalone GET stream, for what the server sends outside any
   * request. Given up on 405 (no such stream) or after three failed connections.
   */
  const listen = (sessionId: string) => {
    const answer = options.answer;
    if (answer === undefined) return;
    const exchange: Exchange = { signal: closing.signal, answer };
    void (async () => {
      for (let failures = 0; failures < 3 && state.sessionId === sessionId; ) {
        try {
          const headers = await buildHeaders(
            undefined,
            { signal: closing.signal, version: state.protocolVersion },
            'text/event-stream',
          );
          const response = await send({ method: 'GET', headers }, closing.signal);
          if (!response.ok || response.body === null) {
            void response.body?.cancel().catch(() => undefined);
            if (response.status === 405) return;
            failures++;
            continue;
          }
          const parser = createSseParser((event) => {
            if (event.data === '') return;
            let message: unknown;
            try {
              message = JSON.parse(event.data);
            } catch {
              return;
            }
            if (!isJsonRpcMessage(message) || message.method === undefined) return;
            if (message.id !== undefined && message.id !== null) {
              void answerServerRequest(message, exchange);
            } else options.onNotification?.(message);
          });
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            parser.push(decoder.decode(value, { stream: true }));
          }
        } catch {
          if (closing.signal.aborted) return;
          failures++;
        }
      }
    })();
  };

  const readStream = async (
    first: Response,
    id: number,
    exchange: Exchange,
  ): Promise<Record<string, unknown>> => {
    const { signal } = exchange;
    let lastEventId: string | undefined;
    let retryMs: number | undefined;
    let attempts = 0;
    let response = first;
    for (;;) {
      let found: JsonRpcMessage | undefined;
      let failure: McpClientError | undefined;
      let progressed = false;
      const parser = createSseParser((event) => {
        if (found || failure) return;
        progressed = true;
        if (event.id !== undefined) lastEventId = event.id;
        if (event.retry !== undefined) retryMs = event.retry;
        if (event.event !== 'message' || event.data === '') return;
        let message: unknown;
        try {
          message = JSON.parse(event.data);
        } catch (cause) {
          failure = fail('invalid_response', 'malformed JSON in an event stream', { cause });
          return;
        }
        if (!isJsonRpcMessage(message)) {
          failure = fail('invalid_response', 'an event is not a JSON-RPC message');
          return;
        }
        if (message.method === undefined) {
          if (message.id === id) found = message;
          return;
        }
        if (message.id !== undefined && message.id !== null) {
          void answerServerRequest(message, exchange);
          return;
        }
        if (
          message.method === 'notifications/progress' &&
          exchange.progressToken !== undefined &&
          message.params?.progressToken === exchange.progressToken
        ) {
          const { progress, total, message: text } = message.params;
          if (typeof progress === 'number') {
            const update: Progress = { progress };
            if (typeof total === 'number') update.total = total;
            if (typeof text === 'string') update.message = text;
            try {
              exchange.onProgress?.(update);
            } catch {
              // A throwing progress callback must not break the response stream.
            }
          }
          return;
        }
        options.onNotification?.(message);
      });
      if (!response.body) throw fail('invalid_response', 'event stream without a body');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const onAbort = () => void reader.cancel().catch(() => undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      let dropped: unknown;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.push(decoder.decode(value, { stream: true }));
          if (found || failure) break;
        }
      } catch (cause) {
        dropped = cause;
      } finally {
        signal.removeEventListener('abort', onAbort);
        if (found || failure) void reader.cancel().catch(() => undefined);
      }
      if (signal.aborted) throw abortError(signal);
      if (failure) throw failure;
      if (found) return settle(found);
      if (progressed) attempts = 0;
      // 2025-11-25 resumability: a server that sent event ids may close the stream early and
      // expects a GET with Last-Event-ID after its `retry` delay. 2026-07-28 removed it.
      if (state.era !== 'modern' && lastEventId !== undefined && attempts < MAX_RESUME_ATTEMPTS) {
        attempts++;
        await delay(retryMs ?? DEFAULT_RETRY_MS, signal);
        const headers = await buildHeaders(
          undefined,
          { ...exchange, name: undefined, extraHeaders: undefined },
          'text/event-stream',
        );
        headers.set('Last-Event-ID', lastEventId);
        response = await send({ method: 'GET', headers }, signal);
        const type = response.headers.get('content-type') ?? '';
        if (!response.ok || !type.includes('text/event-stream')) {
          void response.body?.cancel().catch(() => undefined);
          // The request may already have run, so it is not sent again: report the broken stream.
          throw fail(
            'invalid_response',
            `the event stream ended before the response arrived and resuming it failed (HTTP ${response.status})`,
            { status: response.status },
          );
        }
        continue;
      }
      throw fail(
        dropped === undefined ? 'invalid_response' : 'network',
        'the event stream ended before the response arrived',
        dropped === undefined ? {} : { cause: dropped },
      );
    }
  };

  /** POSTs one JSON-RPC message; resolves with the result of a request, undefined for a notification. */
  const post = async (
    method: string,
    params: Record<string, unknown> | undefined,
    id: number | undefined,
    exchange: Exchange,
  ): Promise<Record<string, unknown> | undefined> => {
    const body: JsonRpcMessage = { jsonrpc: '2.0', method };
    if (id !== undefined) body.id = id;
    let finalParams = params;
    if (state.era === 'modern' || method === 'server/discover') {
      finalParams = {
        ...params,
        _meta: {
          ...(isRecord(params?._meta) ? params._meta : {}),
          [`${META_PREFIX}protocolVersion`]: exchange.version,
          [`${META_PREFIX}clientInfo`]: options.clientInfo,
          [`${META_PREFIX}clientCapabilities`]: options.capabilities ?? {},
        },
      };
    }
    if (exchange.progressToken !== undefined) {
      finalParams = {
        ...finalParams,
        _meta: {
          ...(isRecord(finalParams?._meta) ? finalParams._meta : {}),
          progressToken: exchange.progressToken,
        },
      };
    }
    if (finalParams !== undefined) body.params = finalParams;
    const headers = await buildHeaders(method, exchange, ACCEPT_BOTH);
    const sentSession = state.sessionId;
    const response = await send(
      { method: 'POST', headers, body: JSON.stringify(body) },
      exchange.signal,
    );
    if (response.status === 404 && sentSession !== undefined) {
      void response.body?.cancel().catch(() => undefined);
      throw new SessionLost(sentSession);
    }
    if (!response.ok) throw await httpError(response);
    if (method === 'initialize')
      state.sessionId = response.headers.get('mcp-session-id') ?? undefined;
    if (id === undefined) {
      void response.body?.cancel().catch(() => undefined);
      return undefined;
    }
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream')) return readStream(response, id, exchange);
    if (!type.includes('application/json')) {
      void response.body?.cancel().catch(() => undefined);
      throw fail('invalid_response', `unexpected content type "${type}"`, {
        status: response.status,
      });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      if (exchange.signal.aborted) throw abortError(exchange.signal);
      throw fail('network', 'reading the response failed', { cause });
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (cause) {
      throw fail('invalid_response', 'malformed JSON response', { cause, status: response.status });
    }
    if (!isJsonRpcMessage(message) || message.id !== id) {
      throw fail('invalid_response', 'the response is not the JSON-RPC response to this request');
    }
    return settle(message);
  };

  const initializeLegacy = async (version: string, signal: AbortSignal) => {
    legacyVersion = version;
    state.era = 'legacy';
    state.sessionId = undefined;
    state.protocolVersion = undefined;
    const result = await post(
      'initialize',
      {
        protocolVersion: version,
        capabilities: options.capabilities ?? {},
        clientInfo: options.clientInfo,
      },
      nextId++,
      { signal },
    );
    const negotiated = result?.protocolVersion;
    if (typeof negotiated !== 'string' || !LEGACY_PROTOCOL_VERSIONS.includes(negotiated)) {
      throw fail(
        'protocol',
        `the server chose an unsupported protocol version (${String(negotiated)})`,
      );
    }
    state.protocolVersion = negotiated;
    if (isRecord(result?.capabilities)) state.capabilities = result.capabilities;
    if (isRecord(result?.serverInfo)) state.serverInfo = result.serverInfo;
    await post('notifications/initialized', undefined, undefined, { signal, version: negotiated });
    if (state.sessionId !== undefined) listen(state.sessionId);
  };

  const useVersions = async (supported: unknown[], signal: AbortSignal) => {
    const modern = MODERN_PROTOCOL_VERSIONS.find((version) => supported.includes(version));
    if (modern !== undefined) {
      state.era = 'modern';
      state.protocolVersion = modern;
      return;
    }
    const legacy = LEGACY_PROTOCOL_VERSIONS.find((version) => supported.includes(version));
    if (legacy === undefined) {
      throw fail(
        'protocol',
        `no protocol version in common (server supports ${supported.join(', ')})`,
      );
    }
    await initializeLegacy(legacy, signal);
  };

  const establish = async (signal: AbortSignal) => {
    const pinned = options.protocolVersion;
    if (pinned !== undefined && MODERN_PROTOCOL_VERSIONS.includes(pinned)) {
      state.era = 'modern';
      state.protocolVersion = pinned;
      return;
    }
    if (pinned !== undefined) return initializeLegacy(pinned, signal);
    // After a lost session the era is known: re-initialize without probing again.
    if (state.era === 'legacy' && legacyVersion !== undefined)
      return initializeLegacy(legacyVersion, signal);
    const probeVersion = MODERN_PROTOCOL_VERSIONS[0]!;
    let result: Record<string, unknown> | undefined;
    try {
      result = await post('server/discover', {}, nextId++, { signal, version: probeVersion });
    } catch (error) {
      if (!(error instanceof McpClientError) || signal.aborted) throw error;
      const supported = isRecord(error.data) ? error.data.supported : undefined;
      if (
        error.rpcCode === MODERN_ERROR_CODES.unsupportedProtocolVersion &&
        Array.isArray(supported)
      ) {
        return useVersions(supported, signal);
      }
      const modernError =
        error.rpcCode === MODERN_ERROR_CODES.headerMismatch ||
        error.rpcCode === MODERN_ERROR_CODES.missingRequiredClientCapability;
      // `network` too: a legacy cross-origin server may refuse the modern headers in CORS preflight.
      const legacySignal =
        error.code === 'protocol' ||
        error.code === 'network' ||
        (error.code === 'http' &&
          (error.status === 400 || error.status === 404 || error.status === 405));
      if (modernError || !legacySignal) throw error;
      return initializeLegacy(LEGACY_PROTOCOL_VERSIONS[0]!, signal);
    }
    // A legacy server may answer any unknown method with an empty result: only a real
    // DiscoverResult proves the server is modern.
    if (Array.isArray(result?.supportedVersions)) {
      if (isRecord(result.capabilities)) state.capabilities = result.capabilities;
      const info = isRecord(result._meta) ? result._meta[`${META_PREFIX}serverInfo`] : undefined;
      if (isRecord(info)) state.serverInfo = info;
      else if (isRecord(result.serverInfo)) state.serverInfo = result.serverInfo;
      return useVersions(result.supportedVersions, signal);
    }
    return initializeLegacy(LEGACY_PROTOCOL_VERSIONS[0]!, signal);
  };

  const ensureReady = (signal: AbortSignal): Promise<void> => {
    if (!ready) {
      const scope = createScope(options.timeoutMs, undefined, closing.signal);
      const attempt: Promise<void> = establish(scope.signal).finally(scope.dispose);
      ready = attempt;
      attempt.catch(() => {
        if (ready === attempt) ready = undefined;
      });
    }
    return raceAbort(ready, signal);
  };

  const sendCancelled = (id: number, reason: string) => {
    const scope = createScope(CLEANUP_TIMEOUT_MS, undefined, closing.signal);
    void post('notifications/cancelled', { requestId: id, reason }, undefined, {
      signal: scope.signal,
      version: state.protocolVersion,
    })
      .catch(() => undefined)
      .finally(scope.dispose);
  };

  return {
    state,
    async connect(connectOptions) {
      if (closing.signal.aborted) throw fail('not_connected', 'the client is closed');
      const scope = createScope(connectOptions.timeoutMs, connectOptions.signal, closing.signal);
      try {
        await ensureReady(scope.signal);
      } finally {
        scope.dispose();
      }
    },
    async request(method, params, requestOptions) {
      if (closing.signal.aborted) throw fail('not_connected', 'the client is closed');
      const scope = createScope(requestOptions.timeoutMs, requestOptions.signal, closing.signal);
      const exchange: Exchange = { signal: scope.signal };
      if (requestOptions.headers) exchange.headers = requestOptions.headers;
      if (requestOptions.name !== undefined) exchange.name = requestOptions.name;
      if (requestOptions.extraHeaders) exchange.extraHeaders = requestOptions.extraHeaders;
      if (requestOptions.onProgress) {
        exchange.onProgress = requestOptions.onProgress;
        exchange.progressToken = `p${++progressCounter}`;
      }
      if (requestOptions.answer) {
        exchange.answer = requestOptions.answer;
        exchange.extend = () => scope.extend(ANSWER_TIMEOUT_MS);
      }
      let id: number | undefined;
      let retried = false;
      let sent = params;
      let rounds = 0;
      try {
        for (;;) {
          await ensureReady(scope.signal);
          exchange.version = state.protocolVersion;
          id = nextId++;
          try {
            const result = (await post(method, sent, id, exchange)) ?? {};
            if (result.resultType !== 'input_required') return result;
            // 2026-07-28 multi round-trip: answer the questions, then ask again with the answers.
            if (++rounds > MAX_INPUT_ROUNDS)
              throw fail(
                'protocol',
                `the server asked for input more than ${MAX_INPUT_ROUNDS} times`,
              );
            const inputResponses: Record<string, unknown> = {};
            const asked = isRecord(result.inputRequests) ? result.inputRequests : {};
            for (const [key, question] of Object.entries(asked)) {
              const { method: asks, params: askParams } = isRecord(question) ? question : {};
              inputResponses[key] = await answerOf(String(asks), askParams, exchange);
            }
            sent = { ...params, inputResponses };
            if (typeof result.requestState === 'string') sent.requestState = result.requestState;
            continue;
          } catch (error) {
            if (retried) throw error;
            if (error instanceof SessionLost) {
              // 404 on a request carrying a session: the session is gone, so the request never
              // reached a handler and is safe to send again after a fresh initialize.
              retried = true;
              id = undefined;
              if (state.sessionId === error.sessionId) {
                state.sessionId = undefined;
                ready = undefined;
              }
              continue;
            }
            if (
              error instanceof McpClientError &&
              error.rpcCode === MODERN_ERROR_CODES.unsupportedProtocolVersion &&
              state.era === 'modern' &&
              options.protocolVersion === undefined
            ) {
              retried = true;
              id = undefined;
              ready = undefined;
              state.era = undefined;
              continue;
            }
            throw error;
          }
        }
      } catch (error) {
        if (error instanceof SessionLost) {
          throw fail('http', 'the session was lost again after re-initializing', { status: 404 });
        }
        if (scope.signal.aborted) {
          const reason = abortError(scope.signal);
          // 2026-07-28 treats the closed stream as the cancellation; earlier revisions want a notice.
          if (id !== undefined && state.era === 'legacy' && reason.code !== 'not_connected') {
            sendCancelled(id, reason.message);
          }
          throw reason.server === undefined
            ? new McpClientError(reason.code, `${server}: ${reason.message}`, {
                server,
                url,
                cause: reason.cause,
              })
            : reason;
        }
        throw error;
      } finally {
        scope.dispose();
      }
    },
    async close() {
      if (closing.signal.aborted) return;
      closing.abort();
      const sessionId = state.sessionId;
      if (state.era !== 'legacy' || sessionId === undefined) return;
      const scope = createScope(CLEANUP_TIMEOUT_MS, undefined, new AbortController().signal);
      try {
        const headers = await options.headers();
        headers.set('Mcp-Session-Id', sessionId);
        if (state.protocolVersion) headers.set('MCP-Protocol-Version', state.protocolVersion);
        const response = await send({ method: 'DELETE', headers }, scope.signal);
        void response.body?.cancel().catch(() => undefined);
      } catch {
        // Ending a session is a courtesy; the server expires it anyway.
      } finally {
        scope.dispose();
        state.sessionId = undefined;
      }
    },
  };
}
