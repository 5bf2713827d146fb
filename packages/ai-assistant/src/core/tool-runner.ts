import {
  type AnswerQuestion,
  CACHE_META_KEY,
  type GatewayTool,
  staleResultAge,
  type ToolResult,
} from '@tekup/mcp-client-web';
import type { Clock } from './clock';
import { describeGatewayError, toGatewayError } from './errors';
import { type AssistantStore, patchCall } from './state';
import type { AssistantGatewayClient } from './types';

/** What a tool call gives back to the model: its output, or an error text. */
export type ToolOutcome = { output: unknown } | { errorText: string };

/** Hands a call's outcome to the chat (which sends it to the model). */
export type ReportOutcome = (toolCallId: string, toolName: string, outcome: ToolOutcome) => void;

/** Runs the model's tool calls in the browser through the gateway client. */
export interface ToolRunner {
  /** Runs one call; its outcome goes to `report` unless the call was aborted. */
  run(toolCallId: string, tool: GatewayTool, input: unknown): Promise<void>;
  /** Aborts every running call (their signals fire) and returns their ids. */
  abortAll(): string[];
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

/** Creates the runner: one job, executing calls and timing them. */
export function createToolRunner(options: ToolRunnerOptions): ToolRunner {
  const { store, clock, report } = options;
  const running = new Map<string, AbortController>();

  return {
    async run(toolCallId, tool, input) {
      const abort = new AbortController();
      running.set(toolCallId, abort);
      patchCall(store, toolCallId, {
        phase: 'running',
        startedAt: clock.now(),
        endedAt: undefined,
      });
      try {
        const result = await options
          .getClient()
          .callTool(tool.name, (input ?? {}) as Record<string, unknown>, {
            signal: abort.signal,
            timeoutMs: options.timeoutMs,
            // The server's progress reports, shown on the call's card while it runs.
            onProgress: (progress) => {
              if (!abort.signal.aborted) patchCall(store, toolCallId, { progress });
            },
            ...(options.answer ? { answer: options.answer(toolCallId) } : {}),
          });
        if (abort.signal.aborted) return;
        patchCall(store, toolCallId, { phase: 'done', endedAt: clock.now(), progress: undefined });
        report(
          toolCallId,
          tool.name,
          result.isError ? { errorText: textOfResult(result) } : { output: outputOf(result) },
        );
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
        running.delete(toolCallId);
      }
    },
    abortAll() {
      const ids = [...running.keys()];
      for (const controller of running.values()) controller.abort();
      running.clear();
      return ids;
    },
    get size() {
      return running.size;
    },
  };
}
