import { type Chat, useChat } from '@ai-sdk/react';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { AssistantController, AssistantState, ServerFailure } from '../core/controller';
import type { ErrorDescription } from '../core/errors';
import type { AssistantMessage, GatewayTool } from '../core/types';
import { useAssistantContext } from './context';

/** The controller of the nearest assistant (for anything the hooks below do not cover). */
export function useAssistantController(): AssistantController {
  return useAssistantContext().controller;
}

/** Selects a slice of the controller state; re-renders only when the slice changes. */
export function useAssistantState<T>(selector: (state: AssistantState) => T): T {
  return useStore(useAssistantContext().controller.store, selector);
}

/** What {@link useAssistant} returns. */
export interface UseAssistantResult {
  messages: AssistantMessage[];
  status: 'submitted' | 'streaming' | 'ready' | 'error';
  /** True while the model streams or a tool call runs. */
  busy: boolean;
  error: ErrorDescription | undefined;
  send: (text: string) => Promise<void>;
  stop: () => Promise<void>;
  regenerate: () => Promise<void>;
  editLast: (text: string) => Promise<void>;
  clear: () => Promise<void>;
  newThread: () => Promise<void>;
  approve: AssistantController['approve'];
  reject: AssistantController['reject'];
}

/**
 * The chat of the nearest assistant: messages (throttled while streaming), status and actions.
 * @param options.throttleMs how often streamed messages re-render. @default 50
 */
export function useAssistant(options: { throttleMs?: number } = {}): UseAssistantResult {
  const controller = useAssistantController();
  const { messages, status } = useChat<AssistantMessage>({
    chat: controller.chat as Chat<AssistantMessage>,
    throttle: options.throttleMs ?? 50,
  });
  const error = useStore(controller.store, (state) => state.error);
  const running = useStore(controller.store, (state) =>
    Object.values(state.calls).some((call) => call.phase === 'running'),
  );
  return {
    messages,
    status,
    busy: status === 'submitted' || status === 'streaming' || running,
    error,
    send: controller.send,
    stop: controller.stop,
    regenerate: controller.regenerate,
    editLast: controller.editLast,
    clear: controller.clear,
    newThread: controller.newThread,
    approve: controller.approve,
    reject: controller.reject,
  };
}

/** What {@link useAssistantTools} returns. */
export interface UseAssistantToolsResult {
  tools: GatewayTool[];
  failures: ServerFailure[];
  /** Set when the gateway could not be reached at all. */
  error: string | undefined;
  isLoading: boolean;
  refresh: () => Promise<unknown>;
}

/** The tools discovered through the gateway (a TanStack query, refreshed every 5 minutes). */
export function useAssistantTools(): UseAssistantToolsResult {
  const { controller, queryClient, gateway, servers } = useAssistantContext();
  const query = useQuery(
    {
      queryKey: ['tekup-assistant', 'tools', gateway, servers.join(',')],
      queryFn: ({ signal }) => controller.loadTools({ signal }),
      staleTime: 5 * 60_000,
      refetchOnWindowFocus: false,
      retry: false,
    },
    queryClient,
  );
  const tools = useStore(controller.store, (state) => state.tools);
  const failures = useStore(controller.store, (state) => state.failures);
  const error = useStore(controller.store, (state) => state.toolsError);
  return {
    tools,
    failures,
    error,
    isLoading: query.isLoading,
    refresh: () => controller.loadTools({ refresh: true }),
  };
}

/** Health of one server as the assistant sees it. */
export interface ServerHealth {
  server: string;
  status: 'up' | 'degraded' | 'down' | 'unknown';
  message?: string;
}

type Status = ServerHealth['status'];

const statusWords: Record<string, Status> = {
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
export function parseServersResponse(body: unknown): Map<string, Status> {
  const result = new Map<string, Status>();
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
    let status: Status = 'unknown';
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
 * Health of the assistant's servers: `{gateway}/servers` when the gateway serves it, plus the
 * per-server failures of tool discovery. Polls every 30 s.
 */
export function useServerHealth(): {
  servers: ServerHealth[];
  gatewayError: string | undefined;
  isLoading: boolean;
  /** Checks again now: re-lists the tools and re-reads `{gateway}/servers`. */
  refresh: () => Promise<unknown>;
} {
  const { queryClient, gateway, servers, fetch: customFetch, credentials } = useAssistantContext();
  const tools = useAssistantTools();
  const query = useQuery(
    {
      queryKey: ['tekup-assistant', 'servers', gateway],
      queryFn: async ({ signal }) => {
        const response = await (customFetch ?? globalThis.fetch)(
          `${gateway!.replace(/\/$/, '')}/servers`,
          { signal, credentials, headers: { accept: 'application/json' } },
        );
        if (!response.ok) throw new Error(`GET /servers answered ${response.status}`);
        return parseServersResponse(await response.json());
      },
      enabled: Boolean(gateway),
      refetchInterval: 30_000,
      refetchOnWindowFocus: false,
      retry: false,
    },
    queryClient,
  );
  const reported = query.data;
  const health = servers.map<ServerHealth>((server) => {
    const failure = tools.failures.find((item) => item.server === server);
    if (failure) return { server, status: 'down', message: failure.message };
    const status = reported?.get(server);
    if (status && status !== 'unknown') return { server, status };
    if (tools.tools.some((tool) => tool.server === server)) return { server, status: 'up' };
    return { server, status: 'unknown' };
  });
  const refetchServers = query.refetch;
  const refreshTools = tools.refresh;
  const refresh = useCallback(
    () => Promise.all([refreshTools(), refetchServers()]),
    [refreshTools, refetchServers],
  );
  return { servers: health, gatewayError: tools.error, isLoading: tools.isLoading, refresh };
}

/** Re-renders every `intervalMs` while `active` (for countdowns and durations). */
export function useTicker(active: boolean, intervalMs = 1000): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setTick((tick) => tick + 1), intervalMs);
    return () => clearInterval(id);
  }, [active, intervalMs]);
}
