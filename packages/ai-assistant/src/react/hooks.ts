import type { GatewayTool } from '@tekup/mcp-client-web';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { AssistantController } from '../core/controller';
import type { ErrorDescription } from '../core/errors';
import { describeServerHealth, type ServerHealth } from '../core/server-health';
import type { AssistantState, ServerFailure } from '../core/state';
import type { AssistantMessage } from '../core/types';
import { useAssistantContext } from './context';

/** The controller of the nearest assistant (for anything the hooks below do not cover). */
export function useAssistantController(): AssistantController {
  return useAssistantContext().controller;
}

/**
 * Selects a slice of the controller's snapshot; re-renders only when the slice changes. The
 * selector must return a value of the state (or a primitive), not a new object.
 */
export function useAssistantState<T>(selector: (state: AssistantState) => T): T {
  const controller = useAssistantController();
  const select = () => selector(controller.getSnapshot());
  // the snapshot at render time is also the server's: state changes only after mount
  return useSyncExternalStore(controller.subscribe, select, select);
}

/**
 * Subscribes to the controller, but calls back at most every `waitMs` while only the messages
 * change (streamed tokens); the first change after a quiet spell goes through at once.
 */
function throttledMessages(controller: AssistantController, waitMs: number) {
  return (listener: () => void) => {
    let seen = controller.getSnapshot().messages;
    let lastCall = Number.NEGATIVE_INFINITY;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const call = () => {
      lastCall = controller.now();
      listener();
    };
    const unsubscribe = controller.subscribe(() => {
      const { messages } = controller.getSnapshot();
      if (messages === seen) return;
      seen = messages;
      clearTimeout(timer);
      const wait = waitMs - (controller.now() - lastCall);
      if (wait <= 0) call();
      else timer = setTimeout(call, wait);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  };
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
  const throttleMs = options.throttleMs ?? 50;
  const subscribe = useMemo(
    () => throttledMessages(controller, throttleMs),
    [controller, throttleMs],
  );
  const messages = () => controller.getSnapshot().messages;
  const current = useSyncExternalStore(subscribe, messages, messages);
  const status = useAssistantState((state) => state.status);
  const error = useAssistantState((state) => state.error);
  const running = useAssistantState((state) =>
    Object.values(state.calls).some((call) => call.phase === 'running'),
  );
  return {
    messages: current,
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
  /** True while the first listing runs. */
  isLoading: boolean;
  refresh: () => Promise<unknown>;
}

/** The tools discovered through the gateway (listed on mount when over 5 minutes old). */
export function useAssistantTools(): UseAssistantToolsResult {
  const controller = useAssistantController();
  useEffect(() => controller.refreshStaleTools(), [controller]);
  const tools = useAssistantState((state) => state.tools);
  const failures = useAssistantState((state) => state.failures);
  const error = useAssistantState((state) => state.toolsError);
  const isLoading = useAssistantState(
    (state) => state.toolsStatus === 'loading' && state.toolsListedAt === undefined,
  );
  const refresh = useCallback(() => controller.loadTools({ refresh: true }), [controller]);
  return { tools, failures, error, isLoading, refresh };
}

/**
 * Health of the assistant's servers: `{gateway}/servers` when the gateway serves it, plus the
 * per-server failures of tool discovery. Polls every 30 s while mounted.
 */
export function useServerHealth(): {
  servers: ServerHealth[];
  gatewayError: string | undefined;
  isLoading: boolean;
  /** Checks again now: re-lists the tools and re-reads `{gateway}/servers`. */
  refresh: () => Promise<unknown>;
} {
  const controller = useAssistantController();
  useEffect(() => controller.watchHealth(), [controller]);
  const tools = useAssistantTools();
  const reported = useAssistantState((state) => state.serverStatus);
  const servers = useMemo(
    () =>
      describeServerHealth(controller.servers, {
        failures: tools.failures,
        tools: tools.tools,
        reported,
      }),
    [controller, tools.failures, tools.tools, reported],
  );
  const refreshTools = tools.refresh;
  const refresh = useCallback(
    () => Promise.all([refreshTools(), controller.checkHealth()]),
    [refreshTools, controller],
  );
  return { servers, gatewayError: tools.error, isLoading: tools.isLoading, refresh };
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
