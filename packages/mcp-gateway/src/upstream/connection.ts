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
import { followUntilAborted } from '@tekup/mcp-contract';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { peekTextBody } from '../http/body-cache.js';
import { parseSse, type SseEvent } from '../http/sse.js';
import { abortFailure, fetchFailure, readErrorBody, UpstreamFailure } from './failure.js';
import { relayedServerMethods } from './interaction.js';
import {
  classifyMessage,
  type HeldStream,
  type UpstreamAnswer,
  type UpstreamNotification,
  type UpstreamReply,
  type UpstreamResumePoint,
  type UpstreamServerRequest,
} from './messages.js';
import { listenToSession } from './session-stream.js';

/** The upstream protocol revision the gateway speaks. */
const UPSTREAM_PROTOCOL_VERSION = '2025-11-25';

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
  /** Called for `notifications/resources/updated` (on the session's standalone stream). */
  onAnnouncement?: (notification: UpstreamNotification) => void;
  /**
   * The client capabilities declared in this session's `initialize` (elicitation, sampling):
   * the upstream asks only what they allow. @default {}
   */
  capabilities?: Record<string, unknown>;
}

/**
 * How a call hands on the upstream's elicitation and sampling requests: `relay` passes each to
 * `onServerRequest` and keeps reading (the client answers on the same session); `pause` stops
 * reading at the first one and returns `{ paused }` — the upstream holds the call and its
 * stream resumes after the last event read ({@link UpstreamConnection.resume}).
 */
export interface UpstreamInteraction {
  mode: 'relay' | 'pause';
  onServerRequest?: (request: UpstreamServerRequest, sessionId: string) => void;
}

/** Per-request options. */
export interface UpstreamRequestOptions {
  signal: AbortSignal;
  /** Headers for this request only (e.g. the on-behalf-of identity), on top of the connection's. */
  headers?: Readonly<Record<string, string>>;
  onNotification?: (notification: UpstreamNotification) => void;
  /** Unset: the upstream's elicitation and sampling requests are refused on the client's behalf. */
  interaction?: UpstreamInteraction;
  /** Sends on this upstream session instead of the connection's current one (a task's). */
  session?: string;
}

/** A JSON-RPC response the gateway sends an upstream for a client (to one of its requests). */
export type UpstreamResponse =
  | { id: string | number; result: Record<string, unknown> }
  | { id: string | number; error: { code: number; message: string; data?: unknown } };

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
        AbortSignal.timeout(this.options.initializeTimeoutMs ?? CONFIG_DEFAULTS.timeouts.requestMs),
        headers,
      ).finally(() => {
        if (this.initializing === attempt) this.initializing = undefined;
      });
      // A handshake nobody waits for any more must not surface as an unhandled rejection.
      attempt.catch(() => undefined);
      this.initializing = attempt;
    }
    return followUntilAborted(this.initializing, signal, () => abortFailure(signal));
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
        capabilities: this.options.capabilities ?? {},
        clientInfo: { name: 'tekup-mcp-gateway', version: this.options.clientVersion },
      }),
      headers === undefined ? { signal } : { signal, headers },
      true,
    );
    if (!('result' in reply)) {
      throw new UpstreamFailure(
        'protocol',
        `initialize failed: ${'error' in reply ? reply.error.message : 'the upstream asked a question'}`,
        { reached: true },
      );
    }
    const version = reply.result.protocolVersion;
    if (typeof version === 'string') this.protocolVersion = version;
    await this.notify('notifications/initialized', undefined, signal);
    this.initializeResult = reply.result;
    // The session's own stream carries list changes and resource updates: listen when offered.
    const offered = (reply.result.capabilities ?? {}) as Record<
      string,
      { listChanged?: boolean; subscribe?: boolean } | undefined
    >;
    if (
      offered.tools?.listChanged === true ||
      offered.prompts?.listChanged === true ||
      offered.resources?.listChanged === true ||
      offered.resources?.subscribe === true
    ) {
      this.listen();
    }
    return reply.result;
  }

  /** Keeps the session's standalone GET stream open while the session lives. */
  private listen(): void {
    if (this.listening !== undefined || this.closed) return;
    const controller = new AbortController();
    this.listening = controller;
    const sessionId = this.sessionId;
    listenToSession({
      fetch: this.options.fetch,
      url: this.url,
      headers: () => ({
        ...this.options.headers,
        accept: 'text/event-stream',
        'mcp-protocol-version': this.protocolVersion,
        ...(sessionId === undefined ? {} : { 'mcp-session-id': sessionId }),
      }),
      signal: controller.signal,
      current: () => this.sessionId === sessionId,
      onServerRequest: (id, method) => this.refuseServerRequest(id, method),
      onListChanged: (method) => this.options.onListChanged?.(method),
      onUpdated: (params) =>
        this.options.onAnnouncement?.({ method: 'notifications/resources/updated', params }),
    }).finally(() => {
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
  ): Promise<UpstreamAnswer> {
    // On a given session (a task's): no re-initialize — a lost session is the task's end.
    if (options.session !== undefined) return this.send(method, params, options, false);
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

  private headers(session = this.sessionId): Record<string, string> {
    const headers: Record<string, string> = {
      ...this.options.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': this.protocolVersion,
    };
    if (session !== undefined) headers['mcp-session-id'] = session;
    return headers;
  }

  /** The upstream session requests go on now (undefined before `initialize`). */
  get session(): string | undefined {
    return this.sessionId;
  }

  private async post(
    body: string,
    signal: AbortSignal,
    extraHeaders?: Readonly<Record<string, string>>,
    session?: string,
  ): Promise<Response> {
    if (this.closed) {
      throw new UpstreamFailure('connect', 'connection closed', { reached: false });
    }
    const headers = this.headers(session ?? this.sessionId);
    try {
      return await this.options.fetch(this.url, {
        method: 'POST',
        headers: extraHeaders ? { ...extraHeaders, ...headers } : headers,
        body,
        signal,
      });
    } catch (error) {
      throw fetchFailure(error, signal);
    }
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
  ): Promise<UpstreamAnswer> {
    const id = this.nextId++;
    const message = `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)}${params === undefined ? '' : `,"params":${params}`}}`;
    // A call that may pause reads on its own signal: a stream held for the client's answer
    // must outlive the request that paused it (the caller's signal is followed until then).
    const own = options.interaction?.mode === 'pause' ? new AbortController() : undefined;
    const follow = () => own?.abort(options.signal.reason);
    if (own !== undefined) {
      if (options.signal.aborted) follow();
      else options.signal.addEventListener('abort', follow, { once: true });
    }
    const release = () => options.signal.removeEventListener('abort', follow);
    let response: Response;
    try {
      response = await this.post(
        message,
        own?.signal ?? options.signal,
        options.headers,
        options.session,
      );
    } catch (error) {
      release();
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
        const events = parseSse(response.body)[Symbol.asyncIterator]();
        const session = options.session ?? this.sessionId;
        const answer = await this.readStream(events, id, session, options, undefined, own);
        if (!('paused' in answer && answer.paused.held !== undefined)) own?.abort();
        return answer;
      }
      const text = peekTextBody(response) ?? (await response.text());
      return this.pickReply(JSON.parse(text), id, options);
    } catch (error) {
      own?.abort();
      if (options.signal.aborted && !isInitialize) this.cancelUpstream(id);
      if (error instanceof UpstreamFailure) throw error;
      if (options.signal.aborted) throw fetchFailure(error, options.signal);
      throw new UpstreamFailure('protocol', 'upstream sent an unreadable response', {
        reached: true,
        cause: error,
      });
    } finally {
      release();
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

  /**
   * Reads a call's SSE stream to its reply. An upstream may end the stream early and let the
   * client resume it (2025-11-25, with event ids): the stream is then resumed with
   * `Last-Event-ID`, as it is after a pause.
   */
  private async readStream(
    source: AsyncIterator<SseEvent>,
    id: number,
    sessionId: string | undefined,
    options: UpstreamRequestOptions,
    lastEventId: string | undefined,
    own?: AbortController,
  ): Promise<UpstreamAnswer> {
    let last = lastEventId;
    let events = source;
    for (let resumes = 0; ; resumes++) {
      for (;;) {
        const next = await events.next();
        if (next.done) break;
        const event = next.value;
        if (event.id !== undefined && event.id !== '') last = event.id;
        if (event.data === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(event.data);
        } catch {
          continue;
        }
        const message = classifyMessage(value, id);
        if (message.kind === 'reply') return message.reply;
        if (message.kind === 'request') {
          const { request } = message;
          const interaction = options.interaction;
          if (interaction === undefined || !relayedServerMethods.has(request.method)) {
            this.refuseServerRequest(request.id, request.method, sessionId);
          } else if (
            interaction.mode === 'relay' &&
            sessionId !== undefined &&
            interaction.onServerRequest !== undefined
          ) {
            interaction.onServerRequest(request, sessionId);
          } else if (interaction.mode === 'pause' && sessionId !== undefined) {
            const at = { sessionId, requestId: id, lastEventId: last ?? '' };
            // The upstream keeps the call (and stores what it sends next) until it is resumed.
            if (last !== undefined) {
              void events.return?.();
              return { paused: { requests: [request], at } };
            }
            // It cannot resume a stream: this one is held open, here, until the answer comes.
            const held: HeldStream = {
              events,
              cancel: () => {
                own?.abort();
                void events.return?.();
              },
            };
            return { paused: { requests: [request], at, held } };
          } else {
            this.refuseServerRequest(request.id, request.method, sessionId);
          }
        } else if (message.kind === 'notification') this.notified(message.notification, options);
      }
      if (last === undefined || sessionId === undefined || resumes >= 3 || options.signal.aborted) {
        throw new UpstreamFailure('protocol', 'upstream stream ended before the reply', {
          reached: true,
        });
      }
      events = parseSse(await this.openResumed(sessionId, last, options))[Symbol.asyncIterator]();
    }
  }

  /** Opens the stream of a session's call again after `lastEventId` (`GET` + `Last-Event-ID`). */
  private async openResumed(
    sessionId: string,
    lastEventId: string,
    options: UpstreamRequestOptions,
  ): Promise<ReadableStream<Uint8Array>> {
    let response: Response;
    try {
      response = await this.options.fetch(this.url, {
        method: 'GET',
        headers: {
          ...options.headers,
          ...this.options.headers,
          accept: 'text/event-stream',
          'mcp-protocol-version': this.protocolVersion,
          'mcp-session-id': sessionId,
          'last-event-id': lastEventId,
        },
        signal: options.signal,
      });
    } catch (error) {
      throw fetchFailure(error, options.signal);
    }
    if (!response.ok || response.body === null) {
      throw new UpstreamFailure('http', `upstream answered HTTP ${response.status} to a resume`, {
        reached: true,
        status: response.status,
        ...(await readErrorBody(response)),
      });
    }
    return response.body;
  }

  /**
   * Sends the client's answers to a paused call's requests on the session it runs on (which
   * need not be this connection's current one: another gateway instance may have paused it),
   * then resumes its stream after the last event read.
   *
   * @throws UpstreamFailure `http` 404 when the upstream no longer knows the session.
   */
  async resume(
    at: UpstreamResumePoint,
    answers: readonly UpstreamResponse[],
    options: UpstreamRequestOptions,
    held?: HeldStream,
  ): Promise<UpstreamAnswer> {
    const stop = () => held?.cancel();
    options.signal.addEventListener('abort', stop, { once: true });
    try {
      for (const answer of answers) {
        await this.answer(at.sessionId, answer, options.signal, options.headers);
      }
      const events =
        held?.events ??
        parseSse(await this.openResumed(at.sessionId, at.lastEventId, options))[
          Symbol.asyncIterator
        ]();
      const answer = await this.readStream(
        events,
        at.requestId,
        at.sessionId,
        options,
        at.lastEventId === '' ? undefined : at.lastEventId,
      );
      // Paused again on the same held stream: it stays open for the next answer.
      if (!('paused' in answer && answer.paused.held !== undefined)) held?.cancel();
      else answer.paused.held = { events: answer.paused.held.events, cancel: held?.cancel ?? stop };
      return answer;
    } catch (error) {
      held?.cancel();
      throw error;
    } finally {
      options.signal.removeEventListener('abort', stop);
    }
  }

  /** POSTs a client's answer to one of the upstream's requests on `sessionId`. */
  async answer(
    sessionId: string,
    answer: UpstreamResponse,
    signal: AbortSignal,
    extraHeaders?: Readonly<Record<string, string>>,
  ): Promise<void> {
    let response: Response;
    try {
      response = await this.options.fetch(this.url, {
        method: 'POST',
        headers: { ...extraHeaders, ...this.headers(), 'mcp-session-id': sessionId },
        body: JSON.stringify({ jsonrpc: '2.0', ...answer }),
        signal,
      });
    } catch (error) {
      throw fetchFailure(error, signal);
    }
    if (!response.ok) {
      throw new UpstreamFailure('http', `upstream answered HTTP ${response.status}`, {
        reached: true,
        status: response.status,
        ...(await readErrorBody(response)),
      });
    }
    await response.body?.cancel().catch(() => undefined);
  }

  private notified(notification: UpstreamNotification, options: UpstreamRequestOptions): void {
    if (notification.method.endsWith('/list_changed'))
      this.options.onListChanged?.(notification.method);
    else options.onNotification?.(notification);
  }

  private handleMessage(
    value: unknown,
    id: number,
    options: UpstreamRequestOptions,
  ): UpstreamReply | undefined {
    const message = classifyMessage(value, id);
    if (message.kind === 'reply') return message.reply;
    // A JSON answer cannot carry a conversation: its requests are refused.
    if (message.kind === 'request')
      this.refuseServerRequest(message.request.id, message.request.method);
    else if (message.kind === 'notification') this.notified(message.notification, options);
    return undefined;
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

  /**
   * Answers a server-to-client request no client will see: `ping` itself; anything else
   * (roots, or elicitation and sampling outside a call that relays them) as not found.
   */
  private refuseServerRequest(id: unknown, method: string, sessionId = this.sessionId): void {
    const reply =
      method === 'ping'
        ? { jsonrpc: '2.0', id, result: {} }
        : {
            jsonrpc: '2.0',
            id,
            error: { code: -32601, message: `The gateway does not relay ${method} to this client` },
          };
    const headers = {
      ...this.headers(),
      ...(sessionId === undefined ? {} : { 'mcp-session-id': sessionId }),
    };
    this.options
      .fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(reply),
        signal: AbortSignal.timeout(5_000),
      })
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
