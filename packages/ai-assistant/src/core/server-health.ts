import type { GatewayTool } from '@tekup/mcp-client-web';
import type { Clock } from './clock';
import type { AssistantStore, ServerFailure, ServerStatusWord } from './state';

/** How often `{gateway}/servers` is read while a view shows server health. */
const POLL_MS = 30_000;

/** Health of one server as the assistant sees it. */
export interface ServerHealth {
  server: string;
  status: ServerStatusWord;
  message?: string;
}

const statusWords: Record<string, ServerStatusWord> = {
  ok: 'up',
  up: 'up',
  healthy: 'up',
  ready: 'up',
  degraded: 'degraded',
  partial: 'degraded',
  down: 'down',
  unhealthy: 'down',
  unavailable: 'down',
  error: 'down',
};

/** Reads `{gateway}/servers` defensively: an array, `{ servers: [] }` or `{ servers: {} }`. */
export function parseServersResponse(body: unknown): Map<string, ServerStatusWord> {
  const result = new Map<string, ServerStatusWord>();
  const record = body as { servers?: unknown } | null;
  let list: unknown[] = [];
  if (Array.isArray(body)) list = body;
  else if (Array.isArray(record?.servers)) list = record.servers as unknown[];
  else if (record?.servers && typeof record.servers === 'object') {
    list = Object.entries(record.servers as Record<string, object>).map(([name, value]) => ({
      name,
      ...value,
    }));
  }
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const entry = item as Record<string, unknown>;
    const name = entry.name ?? entry.server ?? entry.id;
    if (typeof name !== 'string') continue;
    let status: ServerStatusWord = 'unknown';
    const word =
      typeof entry.status === 'string' ? statusWords[entry.status.toLowerCase()] : undefined;
    if (word) status = word;
    else if (typeof entry.healthy === 'boolean') status = entry.healthy ? 'up' : 'down';
    else if (Array.isArray(entry.instances) && entry.instances.length > 0) {
      const healthy = entry.instances.filter((instance) => {
        const value = instance as Record<string, unknown>;
        return (
          value.healthy === true ||
          (typeof value.status === 'string' && statusWords[value.status] === 'up')
        );
      }).length;
      status = healthy === 0 ? 'down' : healthy < entry.instances.length ? 'degraded' : 'up';
    }
    result.set(name, status);
  }
  return result;
}

/**
 * Each configured server's health: a failed listing says down, else what `{gateway}/servers`
 * reported, else up when it listed tools, else unknown.
 */
export function describeServerHealth(
  servers: readonly string[],
  view: {
    failures: readonly ServerFailure[];
    tools: readonly GatewayTool[];
    reported: ReadonlyMap<string, ServerStatusWord> | undefined;
  },
): ServerHealth[] {
  return servers.map<ServerHealth>((server) => {
    const failure = view.failures.find((item) => item.server === server);
    if (failure) return { server, status: 'down', message: failure.message };
    const status = view.reported?.get(server);
    if (status && status !== 'unknown') return { server, status };
    if (view.tools.some((tool) => tool.server === server)) return { server, status: 'up' };
    return { server, status: 'unknown' };
  });
}

/** Reads `{gateway}/servers` into the state, and polls it while anybody watches. */
export interface ServerHealthMonitor {
  /** Reads it now; never rejects (a gateway without the endpoint just reports nothing). */
  check(): Promise<void>;
  /** Checks now and every 30 s (while the page is visible) until every watcher has stopped. */
  watch(): () => void;
  /** Stops polling and drops a check in flight. */
  stop(): void;
}

/** What {@link createServerHealthMonitor} needs. */
export interface ServerHealthOptions {
  store: AssistantStore;
  clock: Clock;
  /** No gateway, no checks. */
  gateway: string | undefined;
  fetch: typeof fetch;
  credentials: RequestCredentials;
}

/** Creates the health monitor of one assistant. */
export function createServerHealthMonitor(options: ServerHealthOptions): ServerHealthMonitor {
  const { store, clock } = options;
  let watchers = 0;
  let timer: unknown;
  let inFlight: AbortController | undefined;

  const check = async () => {
    if (!options.gateway) return;
    inFlight?.abort();
    const abort = new AbortController();
    inFlight = abort;
    try {
      const response = await options.fetch(`${options.gateway.replace(/\/$/, '')}/servers`, {
        signal: abort.signal,
        credentials: options.credentials,
        headers: { accept: 'application/json' },
      });
      // a failed check keeps what the last good one said
      if (!response.ok) return;
      const reported = parseServersResponse(await response.json());
      if (!abort.signal.aborted) store.setState({ serverStatus: reported });
    } catch {
      // unreachable or not JSON: the tool listing's failures still tell the user
    } finally {
      if (inFlight === abort) inFlight = undefined;
    }
  };

  const schedule = () => {
    timer = clock.setTimeout(() => {
      // a tab in the background skips its polls (nobody reads the banner there)
      if ((globalThis as { document?: Document }).document?.visibilityState !== 'hidden') {
        void check();
      }
      schedule();
    }, POLL_MS);
  };

  const stop = () => {
    clock.clearTimeout(timer);
    timer = undefined;
    inFlight?.abort();
  };

  return {
    check,
    watch() {
      watchers++;
      if (watchers === 1 && options.gateway) {
        void check();
        schedule();
      }
      let watching = true;
      return () => {
        if (!watching) return;
        watching = false;
        watchers--;
        if (watchers === 0) stop();
      };
    },
    stop,
  };
}
