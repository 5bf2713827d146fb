import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import type { Vocabulary } from './lexicon/vocabulary';
import { hash, type Plan } from './planner/plan';
import { planResponse } from './planner/plan-response';

/** The provider id of the offline model. */
export const OFFLINE_PROVIDER = 'tekup-offline';
/** The model id of the offline model, the provider's only one. */
export const OFFLINE_MODEL_ID = 'offline-planner';

/** What the offline language model runs on. */
export interface OfflineModelConfig {
  vocabulary: Vocabulary;
  now: () => Date;
  locale: string;
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function usageOf(options: LanguageModelV4CallOptions, output: string): LanguageModelV4Usage {
  const input = estimateTokens(
    JSON.stringify(options.prompt) + JSON.stringify(options.tools ?? []),
  );
  const produced = estimateTokens(output);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: produced, text: produced, reasoning: 0 },
    raw: { estimated: true, inputTokens: input, outputTokens: produced },
  };
}

function finishReasonOf(plan: Plan): LanguageModelV4FinishReason {
  return plan.kind === 'tool-call'
    ? { unified: 'tool-calls', raw: 'tool_calls' }
    : { unified: 'stop', raw: 'stop' };
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason instanceof Error
      ? signal.reason
      : new DOMException('The operation was aborted.', 'AbortError');
  }
}

/** Splits text into word-sized deltas (each keeps its trailing whitespace). */
function deltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/**
 * The offline planner as an AI SDK language model: each step plans from the prompt and the
 * offered tools, then returns (or streams) the text or the one tool call.
 */
export function createOfflineLanguageModel(config: OfflineModelConfig): LanguageModelV4 {
  const plan = (call: LanguageModelV4CallOptions) => {
    checkAborted(call.abortSignal);
    const timestamp = config.now();
    const { vocabulary, locale } = config;
    const planned = planResponse(call, { now: timestamp, locale, vocabulary });
    return {
      plan: planned,
      timestamp,
      id: `offline-${hash(JSON.stringify(call.prompt))}`,
      usage: usageOf(call, planned.kind === 'text' ? planned.text : planned.input),
    };
  };
  return {
    specificationVersion: 'v4',
    provider: OFFLINE_PROVIDER,
    modelId: OFFLINE_MODEL_ID,
    supportedUrls: {},
    async doGenerate(call) {
      const { plan: planned, timestamp, id, usage } = plan(call);
      const content: LanguageModelV4Content[] =
        planned.kind === 'text'
          ? [{ type: 'text', text: planned.text }]
          : [
              {
                type: 'tool-call',
                toolCallId: planned.toolCallId,
                toolName: planned.toolName,
                input: planned.input,
              },
            ];
      return {
        content,
        finishReason: finishReasonOf(planned),
        usage,
        warnings: [],
        response: { id, modelId: OFFLINE_MODEL_ID, timestamp },
      };
    },
    async doStream(call) {
      const { plan: planned, timestamp, id, usage } = plan(call);
      const parts: LanguageModelV4StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'response-metadata', id, modelId: OFFLINE_MODEL_ID, timestamp },
      ];
      if (planned.kind === 'text') {
        parts.push({ type: 'text-start', id: 'text-0' });
        for (const delta of deltas(planned.text)) {
          parts.push({ type: 'text-delta', id: 'text-0', delta });
        }
        parts.push({ type: 'text-end', id: 'text-0' });
      } else {
        parts.push(
          { type: 'tool-input-start', id: planned.toolCallId, toolName: planned.toolName },
          { type: 'tool-input-delta', id: planned.toolCallId, delta: planned.input },
          { type: 'tool-input-end', id: planned.toolCallId },
          {
            type: 'tool-call',
            toolCallId: planned.toolCallId,
            toolName: planned.toolName,
            input: planned.input,
          },
        );
      }
      parts.push({ type: 'finish', finishReason: finishReasonOf(planned), usage });
      let next = 0;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        pull(controller) {
          if (call.abortSignal?.aborted) {
            controller.error(call.abortSignal.reason);
            return;
          }
          const part = parts[next++];
          if (part) controller.enqueue(part);
          else controller.close();
        },
      });
      return { stream };
    },
  };
}
