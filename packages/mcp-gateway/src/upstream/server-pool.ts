/**
 * The instances of one logical server: load balancing (round-robin or least-outstanding),
 * active health checks, passive ejection through each instance's breaker (`./instance.ts`),
 * failover with backoff inside one deadline, and the tool-annotation cache used for retry
 * decisions.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { GatewayConfig, ServerConfig } from '../config/types.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Clock } from '../pipeline/types.js';
import { backoffDelay, delay } from './backoff.js';
import {
  UpstreamConnection,
  type UpstreamInteraction,
  type UpstreamRequestOptions,
  type UpstreamResponse,
} from './connection.js';
import { createDeadline, timeoutReason } from './deadline.js';
import { UpstreamFailure } from './failure.js';
import {
  countsAgainstInstance,
  failureError,
  leavesOutcomeUnknown,
  mayRetry,
  outcomeUnknownError,
  unavailableError,
} from './failure-errors.js';
import {
  createInstance,
  type Instance,
  instanceStatus,
  isAvailable,
  recordFailure,
  recordSuccess,
} from './instance.js';
import { capabilitiesOf, type InteractionKey } from './interaction.js';
import type {
  HeldStream,
  UpstreamAnswer,
  UpstreamNotification,
  UpstreamResumePoint,
  UpstreamServerRequest,
} from './messages.js';
import type { ServerStatus } from './status.js';
import { createToolCatalog, type ToolCatalog } from './tool-catalog.js';

/** Most paused calls one pool holds open at once (the oldest is dropped past it). */
const maxHeldStreams = 1_000;
/** Names this process's held streams: a continuation naming another's is refused, not confused. */
const heldPrefix = crypto.randomUUID().slice(0, 8);
let heldCounter = 0;

/** Options of a {@link ServerPool}. */
export interface ServerPoolOptions {
  server: ServerConfig;
  gateway: Pick<GatewayConfig, 'retry' | 'ejection' | 'healthCheck'>;
  fetch: typeof fetch;
  clock: Clock;
  random: () => number;
  logger: Logger;
  version: string;
  onInstanceHealth?: (instance: string, healthy: boolean) => void;
  onToolsChanged?: () => void;
  /** What an upstream announces outside any request: list changes, resource updates. */
  onAnnouncement?: (notification: UpstreamNotification) => void;
}

/** Options of one pooled call. */
export interface PoolCallOptions {
  signal: AbortSignal;
  /**
   * The controller behind `signal`, when the caller owns it: the pool then aborts it at the
   * deadline instead of allocating a controller and a listener of its own per call.
   */
  controller?: AbortController;
  timeoutMs: number;
  /**
   * Deadline of one attempt of a retry-safe call: past it the attempt counts as a timeout of
   * that instance and the call moves to another one, inside `timeoutMs`. Unset: one deadline.
   */
  attemptTimeoutMs?: number;
  /** Whether a failure after the request may have reached an upstream can be retried. */
  retrySafe: boolean;
  onNotification?: (notification: UpstreamNotification) => void;
  /** Headers for this call only (e.g. the on-behalf-of identity). */
  headers?: Readonly<Record<string, string>>;
  /**
   * The calling client's interaction capabilities, and how the upstream's questions reach it.
   * The call runs on the instance's session for exactly those capabilities.
   */
  interaction?: PoolInteraction;
}

/** What a call may ask its client, and how the questions travel. */
interface PoolInteraction extends Pick<UpstreamInteraction, 'mode'> {
  key: InteractionKey;
  /**
   * `relay` mode: the call's deadline becomes this long once the upstream asks the client
   * something (people take their time). @default the call's own timeout
   */
  waitMs?: number;
  onServerRequest?: (
    request: UpstreamServerRequest,
    at: { instance: string; sessionId: string },
  ) => void;
}

/** The reply of a pooled call and the instance that gave it. */
export interface PoolReply {
  reply: UpstreamAnswer;
  /** The instance as logs show it (credentials redacted). */
  instance: string;
  /** The instance's URL (continuations name it; never shown). */
  url: string;
  /** The upstream session the call went on (a task created by it lives there). */
  session?: string;
  attempts: number;
}

/** The instances of one server and everything that decides which one answers. */
export class ServerPool {
  readonly name: string;
  private readonly options: ServerPoolOptions;
  private readonly instances: Instance[];
  private cursor = 0;
  private readonly tools: ToolCatalog;
  /** Streams of paused calls whose upstream cannot resume them, by key, until answered or expired. */
  private readonly held = new Map<
    string,
    { stream: HeldStream; timer: ReturnType<typeof setTimeout> }
  >();

  constructor(options: ServerPoolOptions) {
    this.options = options;
    this.name = options.server.name;
    this.instances = options.server.instances.map((url) =>
      createInstance(url, this.connect(url, '')),
    );
    this.tools = createToolCatalog(async (cursor, signal, headers) => {
      const { reply } = await this.call(
        'tools/list',
        cursor === undefined ? undefined : { cursor },
        {
          signal,
          timeoutMs: options.server.requestTimeoutMs,
          retrySafe: true,
          ...(headers === undefined ? {} : { headers }),
        },
      );
      return reply;
    });
  }

  private connect(url: string, key: InteractionKey): UpstreamConnection {
    const { options } = this;
    return new UpstreamConnection({
      url,
      headers: options.server.headers,
      fetch: options.fetch,
      clientVersion: options.version,
      initializeTimeoutMs: options.server.requestTimeoutMs,
      capabilities: capabilitiesOf(key),
      onListChanged: (method) => {
        if (method === 'notifications/tools/list_changed') {
          this.tools.forget();
          options.onToolsChanged?.();
        }
        options.onAnnouncement?.({ method });
      },
      onAnnouncement: (notification) => options.onAnnouncement?.(notification),
    });
  }

  /** The instance's session for clients with interaction capabilities `key`. */
  private connectionFor(instance: Instance, key: InteractionKey | undefined): UpstreamConnection {
    if (key === undefined || key === '') return instance.connection;
    let connection = instance.interactive.get(key);
    if (connection === undefined) {
      connection = this.connect(instance.url, key);
      instance.interactive.set(key, connection);
    }
    return connection;
  }

  private instanceAt(url: string): Instance {
    const instance = this.instances.find((candidate) => candidate.url === url);
    if (instance === undefined) {
      throw new GatewayError('continuation_expired', 'The call this answers is no longer running', {
        data: { reason: 'instance_gone' },
      });
    }
    return instance;
  }

  /**
   * Sends a client's answer to an upstream's question, on the session that asked it — on
   * whichever gateway instance the call runs: the session id travels in the signed answer id.
   */
  async answer(
    at: { instance: string; key: InteractionKey; sessionId: string },
    answer: UpstreamResponse,
    signal: AbortSignal,
    headers?: Readonly<Record<string, string>>,
  ): Promise<void> {
    const instance = this.instanceAt(at.instance);
    try {
      await this.connectionFor(instance, at.key).answer(at.sessionId, answer, signal, headers);
    } catch (error) {
      throw this.continuationError(error);
    }
  }

  /**
   * Keeps a paused call's open stream (an upstream that cannot resume streams) for `ttlMs`;
   * returns the key a continuation names it by. Only this gateway instance can continue it.
   */
  hold(stream: HeldStream, ttlMs: number): string {
    const key = `${heldPrefix}.${(++heldCounter).toString(36)}`;
    const timer = setTimeout(() => this.drop(key), ttlMs);
    (timer as { unref?: () => void }).unref?.();
    this.held.set(key, { stream, timer });
    if (this.held.size > maxHeldStreams) {
      const oldest = this.held.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
    return key;
  }

  private drop(key: string): void {
    const entry = this.held.get(key);
    if (entry === undefined) return;
    this.held.delete(key);
    clearTimeout(entry.timer);
    entry.stream.cancel();
  }

  private take(key: string): HeldStream {
    const entry = this.held.get(key);
    if (entry === undefined) {
      throw new GatewayError('continuation_expired', 'The call this answers is no longer waiting', {
        data: { reason: 'held_elsewhere' },
      });
    }
    this.held.delete(key);
    clearTimeout(entry.timer);
    return entry.stream;
  }

  /**
   * Resumes a call paused for client input (2026-07-28): the answers go to the session that
   * holds it, then its stream is read on from where the pause left it (or, for an upstream that
   * cannot resume streams, the stream this instance held).
   */
  async resume(
    at: UpstreamResumePoint & { instance: string; key: InteractionKey; held?: string },
    answers: readonly UpstreamResponse[],
    options: PoolCallOptions,
  ): Promise<PoolReply> {
    const instance = this.instanceAt(at.instance);
    const held = at.held === undefined ? undefined : this.take(at.held);
    const controller = new AbortController();
    const forward = () => controller.abort(options.signal.reason);
    if (options.signal.aborted) forward();
    else options.signal.addEventListener('abort', forward, { once: true });
    const timer = setTimeout(() => controller.abort(timeoutReason()), options.timeoutMs);
    const requestOptions: UpstreamRequestOptions = {
      signal: controller.signal,
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      ...(options.onNotification === undefined ? {} : { onNotification: options.onNotification }),
      ...(options.interaction === undefined ? {} : { interaction: { mode: 'pause' } }),
    };
    instance.outstanding++;
    try {
      const reply = await this.connectionFor(instance, at.key).resume(
        at,
        answers,
        requestOptions,
        held,
      );
      return { reply, instance: instance.label, url: instance.url, attempts: 1 };
    } catch (error) {
      throw this.continuationError(error, controller.signal.aborted && !options.signal.aborted);
    } finally {
      instance.outstanding--;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', forward);
    }
  }

  /**
   * Sends one request on a given upstream session of a given instance (a task's: `tasks/get`,
   * `tasks/result`, `tasks/cancel`), once.
   *
   * @throws GatewayError `continuation_expired` when the instance or the session is gone.
   */
  async callAt(
    at: { instance: string; key: InteractionKey; sessionId: string },
    method: string,
    params: Record<string, unknown>,
    options: PoolCallOptions,
  ): Promise<PoolReply> {
    const instance = this.instanceAt(at.instance);
    const controller = new AbortController();
    const forward = () => controller.abort(options.signal.reason);
    if (options.signal.aborted) forward();
    else options.signal.addEventListener('abort', forward, { once: true });
    const timer = setTimeout(() => controller.abort(timeoutReason()), options.timeoutMs);
    instance.outstanding++;
    try {
      const reply = await this.connectionFor(instance, at.key).request(
        method,
        JSON.stringify(params),
        {
          signal: controller.signal,
          session: at.sessionId,
          ...(options.headers === undefined ? {} : { headers: options.headers }),
        },
      );
      return { reply, instance: instance.label, url: instance.url, attempts: 1 };
    } catch (error) {
      if (error instanceof UpstreamFailure && error.status === 404) {
        throw new GatewayError('continuation_expired', 'The task is no longer known upstream', {
          data: { reason: 'task_gone' },
        });
      }
      throw this.toGatewayError(
        error instanceof UpstreamFailure
          ? error
          : new UpstreamFailure('protocol', 'upstream request failed', {
              reached: true,
              cause: error,
            }),
      );
    } finally {
      instance.outstanding--;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', forward);
    }
  }

  /** A failure to reach a waiting call: gone (404/409) is final; anything else may be in doubt. */
  private continuationError(error: unknown, timedOut = false): GatewayError {
    if (error instanceof GatewayError) return error;
    if (error instanceof UpstreamFailure && (error.status === 404 || error.status === 400)) {
      return new GatewayError(
        'continuation_expired',
        'The call this answers is no longer running',
        {
          data: { reason: 'session_gone' },
        },
      );
    }
    const failure =
      error instanceof UpstreamFailure
        ? timedOut
          ? new UpstreamFailure('timeout', error.message, { reached: true })
          : error
        : new UpstreamFailure('protocol', 'upstream request failed', {
            reached: true,
            cause: error,
          });
    return outcomeUnknownError(this.name, failure);
  }

  private pick(exclude: ReadonlySet<Instance>): Instance | undefined {
    const now = this.options.clock.now();
    const candidates = this.instances.filter(
      (instance) => !exclude.has(instance) && isAvailable(instance, now),
    );
    if (candidates.length === 0) return undefined;
    const start = this.cursor++ % candidates.length;
    let chosen = candidates[start] as Instance;
    if (this.options.server.loadBalancing === 'least-outstanding') {
      for (let offset = 1; offset < candidates.length; offset++) {
        const candidate = candidates[(start + offset) % candidates.length] as Instance;
        if (candidate.outstanding < chosen.outstanding) chosen = candidate;
      }
    }
    if (chosen.state === 'ejected') chosen.state = 'probing';
    return chosen;
  }

  private succeeded(instance: Instance, latencyMs: number): void {
    const change = recordSuccess(instance, latencyMs);
    if (change === undefined) return;
    if (change === 'readmitted') {
      this.options.logger.info(
        { server: this.name, instance: instance.label },
        'instance re-admitted',
      );
    }
    this.options.onInstanceHealth?.(instance.label, true);
  }

  private failed(instance: Instance, failure: UpstreamFailure): void {
    const { ejection } = this.options.gateway;
    const change = recordFailure(instance, failure, ejection, () => this.options.clock.now());
    if (change === undefined) return;
    if (change === 'ejected') {
      this.options.logger.warn(
        { server: this.name, instance: instance.label, error: failure.message },
        'instance ejected',
      );
    }
    this.options.onInstanceHealth?.(instance.label, false);
  }

  private unavailable(lastFailure: UpstreamFailure | undefined): GatewayError {
    const now = this.options.clock.now();
    const ejected = this.instances.filter((instance) => instance.state === 'ejected');
    const soonest = Math.min(...ejected.map((instance) => instance.ejectedUntil));
    const retryAfter =
      ejected.length === this.instances.length ? Math.max(1, Math.ceil((soonest - now) / 1000)) : 1;
    return unavailableError(this.name, retryAfter, lastFailure);
  }

  private toGatewayError(failure: UpstreamFailure): GatewayError {
    return failureError(this.name, failure, (cause) => this.unavailable(cause));
  }

  /**
   * Sends one request to a healthy instance. Retries on another instance (backoff with
   * jitter, inside `timeoutMs`) when the request is retry-safe or certainly never reached
   * an upstream.
   *
   * @throws GatewayError `upstream_unavailable`, `upstream_timeout`, `upstream_error` or
   * `outcome_unknown`.
   */
  async call(
    method: string,
    params: Record<string, unknown> | undefined,
    options: PoolCallOptions,
  ): Promise<PoolReply> {
    // Serialized once, before any instance is picked: a caller's unserializable input is the
    // caller's error (400), never an instance failure.
    let body: string | undefined;
    try {
      body = params === undefined ? undefined : JSON.stringify(params);
    } catch (error) {
      throw new GatewayError('invalid_request', 'The request params cannot be serialized', {
        data: { reason: 'unserializable' },
        cause: error,
      });
    }
    // One controller aborted by either the caller or the deadline (cheaper than AbortSignal.any).
    const owned = options.controller !== undefined && options.controller.signal === options.signal;
    const controller = owned ? (options.controller as AbortController) : new AbortController();
    const signal = controller.signal;
    let timedOut = false;
    const expire = () => {
      timedOut = true;
      controller.abort(timeoutReason());
    };
    let timer = setTimeout(expire, options.timeoutMs);
    const { interaction } = options;
    let upstreamInteraction: UpstreamInteraction | undefined;
    if (interaction !== undefined) {
      upstreamInteraction = { mode: interaction.mode };
      const relayTo = interaction.onServerRequest;
      if (relayTo !== undefined) {
        upstreamInteraction.onServerRequest = (request, sessionId) => {
          // A person answers now: the deadline is theirs (the client going away still ends it).
          clearTimeout(timer);
          timer = setTimeout(expire, Math.max(options.timeoutMs, interaction.waitMs ?? 0));
          relayTo(request, { instance: current?.url ?? '', sessionId });
        };
      }
    }
    let current: Instance | undefined;
    const forward = () => controller.abort(options.signal.reason);
    if (!owned) {
      if (options.signal.aborted) forward();
      else options.signal.addEventListener('abort', forward, { once: true });
    }
    const tried = new Set<Instance>();
    const { maxAttempts } = this.options.gateway.retry;
    let lastFailure: UpstreamFailure | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        let instance = this.pick(tried);
        if (instance === undefined && tried.size > 0) instance = this.pick(new Set());
        if (instance === undefined) throw this.unavailable(lastFailure);
        tried.add(instance);
        current = instance;
        instance.outstanding++;
        instance.requests++;
        const started = performance.now();
        // A hung instance holds a retry-safe caller for one attempt only, then another answers.
        const attemptDeadline =
          options.retrySafe && options.attemptTimeoutMs !== undefined && this.instances.length > 1
            ? createDeadline(signal, options.attemptTimeoutMs)
            : undefined;
        try {
          const connection = this.connectionFor(instance, interaction?.key);
          const reply = await connection.request(method, body, {
            signal: attemptDeadline?.signal ?? signal,
            ...(options.headers === undefined ? {} : { headers: options.headers }),
            ...(options.onNotification === undefined
              ? {}
              : { onNotification: options.onNotification }),
            ...(upstreamInteraction === undefined ? {} : { interaction: upstreamInteraction }),
          });
          this.succeeded(instance, performance.now() - started);
          return {
            reply,
            instance: instance.label,
            url: instance.url,
            attempts: attempt,
            ...(connection.session === undefined ? {} : { session: connection.session }),
          };
        } catch (error) {
          const caught =
            error instanceof UpstreamFailure
              ? error
              : new UpstreamFailure('protocol', 'upstream request failed', {
                  reached: true,
                  cause: error,
                });
          const attemptTimedOut = attemptDeadline?.passed === true;
          const failure =
            attemptTimedOut && !signal.aborted
              ? new UpstreamFailure('timeout', 'attempt deadline passed', { reached: true })
              : caught;
          lastFailure = failure;
          if (countsAgainstInstance(failure)) this.failed(instance, failure);
          else if (instance.state === 'probing') instance.state = 'healthy';
          const retryable =
            mayRetry(failure, { attemptTimedOut, retrySafe: options.retrySafe }) &&
            attempt < maxAttempts &&
            !signal.aborted;
          this.options.logger.debug(
            {
              server: this.name,
              instance: instance.label,
              method,
              attempt,
              retryable,
              error: failure.message,
            },
            'upstream attempt failed',
          );
          if (!retryable) {
            const final =
              failure.kind === 'aborted' && timedOut
                ? new UpstreamFailure('timeout', failure.message, { reached: true })
                : failure;
            if (!options.retrySafe && leavesOutcomeUnknown(final)) {
              throw outcomeUnknownError(this.name, final);
            }
            throw this.toGatewayError(final);
          }
          await delay(
            backoffDelay(attempt, this.options.gateway.retry, this.options.random),
            signal,
          );
          if (signal.aborted) {
            const passed = new UpstreamFailure(
              timedOut ? 'timeout' : 'aborted',
              'deadline passed',
              {
                reached: true,
              },
            );
            if (!options.retrySafe && failure.reached) throw outcomeUnknownError(this.name, passed);
            throw this.toGatewayError(passed);
          }
        } finally {
          instance.outstanding--;
          attemptDeadline?.dispose();
        }
      }
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', forward);
    }
  }

  /** The `initialize` result of any instance (initializing one when none is yet). */
  async serverInfo(signal: AbortSignal, timeoutMs: number): Promise<Record<string, unknown>> {
    for (const instance of this.instances) {
      const known = instance.connection.serverInfo;
      if (known !== undefined) return known;
    }
    await this.call('ping', undefined, { signal, timeoutMs, retrySafe: true });
    for (const instance of this.instances) {
      const known = instance.connection.serverInfo;
      if (known !== undefined) return known;
    }
    throw this.unavailable(undefined);
  }

  /** Remembers the tools of a complete (single-page) `tools/list` result. */
  rememberTools(result: Record<string, unknown>): void {
    this.tools.remember(result);
  }

  /**
   * The upstream's definition of `name` (annotations included), loading the tool list once.
   * `headers` go with the listing (the on-behalf identity when the upstream is a gateway).
   */
  tool(
    name: string,
    signal: AbortSignal,
    headers?: Readonly<Record<string, string>>,
  ): Promise<Tool | undefined> {
    return this.tools.get(name, signal, headers);
  }

  /** Forgets cached tool annotations (after `notifications/tools/list_changed`). */
  forgetTools(): void {
    this.tools.forget();
  }

  /** Pings every instance once; re-admits the ones that answer, counts failures for the rest. */
  async checkHealth(): Promise<void> {
    const { timeoutMs } = this.options.gateway.healthCheck;
    await Promise.all(
      this.instances.map(async (instance) => {
        const started = performance.now();
        try {
          const reply = await instance.connection.request('ping', undefined, {
            signal: AbortSignal.timeout(timeoutMs),
          });
          if ('error' in reply)
            throw new UpstreamFailure('protocol', reply.error.message, { reached: true });
          if ('paused' in reply)
            throw new UpstreamFailure('protocol', 'ping paused', { reached: true });
          this.succeeded(instance, performance.now() - started);
        } catch (error) {
          const failure =
            error instanceof UpstreamFailure
              ? error
              : new UpstreamFailure('protocol', 'health check failed', {
                  reached: true,
                  cause: error,
                });
          // An upstream that restarted lost our session; start afresh on the next attempt.
          instance.connection.reset();
          this.failed(
            instance,
            failure.kind === 'aborted'
              ? new UpstreamFailure('timeout', 'health check timed out', { reached: true })
              : failure,
          );
        } finally {
          instance.lastCheckedAt = this.options.clock.now();
        }
      }),
    );
  }

  /** A snapshot for `/servers`. */
  status(): ServerStatus {
    const now = this.options.clock.now();
    const instances = this.instances.map((instance) => instanceStatus(instance, now));
    return {
      name: this.name,
      healthy: instances.some((instance) => instance.available),
      loadBalancing: this.options.server.loadBalancing,
      cacheTtlSeconds: this.options.server.cacheTtlSeconds,
      toolCallTimeoutMs: this.options.server.toolCallTimeoutMs,
      instances,
    };
  }

  /** Closes every upstream session. */
  async close(): Promise<void> {
    for (const key of [...this.held.keys()]) this.drop(key);
    await Promise.all(
      this.instances.flatMap((instance) => [
        instance.connection.close(),
        ...[...instance.interactive.values()].map((connection) => connection.close()),
      ]),
    );
  }
}
