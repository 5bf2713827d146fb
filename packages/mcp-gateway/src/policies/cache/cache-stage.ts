/**
 * Caching of read-only tool results with per-server TTLs, single-flight,
 * stale-if-error and O(1) invalidation per server.
 */
import { CACHE_META_KEY } from '@tekup/mcp-contract';
import { defaultCacheTtlSeconds, POLICY_DEFAULTS } from '../../config/defaults.js';
import { GatewayError, isGatewayError } from '../../errors.js';
import type { Clock, RequestContext, Stage } from '../../pipeline/types.js';
import { systemClock } from '../../pipeline/types.js';
import type { CacheEntry, CacheStore } from '../../stores/types.js';
import { canonicalJson, sha256Hex } from '../hash.js';
import { type PolicyLogger, silentLogger } from '../logger.js';
import { noopPolicyMetrics, type PolicyMetrics } from '../metrics.js';
import type { StoreBreaker } from '../store-breaker.js';

/** The `_meta` key marking a result served from cache past its TTL (the client reads it too). */
export const cacheMetaKey = CACHE_META_KEY;

/** The TTL the gateway resolved for the request's server (`serverConfig.cacheTtlSeconds`), else the plan's default. */
export function configuredTtlSeconds(server: string, context: RequestContext): number {
  // Read loosely: `serverConfig` is an optional field the core fills in.
  const configured = (context as { serverConfig?: { cacheTtlSeconds?: number } }).serverConfig
    ?.cacheTtlSeconds;
  return configured ?? defaultCacheTtlSeconds(server);
}

/**
 * The default `scope`: results are shared within a tenant, never across tenants. A principal
 * without a tenant shares with no one.
 */
export function tenantScope(context: RequestContext): string {
  const { principal } = context;
  return principal.tenantId === undefined || principal.tenantId === ''
    ? `principal:${principal.kind}:${principal.id}`
    : `tenant:${principal.tenantId}`;
}

/** Errors that mean the call was refused before any upstream saw it: nothing can have changed. */
const refusedBeforeUpstream = new Set([
  'unauthorized',
  'forbidden',
  'origin_forbidden',
  'rate_limited',
  'invalid_request',
  'invalid_params',
  'header_mismatch',
  'payload_too_large',
  'shutting_down',
]);

/** Options for {@link createCacheStage}. */
export interface CacheStageOptions {
  store: CacheStore;
  /**
   * Fresh lifetime per server; 0 turns caching off for that server.
   * @default the server's resolved `cacheTtlSeconds` from the context, else the plan's default for its name
   */
  ttlSeconds?: (server: string, context: RequestContext) => number;
  /**
   * How long past its TTL an entry is kept to answer when every upstream
   * instance is down (`upstream_unavailable` / `upstream_timeout`).
   * @default 3600
   */
  staleIfErrorSeconds?: number;
  /**
   * Who may share a result: entries are stored and invalidated per scope. Return a user id
   * when a server's results depend on the caller. A write invalidates its own scope.
   * @default tenantScope
   */
  scope?: (context: RequestContext) => string;
  /** Upper bound on one store call; slower answers count as misses. @default 250 */
  timeoutMs?: number;
  /**
   * A circuit breaker around the store (shared with the other users of the same connection):
   * while it is open the cache is skipped at once instead of waiting for each timeout.
   */
  breaker?: StoreBreaker;
  clock?: Clock;
  metrics?: PolicyMetrics;
  logger?: PolicyLogger;
}

type Source = 'hit' | 'miss' | 'stale';

interface Flight {
  body: string;
  source: Source;
  ageSeconds: number;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  if (!(timeoutMs > 0)) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`cache store timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isCacheable(result: Record<string, unknown>): boolean {
  // A call paused for the client's input is not an answer.
  return result.isError !== true && result.resultType !== 'input_required';
}

/**
 * Upstream could not answer: every instance down, timed out, or a broken
 * answer (the core's `isUpstreamFailure`). An upstream's own JSON-RPC error is
 * a real answer and is passed on.
 */
function servesStale(error: unknown): boolean {
  return (
    isGatewayError(error) &&
    (error.code === 'upstream_unavailable' ||
      error.code === 'upstream_timeout' ||
      error.code === 'upstream_error')
  );
}

function markStale(body: string, ageSeconds: number): Record<string, unknown> {
  const result = JSON.parse(body) as Record<string, unknown>;
  const meta = (result._meta ?? {}) as Record<string, unknown>;
  result._meta = { ...meta, [cacheMetaKey]: { stale: true, ageSeconds } };
  return result;
}

/**
 * The cache stage, for `tools/call` of read-only, non-destructive tools only.
 * Key: SHA-256 of server, tool, canonical JSON arguments and scope. Identical
 * concurrent misses share one upstream call. Errors and `isError` results are
 * never stored. `Cache-Control: no-cache` (`bypassCache`) skips the lookup but
 * refreshes the entry. Records `context.outcome.cache`.
 *
 * @example
 * createCacheStage({ store: createMemoryCacheStore({ maxBytes: 32 * 1024 * 1024 }) });
 */
export function createCacheStage(options: CacheStageOptions): Stage {
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? noopPolicyMetrics;
  const logger = options.logger ?? silentLogger;
  const ttlSeconds = options.ttlSeconds ?? configuredTtlSeconds;
  const graceMs = (options.staleIfErrorSeconds ?? POLICY_DEFAULTS.cache.staleIfErrorSeconds) * 1000;
  const scope = options.scope ?? tenantScope;
  const timeoutMs = store.local ? 0 : (options.timeoutMs ?? POLICY_DEFAULTS.cache.storeTimeoutMs);
  const guarded = <T>(call: () => Promise<T>): Promise<T> =>
    options.breaker && !store.local ? options.breaker.run(call) : withTimeout(call(), timeoutMs);
  const flights = new Map<string, Promise<Flight>>();
  let lastFailureLog = Number.NEGATIVE_INFINITY;

  function storeFailed(error: unknown, operation: string): void {
    metrics.storeFailure('redis-cache', 'open');
    const now = clock.now();
    if (now - lastFailureLog >= POLICY_DEFAULTS.storeFailureLogIntervalMs) {
      lastFailureLog = now;
      logger.error({ err: error, operation }, 'cache store unavailable; answering without cache');
    }
  }

  async function lookup(server: string, scope: string, key: string) {
    try {
      return await guarded(() => store.get(server, scope, key));
    } catch (error) {
      storeFailed(error, 'get');
      return undefined;
    }
  }

  async function save(
    server: string,
    scope: string,
    generation: string,
    key: string,
    entry: CacheEntry,
    ttlMs: number,
  ) {
    try {
      await guarded(() => store.set(server, scope, generation, key, entry, ttlMs + graceMs));
    } catch (error) {
      storeFailed(error, 'set');
    }
  }

  /** After a write, the writer's scope of this server and of the servers over the same data. */
  async function invalidateAfterWrite(context: RequestContext, scopeKey: string): Promise<void> {
    const servers = [context.server, ...(context.serverConfig?.invalidates ?? [])];
    await Promise.all(
      servers.map(async (server) => {
        try {
          await guarded(() => store.invalidate(server, scopeKey));
        } catch (error) {
          storeFailed(error, 'invalidate');
        }
      }),
    );
  }

  async function fly(
    context: RequestContext,
    next: Parameters<Stage['handle']>[1],
    scopeKey: string,
    key: string,
    ttlMs: number,
  ): Promise<Flight> {
    const { server } = context;
    const found = await lookup(server, scopeKey, key);
    const now = clock.now();
    const entry = found?.entry;
    if (entry && now < entry.expiresAt) {
      return {
        body: entry.body,
        source: 'hit',
        ageSeconds: Math.floor((now - entry.storedAt) / 1000),
      };
    }
    let result: Record<string, unknown>;
    try {
      result = await next(context);
    } catch (error) {
      const failedAt = clock.now();
      if (entry && servesStale(error) && failedAt < entry.expiresAt + graceMs) {
        return {
          body: entry.body,
          source: 'stale',
          ageSeconds: Math.floor((failedAt - entry.storedAt) / 1000),
        };
      }
      throw error;
    }
    const body = JSON.stringify(result);
    if (found && isCacheable(result)) {
      const storedAt = clock.now();
      await save(
        server,
        scopeKey,
        found.generation,
        key,
        { body, storedAt, expiresAt: storedAt + ttlMs },
        ttlMs,
      );
    }
    return { body, source: 'miss', ageSeconds: 0 };
  }

  return {
    name: 'cache',
    async handle(context, next) {
      const tool = context.tool;
      if (
        context.method !== 'tools/call' ||
        !tool ||
        context.decision !== undefined ||
        // The round that carries a client's answers continues a call; it is never a lookup.
        context.params?.requestState !== undefined ||
        // A task-augmented call answers with a task, not a result.
        context.params?.task !== undefined
      ) {
        return next(context);
      }
      const scopeKey = scope(context);
      if (!tool.safety.readOnly || tool.safety.destructive) {
        // A write: the next read of this organization must see it, on every gateway instance.
        try {
          const result = await next(context);
          await invalidateAfterWrite(context, scopeKey);
          return result;
        } catch (error) {
          if (!(isGatewayError(error) && refusedBeforeUpstream.has(error.code))) {
            await invalidateAfterWrite(context, scopeKey);
          }
          throw error;
        }
      }
      const ttlMs = ttlSeconds(context.server, context) * 1000;
      if (!(ttlMs > 0)) return next(context);
      const { server } = context;

      if (context.bypassCache) {
        context.outcome.cache = 'bypass';
        metrics.cacheLookup(server, 'bypass');
        const result = await next(context);
        if (isCacheable(result)) {
          const key = await cacheKey(context);
          const found = await lookup(server, scopeKey, key);
          const storedAt = clock.now();
          if (found) {
            await save(
              server,
              scopeKey,
              found.generation,
              key,
              { body: JSON.stringify(result), storedAt, expiresAt: storedAt + ttlMs },
              ttlMs,
            );
          }
        }
        return result;
      }

      const key = await cacheKey(context);
      const flightKey = `${server}\u0000${scopeKey}\u0000${key}`;
      let flight = flights.get(flightKey);
      const leader = flight === undefined;
      if (!flight) {
        flight = fly(context, next, scopeKey, key, ttlMs).finally(() => flights.delete(flightKey));
        flights.set(flightKey, flight);
      }
      let landed: Flight;
      try {
        landed = await flight;
      } catch (error) {
        context.outcome.cache = 'miss';
        metrics.cacheLookup(server, 'miss');
        throw error;
      }
      const { body, source, ageSeconds } = landed;
      // Followers of a miss did not call upstream themselves: for them it is a hit.
      const seen: Source = !leader && source === 'miss' ? 'hit' : source;
      context.outcome.cache = seen;
      metrics.cacheLookup(server, seen);
      return seen === 'stale'
        ? markStale(body, ageSeconds)
        : (JSON.parse(body) as Record<string, unknown>);
    },
    async onToolsChanged(server) {
      try {
        await guarded(() => store.invalidate(server));
      } catch (error) {
        storeFailed(error, 'invalidate');
        throw new GatewayError('internal_error', `Could not invalidate the cache of ${server}`, {
          cause: error,
        });
      }
    },
    async close() {
      await store.close?.();
    },
  };

  function cacheKey(context: RequestContext): Promise<string> {
    const params = context.params ?? {};
    // The scope is part of the hashed key as well as the store's namespace: two tenants never share an entry.
    return sha256Hex(
      `${context.server}\u0000${context.tool?.name ?? ''}\u0000${canonicalJson(params.arguments ?? {})}\u0000${scope(context)}`,
    );
  }
}
