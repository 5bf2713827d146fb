import type { GatewayTool } from '@tekup/mcp-client-web';
import type { Clock } from './clock';
import { AssistantError, describeGatewayError, toGatewayError } from './errors';
import type { AssistantStore } from './state';
import type { AssistantGatewayClient } from './types';

/** Servers that failed to list are asked again before a send, at most this often. */
const RELIST_AFTER_MS = 30_000;
/** A view that shows the tools lists them again when they are older than this. */
const STALE_AFTER_MS = 5 * 60_000;

/** The tools the assistant may offer the model, listed through the gateway client. */
export interface ToolCatalog {
  /** Lists the tools (`refresh` skips the client's cache) and publishes them. */
  load(options?: { signal?: AbortSignal; refresh?: boolean }): Promise<GatewayTool[]>;
  /** The tools for the next request: listed once, failed servers retried at most every 30 s. */
  ensure(): Promise<GatewayTool[]>;
  /** Lists the tools when they were never listed or are over 5 minutes old. */
  refreshIfStale(): void;
  /** The listed tool of that namespaced name. */
  get(name: string): GatewayTool | undefined;
}

/** What {@link createToolCatalog} needs. */
export interface ToolCatalogOptions {
  store: AssistantStore;
  clock: Clock;
  /** Only these servers' tools are offered (all of them when empty). */
  servers: readonly string[];
  /** For error messages ("Could not reach the gateway at …"). */
  gateway: string | undefined;
  getClient: () => AssistantGatewayClient;
}

/** Creates the tool catalog: one job, the tool list and why parts of it are missing. */
export function createToolCatalog(options: ToolCatalogOptions): ToolCatalog {
  const { store, clock } = options;
  let byName = new Map<string, GatewayTool>();
  let lastListedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<GatewayTool[]> | undefined;

  const load: ToolCatalog['load'] = async ({ signal, refresh } = {}) => {
    store.setState({ toolsStatus: 'loading' });
    try {
      // the caller's signal is not passed on: the client shares one in-flight listing between
      // callers, so one cancelled caller would fail the others
      lastListedAt = clock.now();
      const { tools, failures } = await options.getClient().listTools(refresh ? { refresh } : {});
      if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
      const wanted = new Set(options.servers);
      const visible = tools.filter((tool) => wanted.size === 0 || wanted.has(tool.server));
      byName = new Map(visible.map((tool) => [tool.name, tool]));
      store.setState({
        tools: visible,
        toolsStatus: 'ready',
        toolsError: undefined,
        toolsListedAt: lastListedAt,
        failures: failures.map(({ server, error }) => {
          const failure = toGatewayError(error, server);
          return {
            server,
            code: failure.gatewayCode ?? failure.code,
            message: describeGatewayError(failure, options.gateway),
          };
        }),
      });
      return visible;
    } catch (error) {
      if (signal?.aborted) {
        store.setState((state) => ({ toolsStatus: state.tools.length ? 'ready' : 'idle' }));
        throw error;
      }
      const failure = toGatewayError(error);
      const message =
        error instanceof AssistantError
          ? error.message
          : describeGatewayError({ ...failure, code: failure.code ?? 'network' }, options.gateway);
      store.setState({ toolsStatus: 'error', toolsError: message });
      throw error;
    }
  };

  const shared = () => {
    pending ??= load().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  return {
    load,
    async ensure() {
      const state = store.getState();
      // a server that is down must not hold every message up to its timeout
      const retryFailed =
        (state.failures.length > 0 || state.toolsStatus === 'error') &&
        clock.now() - lastListedAt > RELIST_AFTER_MS;
      if (state.toolsStatus === 'ready' && !retryFailed) return state.tools;
      if (state.toolsStatus === 'error' && !retryFailed) return [];
      try {
        return await shared();
      } catch {
        // the chat still works without tools; the banner says why they are missing
        return [];
      }
    },
    refreshIfStale() {
      const state = store.getState();
      if (state.toolsStatus === 'loading') return;
      const listedAt = state.toolsListedAt;
      if (listedAt !== undefined && clock.now() - listedAt <= STALE_AFTER_MS) return;
      // the banner reports a failed listing; nobody awaits this one
      shared().catch(() => undefined);
    },
    get: (name) => byName.get(name),
  };
}
