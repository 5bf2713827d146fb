import {
  type AnswerQuestion,
  CACHE_META_KEY,
  type GatewayTool,
  type McpTask,
  staleResultAge,
  type ToolResult,
} from '@tekup/mcp-client-web';
import type { Clock } from './clock';
import { describeGatewayError, toGatewayError } from './errors';
import { type AssistantStore, patchCall } from './state';
import type { TaskHandle, TaskHandles } from './task-handles';
import type { AssistantGatewayClient } from './types';

/** What a tool call gives back to the model: its output, or an error text. */
export type ToolOutcome = { output: unknown } | { errorText: string };

/** Hands a call's outcome to the chat (which sends it to the model). */
export type ReportOutcome = (toolCallId: string, toolName: string, outcome: ToolOutcome) => void;

/** Runs the model's tool calls in the browser through the gateway client. */
export interface ToolRunner {
  /** Runs one call; its outcome goes to `report` unless the call was aborted. */
  run(toolCallId: string, tool: GatewayTool, input: unknown): Promise<void>;
  /**
   * Aborts every running call (their signals fire) and returns their ids. Their tasks are
   * cancelled upstream too, unless `keepTasks` (the view goes away; the work goes on, and the
   * thread picks it up when it opens again).
   */
  abortAll(options?: { keepTasks?: boolean }): string[];
  /** Asks the server to cancel a call running as a task (its card says so until it stops). */
  cancelTask(toolCallId: string): Promise<void>;
  /** Picks up a call's task after a reload: polls it on and reports its end. */
  resume(toolCallId: string, handle: TaskHandle): Promise<void>;
  /** How many calls are running. */
  readonly size: number;
}

/** What {@link createToolRunner} needs. */
export interface ToolRunnerOptions {
  store: AssistantStore;
  clock: Clock;
  getClient: () => AssistantGatewayClient;
  report: ReportOutcome;
  /** Per call, passed to the client. */
  timeoutMs: number | undefined;
  /** For error messages. */
  gateway: string | undefined;
  /** Who answers the server's questions during a call (its card). */
  answer?: (toolCallId: string) => AnswerQuestion;
  /** Where a call's task is kept while it runs (so a reload can pick it up). */
  tasks?: TaskHandles;
}

function textOfResult(result: ToolResult): string {
  const text = (result.content ?? [])
    .map((item) => (item.type === 'text' && typeof item.text === 'string' ? item.text : undefined))
    .filter((item) => item !== undefined)
    .join('\n');
  return text || 'The tool reported an error.';
}

/** What the model gets from a result: everything but `_meta`, except the stale-cache marker. */
function outputOf(result: ToolResult): unknown {
  const { _meta, ...output } = result;
  // Only the gateway's stale-cache marker is kept: the card says "may be out of date".
  const age = staleResultAge(result);
  return age === undefined
    ? output
    : { ...output, _meta: { [CACHE_META_KEY]: { stale: true, ageSeconds: age } } };
}

/** How often a task is polled: the server's interval, within bounds. */
function pollDelay(task: McpTask): number {
  return Math.min(2_000, Math.max(500, task.pollInterval ?? 1_000));
}

/** Creates the runner: one job, executing calls and timing them. */
export function createToolRunner(options: ToolRunnerOptions): ToolRunner {
  const { store, clock, report } = options;
  const running = new Map<string, AbortController>();
  /** Calls left running upstream when the view went away: their handles stay for a reload. */
  const detached = new Set<string>();
  const finished = (toolCallId: string) => {
    running.delete(toolCallId);
    if (detached.delete(toolCallId)) return;
    options.tasks?.drop(toolCallId);
  };

  const wait = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const handle = clock.setTimeout(resolve, ms);
      signal.addEventListener(
        'abort',
        () => {
          clock.clearTimeout(handle);
          resolve();
        },
        { once: true },
      );
    });

  /** Runs a call as a task: started, polled at the server's interval, its result fetched. */
  const runTask = async (
    toolCallId: string,
    tool: GatewayTool,
    input: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ToolResult | 'cancelled' | undefined> => {
    const client = options.getClient();
    if (!client.startTask || !client.getTask || !client.taskResult) return undefined;
    const { server, task } = await client.startTask(tool.name, input, {
      signal,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    options.tasks?.put(toolCallId, { server, taskId: task.taskId, toolName: tool.name });
    return followTask(toolCallId, server, task, signal);
  };

  /** Polls a task to its end; its result, or 'cancelled'. */
  const followTask = async (
    toolCallId: string,
    server: string,
    task: McpTask,
    signal: AbortSignal,
  ): Promise<ToolResult | 'cancelled' | undefined> => {
    const client = options.getClient();
    if (!client.getTask || !client.taskResult) return undefined;
    let current: McpTask = task;
    const show = () =>
      patchCall(store, toolCallId, {
        task: {
          ...store.getState().calls[toolCallId]?.task,
          server,
          taskId: task.taskId,
          status: current.status,
          ...(current.statusMessage ? { message: current.statusMessage } : {}),
        },
      });
    show();
    while (current.status === 'working' || current.status === 'input_required') {
      await wait(pollDelay(current), signal);
      if (signal.aborted) return undefined;
      current = await client.getTask(server, task.taskId, { signal });
      show();
    }
    if (current.status === 'cancelled') return 'cancelled';
    return client.taskResult(server, task.taskId, { signal });
  };

  /** Ends a call with its result (or its cancellation) and hands that to the chat. */
  const settle = (toolCallId: string, toolName: string, result: ToolResult | 'cancelled') => {
    patchCall(store, toolCallId, { phase: 'done', endedAt: clock.now(), progress: undefined });
    report(
      toolCallId,
      toolName,
      result === 'cancelled'
        ? { errorText: 'The user cancelled this task before it finished; it did not complete.' }
        : result.isError
          ? { errorText: textOfResult(result) }
          : { output: outputOf(result) },
    );
  };

  return {
    async resume(toolCallId, handle) {
      const client = options.getClient();
      if (!client.getTask || running.has(toolCallId)) return;
      const abort = new AbortController();
      running.set(toolCallId, abort);
      patchCall(store, toolCallId, {
        phase: 'running',
        startedAt: clock.now(),
        endedAt: undefined,
      });
      try {
        const task = await client.getTask(handle.server, handle.taskId, { signal: abort.signal });
        const outcome = await followTask(toolCallId, handle.server, task, abort.signal);
        if (abort.signal.aborted) return;
        settle(toolCallId, handle.toolName, outcome ?? 'cancelled');
      } catch (error) {
        if (abort.signal.aborted) return;
        patchCall(store, toolCallId, { phase: 'done', endedAt: clock.now() });
        report(toolCallId, handle.toolName, {
          errorText: describeGatewayError(toGatewayError(error, handle.server), options.gateway),
        });
      } finally {
        finished(toolCallId);
      }
    },
    async cancelTask(toolCallId) {
      const task = store.getState().calls[toolCallId]?.task;
      const client = options.getClient();
      if (!task || !client.cancelTask) return;
      patchCall(store, toolCallId, { task: { ...task, cancelling: true } });
      await client.cancelTask(task.server, task.taskId).catch(() => undefined);
    },
    async run(toolCallId, tool, input) {
      const abort = new AbortController();
      running.set(toolCallId, abort);
      patchCall(store, toolCallId, {
        phase: 'running',
        startedAt: clock.now(),
        endedAt: undefined,
      });
      try {
        const args = (input ?? {}) as Record<string, unknown>;
        // Long work the server can run as a task: polled (never bound by a call's timeout), cancellable.
        const tasked = tool.taskSupport
          ? await runTask(toolCallId, tool, args, abort.signal)
          : undefined;
        if (abort.signal.aborted) return;
        if (tasked === 'cancelled') {
          settle(toolCallId, tool.name, 'cancelled');
          return;
        }
        const result =
          tasked ??
          (await options.getClient().callTool(tool.name, args, {
            signal: abort.signal,
            timeoutMs: options.timeoutMs,
            // The server's progress reports, shown on the call's card while it runs.
            onProgress: (progress) => {
              if (!abort.signal.aborted) patchCall(store, toolCallId, { progress });
            },
            ...(options.answer ? { answer: options.answer(toolCallId) } : {}),
          }));
        if (abort.signal.aborted) return;
        settle(toolCallId, tool.name, result);
      } catch (error) {
        if (abort.signal.aborted) return;
        const failure = toGatewayError(error, tool.server);
        patchCall(store, toolCallId, {
          phase: 'done',
          endedAt: clock.now(),
          ...(failure.gatewayCode === 'outcome_unknown' ? { outcome: 'unknown' as const } : {}),
        });
        report(toolCallId, tool.name, {
          errorText: describeGatewayError(failure, options.gateway),
        });
      } finally {
        finished(toolCallId);
      }
    },
    abortAll(abortOptions = {}) {
      const ids = [...running.keys()];
      // Work running as a task goes on upstream unless it is cancelled there too.
      for (const id of ids) {
        if (!store.getState().calls[id]?.task && options.tasks?.get(id) === undefined) continue;
        if (abortOptions.keepTasks) detached.add(id);
        else void this.cancelTask(id);
      }
      for (const controller of running.values()) controller.abort();
      running.clear();
      return ids;
    },
    get size() {
      return running.size;
    },
  };
}
