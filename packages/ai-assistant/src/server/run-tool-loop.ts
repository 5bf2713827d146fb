import type { ToolSpec } from '@tekup/mcp-client-web';
import { toAiSdkTools } from '@tekup/mcp-client-web/ai';
import { generateText, isStepCount, type LanguageModel, type ModelMessage, type Tool } from 'ai';
import { type ChatUsage, defaultInstructions, toChatUsage } from './chat-handler';
import { resolveModel } from './resolve-model';

/** Runs one tool, e.g. through an mcp-client-web gateway client. */
export type ToolExecutor = (
  name: string,
  args: unknown,
  context: { signal: AbortSignal | undefined },
) => Promise<unknown>;

/** One tool call made during a {@link runToolLoop}. */
export interface ToolLoopCall {
  name: string;
  args: unknown;
  result?: unknown;
  /** The error message when the tool failed. */
  error?: string;
  durationMs: number;
}

/** Options of {@link runToolLoop}; give either `prompt` or `messages`. */
export type ToolLoopOptions = {
  /** The model. @default resolveModel(process.env).model */
  model?: LanguageModel;
  /** @default the chat handler's default instructions (with today's date) */
  instructions?: string;
  tools: readonly ToolSpec[];
  execute: ToolExecutor;
  /** Model steps at most (each step may call tools). @default 8 */
  maxSteps?: number;
  signal?: AbortSignal;
} & ({ prompt: string; messages?: never } | { messages: ModelMessage[]; prompt?: never });

/** What {@link runToolLoop} returns. */
export interface ToolLoopResult {
  answer: string;
  toolCalls: ToolLoopCall[];
  usage: ChatUsage;
  steps: number;
}

function addUsage(a: ChatUsage, b: ChatUsage): ChatUsage {
  const sum = (x: number | undefined, y: number | undefined) =>
    x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  return {
    inputTokens: sum(a.inputTokens, b.inputTokens),
    outputTokens: sum(a.outputTokens, b.outputTokens),
    totalTokens: sum(a.totalTokens, b.totalTokens),
  };
}

/**
 * Runs a whole tool loop on the server: the model calls tools, `execute` runs them, the
 * results go back to the model, until it answers or `maxSteps` is reached (then it is asked
 * once more to answer without tools). For server-side routes such as `POST /api/ai/query`.
 *
 * @example
 * ```ts
 * const { answer, toolCalls } = await runToolLoop({
 *   prompt: 'How many invoices are overdue?',
 *   tools: specs,
 *   execute: (name, args, { signal }) => client.callTool(name, args, { signal }),
 * });
 * ```
 */
export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopResult> {
  const model = options.model ?? resolveModel().model;
  const instructions = options.instructions ?? defaultInstructions();
  const maxSteps = Math.max(1, options.maxSteps ?? 8);
  const toolCalls: ToolLoopCall[] = [];
  const tools: Record<string, Tool> = {};
  // the specs' tools, each with an execute: here the server runs the calls
  for (const [name, definition] of Object.entries(toAiSdkTools(options.tools))) {
    tools[name] = {
      ...definition,
      execute: async (args: unknown, context: { abortSignal?: AbortSignal }) => {
        const started = Date.now();
        const call: ToolLoopCall = { name, args, durationMs: 0 };
        toolCalls.push(call);
        try {
          call.result = await options.execute(name, args, {
            signal: context.abortSignal ?? options.signal,
          });
          return call.result;
        } catch (error) {
          call.error = error instanceof Error ? error.message : String(error);
          throw error;
        } finally {
          call.durationMs = Date.now() - started;
        }
      },
    } as Tool;
  }
  const prompt = options.messages
    ? { messages: options.messages }
    : { prompt: options.prompt ?? '' };
  const result = await generateText({
    model,
    instructions,
    ...prompt,
    tools,
    stopWhen: isStepCount(maxSteps),
    ...(options.signal ? { abortSignal: options.signal } : {}),
  });
  let answer = result.text;
  let usage = toChatUsage(result.totalUsage);
  let steps = result.steps.length;
  if (!answer.trim() && result.finishReason === 'tool-calls') {
    const history: ModelMessage[] = [
      ...(options.messages ?? [{ role: 'user', content: options.prompt ?? '' }]),
      ...result.response.messages,
    ];
    const final = await generateText({
      model,
      instructions,
      messages: history,
      tools,
      toolChoice: 'none',
      ...(options.signal ? { abortSignal: options.signal } : {}),
    });
    answer = final.text;
    usage = addUsage(usage, toChatUsage(final.totalUsage));
    steps += final.steps.length;
  }
  return { answer, toolCalls, usage, steps };
}
