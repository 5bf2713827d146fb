/**
 * The instances of one logical server: load balancing (round-robin or least-outstanding),
 * active health checks, passive ejection with a per-instance circuit breaker, failover with
 * backoff inside one deadline, and the tool-annotation cache used for retry decisions.
 *
 * The breaker is a small state machine rather than cockatiel's: the balancer must *query*
 * each instance's state before choosing (cockatiel only wraps an execution), active health
 * checks must be able to re-admit an instance, and time must come from the injected clock.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { GatewayConfig, ServerConfig } from '../config.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Clock } from '../pipeline/types.js';
import { backoffDelay, delay } from './backoff.js';
import {
  UpstreamConnection,
  UpstreamFailure,
  type UpstreamNotification,
  type UpstreamReply,
} from './connection.js';

/** Breaker state of one instance. `unknown` until the first request or health check. */
export type InstanceState = 'unknown' | 'healthy' | 'ejected' | 'probing';

/**
 * What `/servers` shows about one instance. The traffic counters and the last error count every
 * organization's calls, so only operators see them (they are absent in {@link redactStatus}).
 */
export interface InstanceStatus {
  /** Instance URL without credentials or query string (`instance-N` for non-operators). */
  url: string;
  state: InstanceState;
  /** True when the balancer may send it traffic now. */
  available: boolean;
  /** Moving average of successful request latency (ms), or null before any. */
  latencyMs: number | null;
  outstanding?: number;
  requests?: number;
  failures?: number;
  consecutiveFailures?: number;
  lastError?: string | null;
  lastCheckedAt: string | null;
}

/** What `/servers` shows about one server. */
export interface ServerStatus {
  name: string;
  /** True when at least one instance may take traffic. */
  healthy: boolean;
  loadBalancing: ServerConfig['loadBalancing'];
  cacheTtlSeconds: number;
  toolCallTimeoutMs: number;
  instances: InstanceStatus[];
}

interface Instance {
  readonly url: string;
  readonly label: string;
  readonly connection: UpstreamConnection;
  state: InstanceState;
  consecutiveFailures: number;
  ejectedUntil: number;
  outstanding: number;
  requests: number;
  failures: number;
  latencyMs: number | null;
  lastError: string | null;
  lastCheckedAt: number | null;
}

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
}

/** The reply of a pooled call and the instance that gave it. */
export interface PoolReply {
  reply: UpstreamReply;
  instance: string;
  attempts: number;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return 'invalid-url';
  }
}

function timeoutReason(): DOMException {
  return new DOMException('The upstream deadline passed', 'TimeoutError');
}

/**
 * A status without infrastructure detail, for callers who are not operators: instances are
 * numbered instead of named; error texts (which can carry host names) and the traffic counters
 * (which count every organization's calls) are left out.
 */
export function redactStatus(status: ServerStatus): ServerStatus {
  return {
    ...status,
    instances: status.instances.map((instance, index) => ({
      url: `instance-${index + 1}`,
      state: instance.state,
      available: instance.available,
      latencyMs: instance.latencyMs,
      lastCheckedAt: instance.lastCheckedAt,
    })),
  };
}

/** The instances of one server and everything that decides which one answers. */
export class ServerPool {
  readonly name: string;
  private readonly options: ServerPoolOptions;
  private readonly instances: Instance[];
  private cursor = 0;
  private tools: Map<string, Tool> | undefined;
  private toolsLoading: Promise<Map<string, Tool> | undefined> | undefined;

  constructor(options: ServerPoolOptions) {
    this.options = options;
    this.name = options.server.name;
    this.instances = options.server.instances.map((url) => ({
      url,
      label: redact(url),
      connection: new UpstreamConnection({
        url,
        headers: options.server.headers,
        fetch: options.fetch,
        clientVersion: options.version,
        initializeTimeoutMs: options.server.requestTimeoutMs,
        onListChanged: (method) => {
          if (method === 'notifications/tools/list_changed') {
            this.tools = undefined;
            options.onToolsChanged?.();
          }
        },
      }),
      state: 'unknown',
      consecutiveFailures: 0,
      ejectedUntil: 0,
      outstanding: 0,
      requests: 0,
      failures: 0,
      latencyMs: null,
      lastError: null,
      lastCheckedAt: null,
    }));
  }

  private isAvailable(instance: Instance, now: number): boolean {
    if (instance.state === 'ejected') return now >= instance.ejectedUntil;
    // A half-open instance takes one probe at a time.
    if (instance.state === 'probing') return instance.outstanding === 0;
    return true;
  }

  private pick(exclude: ReadonlySet<Instance>): Instance | undefined {
    const now = this.options.clock.now();
    const candidates = this.instances.filter(
      (instance) => !exclude.has(instance) && this.isAvailable(instance, now),
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
    const wasAvailable = instance.state !== 'ejected' && instance.state !== 'probing';
    instance.consecutiveFailures = 0;
    instance.latencyMs =
      instance.latencyMs === null ? latencyMs : instance.latencyMs * 0.8 + latencyMs * 0.2;
    if (instance.state !== 'healthy') {
      instance.state = 'healthy';
      if (!wasAvailable) {
        this.options.logger.info(
          { server: this.name, instance: instance.label },
          'instance re-admitted',
        );
      }
      this.options.onInstanceHealth?.(instance.label, true);
    }
  }

  private failed(instance: Instance, failure: UpstreamFailure): void {
    instance.failures++;
    instance.consecutiveFailures++;
    instance.lastError = failure.message;
    const { consecutiveFailures, cooldownMs } = this.options.gateway.ejection;
    if (instance.state === 'probing' || instance.consecutiveFailures >= consecutiveFailures) {
      if (instance.state !== 'ejected') {
        this.options.logger.warn(
          { server: this.name, instance: instance.label, error: failure.message },
          'instance ejected',
        );
      }
      instance.state = 'ejected';
      instance.ejectedUntil = this.options.clock.now() + cooldownMs;
      this.options.onInstanceHealth?.(instance.label, false);
    }
  }

  private countsAgainstInstance(failure: UpstreamFailure): boolean {
    if (failure.kind === 'aborted') return false;
    // A 4xx means the upstream is up and refused this request; it says nothing of its health.
    if (failure.kind === 'http' && failure.status !== undefined && failure.status < 500)
      return false;
    return true;
  }

  private unavailable(lastFailure: UpstreamFailure | undefined): GatewayError {
    const now = this.options.clock.now();
    const ejected = this.instances.filter((instance) => instance.state === 'ejected');
    const soonest = Math.min(...ejected.map((instance) => instance.ejectedUntil));
    const retryAfter =
      ejected.length === this.instances.length ? Math.max(1, Math.ceil((soonest - now) / 1000)) : 1;
    return new GatewayError(
      'upstream_unavailable',
      `No healthy instance of "${this.name}" could answer`,
      {
        retryAfter,
        data: { server: this.name },
        cause: lastFailure,
      },
    );
  }

  private toGatewayError(failure: UpstreamFailure): GatewayError {
    if (failure.kind === 'timeout') {
      return new GatewayError('upstream_timeout', `"${this.name}" did not answer in time`, {
        data: { server: this.name },
        cause: failure,
      });
    }
    if (failure.kind === 'aborted') {
      return new GatewayError('invalid_request', 'The client cancelled the request', {
        status: 499,
        cause: failure,
      });
    }
    if (failure.kind === 'connect' || failure.kind === 'network') return this.unavailable(failure);
    if (failure.kind === 'http') {
      // Another gateway upstream refused this request: keep its meaning for the client.
      const upstreamCode = (failure.rpcError?.data as { code?: unknown } | undefined)?.code;
      if (upstreamCode === 'upstream_unavailable' && failure.status === 503) {
        return this.unavailable(failure);
      }
      if (failure.status === 429) {
        const retryAfter =
          failure.retryAfter ??
          Number((failure.rpcError?.data as { retryAfter?: unknown } | undefined)?.retryAfter ?? 1);
        return new GatewayError(
          'rate_limited',
          failure.rpcError?.message ?? `"${this.name}" is rate limited`,
          { retryAfter, data: { server: this.name, retryAfter }, cause: failure },
        );
      }
      if (failure.status === 403 && upstreamCode === 'forbidden') {
        return new GatewayError('forbidden', failure.rpcError?.message ?? 'Forbidden upstream', {
          data: { server: this.name },
          cause: failure,
        });
      }
    }
    return new GatewayError('upstream_error', `"${this.name}" failed to answer`, {
      data: { server: this.name },
      cause: failure,
    });
  }

  /**
   * Sends one request to a healthy instance. Retries on another instance (backoff with
   * jitter, inside `timeoutMs`) when the request is retry-safe or certainly never reached
   * an upstream.
   *
   * @throws GatewayError `upstream_unavailable`, `upstream_timeout` or `upstream_error`.
   */
  /**
   * The error for a failure of a call that is not retry-safe and may have reached an
   * upstream: whether it took effect is unknown, so it must not look safe to retry.
   */
  private outcomeUnknown(failure: UpstreamFailure): GatewayError {
    return new GatewayError(
      'outcome_unknown',
      `"${this.name}" failed after the call may have reached it; it may or may not have taken effect — check before retrying`,
      { data: { server: this.name }, cause: failure },
    );
  }

  /** Whether a failure of a non-retry-safe call leaves its effect unknown. */
  private leavesOutcomeUnknown(failure: UpstreamFailure): boolean {
    if (!failure.reached || failure.kind === 'aborted') return false;
    if (failure.kind === 'http') {
      const upstreamCode = (failure.rpcError?.data as { code?: unknown } | undefined)?.code;
      // A refusal (4xx) or a gateway upstream that never reached an instance changed nothing.
      if ((failure.status ?? 500) < 500) return false;
      if (failure.status === 503 && upstreamCode === 'upstream_unavailable') return false;
    }
    return true;
  }

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
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(timeoutReason());
    }, options.timeoutMs);
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
        instance.outstanding++;
        instance.requests++;
        const started = performance.now();
        // A hung instance holds a retry-safe caller for one attempt only, then another answers.
        const attemptDeadline =
          options.retrySafe && options.attemptTimeoutMs !== undefined && this.instances.length > 1
            ? new AbortController()
            : undefined;
        let attemptTimedOut = false;
        let attemptTimer: ReturnType<typeof setTimeout> | undefined;
        const forwardToAttempt = () => attemptDeadline?.abort(signal.reason);
        if (attemptDeadline !== undefined) {
          attemptTimer = setTimeout(() => {
            attemptTimedOut = true;
            attemptDeadline.abort(timeoutReason());
          }, options.attemptTimeoutMs);
          signal.addEventListener('abort', forwardToAttempt, { once: true });
        }
        try {
          const reply = await instance.connection.request(method, body, {
            signal: attemptDeadline?.signal ?? signal,
            ...(options.headers === undefined ? {} : { headers: options.headers }),
            ...(options.onNotification === undefined
              ? {}
              : { onNotification: options.onNotification }),
          });
          this.succeeded(instance, performance.now() - started);
          return { reply, instance: instance.label, attempts: attempt };
        } catch (error) {
          const caught =
            error instanceof UpstreamFailure
              ? error
              : new UpstreamFailure('protocol', 'upstream request failed', {
                  reached: true,
                  cause: error,
                });
          const failure =
            attemptTimedOut && !signal.aborted
              ? new UpstreamFailure('timeout', 'attempt deadline passed', { reached: true })
              : caught;
          lastFailure = failure;
          if (this.countsAgainstInstance(failure)) this.failed(instance, failure);
          else if (instance.state === 'probing') instance.state = 'healthy';
          const retryable =
            (failure.kind !== 'timeout' || attemptTimedOut) &&
            failure.kind !== 'aborted' &&
            !(failure.kind === 'http' && (failure.status ?? 500) < 500) &&
            (options.retrySafe || !failure.reached) &&
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
            if (!options.retrySafe && this.leavesOutcomeUnknown(final)) {
              throw this.outcomeUnknown(final);
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
            if (!options.retrySafe && failure.reached) throw this.outcomeUnknown(passed);
            throw this.toGatewayError(passed);
          }
        } finally {
          instance.outstanding--;
          if (attemptTimer !== undefined) clearTimeout(attemptTimer);
          if (attemptDeadline !== undefined) signal.removeEventListener('abort', forwardToAttempt);
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
    if (result.nextCursor !== undefined || !Array.isArray(result.tools)) return;
    const map = new Map<string, Tool>();
    for (const tool of result.tools as Tool[]) {
      if (tool !== null && typeof tool === 'object' && typeof tool.name === 'string')
        map.set(tool.name, tool);
    }
    this.tools = map;
  }

  /**
   * The upstream's definition of `name` (annotations included), loading the tool list once.
   * `headers` go with the listing (the on-behalf identity when the upstream is a gateway).
   */
  async tool(
    name: string,
    signal: AbortSignal,
    headers?: Readonly<Record<string, string>>,
  ): Promise<Tool | undefined> {
    if (this.tools === undefined) {
      if (this.toolsLoading === undefined) {
        this.toolsLoading = this.loadTools(signal, headers).finally(() => {
          this.toolsLoading = undefined;
        });
      }
      await this.toolsLoading;
    }
    return this.tools?.get(name);
  }

  private async loadTools(
    signal: AbortSignal,
    headers: Readonly<Record<string, string>> | undefined,
  ): Promise<Map<string, Tool> | undefined> {
    const map = new Map<string, Tool>();
    let cursor: string | undefined;
    try {
      for (let page = 0; page < 20; page++) {
        const { reply } = await this.call(
          'tools/list',
          cursor === undefined ? undefined : { cursor },
          {
            signal,
            timeoutMs: this.options.server.requestTimeoutMs,
            retrySafe: true,
            ...(headers === undefined ? {} : { headers }),
          },
        );
        if ('error' in reply) return undefined;
        for (const tool of (reply.result.tools as Tool[] | undefined) ?? [])
          map.set(tool.name, tool);
        cursor = typeof reply.result.nextCursor === 'string' ? reply.result.nextCursor : undefined;
        if (cursor === undefined) break;
      }
    } catch {
      // Unknown annotations are treated as destructive and non-idempotent, which is safe.
      return undefined;
    }
    this.tools = map;
    return map;
  }

  /** Forgets cached tool annotations (after `notifications/tools/list_changed`). */
  forgetTools(): void {
    this.tools = undefined;
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
    const instances = this.instances.map((instance) => ({
      url: instance.label,
      state: instance.state,
      available: this.isAvailable(instance, now),
      latencyMs: instance.latencyMs === null ? null : Math.round(instance.latencyMs * 100) / 100,
      outstanding: instance.outstanding,
      requests: instance.requests,
      failures: instance.failures,
      consecutiveFailures: instance.consecutiveFailures,
      lastError: instance.lastError,
      lastCheckedAt:
        instance.lastCheckedAt === null ? null : new Date(instance.lastCheckedAt).toISOString(),
    }));
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
    await Promise.all(this.instances.map((instance) => instance.connection.close()));
  }
}
