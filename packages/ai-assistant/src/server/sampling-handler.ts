/**
 * The route that lends the assistant's model to MCP servers (sampling): a server asks, during
 * a tool call, for the model to write something; the person agrees on the call's card; the
 * browser posts the server's `sampling/createMessage` params here and hands the result back.
 * Metered like a chat turn. Text in, text out: image and audio content are refused.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/client/sampling
 */
import { generateText, type ModelMessage } from 'ai';
import { type ChatHandlerOptions, toChatUsage } from './chat-handler';
import { readJsonObject } from './chat-request';
import { ChatRequestError, errorResponse } from './errors';
import {
  describeModel,
  defaultEnv,
  type ModelInfo,
  type ResolvedModel,
  resolveModel,
} from './resolve-model';

/** Options of {@link createSamplingHandler}. */
export interface SamplingHandlerOptions
  extends Pick<ChatHandlerOptions, 'model' | 'env' | 'onUsage' | 'maxBodyBytes' | 'maxJsonDepth'> {
  /** Most tokens one answer may have, whatever the server asks. @default 1000 */
  maxTokens?: number;
  /** Most messages one request may carry. @default 20 */
  maxMessages?: number;
  /** Runs before the model does; return a Response to refuse (sign-in, quota). */
  admit?: (
    request: Request,
    context: { model: ModelInfo },
  ) => Promise<Response | undefined> | Response | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(message: string): ChatRequestError {
  return new ChatRequestError('invalid_request', message);
}

/** The text of one sampling message's content (a block or a list of blocks). */
function textOf(content: unknown, index: number): string {
  const blocks = Array.isArray(content) ? content : [content];
  return blocks
    .map((block) => {
      if (!isRecord(block) || block.type !== 'text' || typeof block.text !== 'string') {
        throw invalid(`params.messages[${index}]: only text content can be sampled here`);
      }
      return block.text;
    })
    .join('\n');
}

/** The validated part of `sampling/createMessage` params the model needs. */
function parseSamplingParams(
  params: unknown,
  limits: { maxTokens: number; maxMessages: number },
): {
  messages: ModelMessage[];
  system: string | undefined;
  maxOutputTokens: number;
  temperature: number | undefined;
} {
  if (!isRecord(params)) throw invalid('"params" must be the sampling request params.');
  const { messages, systemPrompt, maxTokens, temperature } = params;
  if (!Array.isArray(messages) || messages.length === 0)
    throw invalid('params.messages must be a non-empty array.');
  if (messages.length > limits.maxMessages) {
    throw new ChatRequestError(
      'too_many_messages',
      `At most ${limits.maxMessages} messages can be sampled.`,
    );
  }
  const converted: ModelMessage[] = messages.map((message, index) => {
    if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      throw invalid(`params.messages[${index}].role must be "user" or "assistant".`);
    }
    return { role: message.role, content: textOf(message.content, index) };
  });
  if (systemPrompt !== undefined && typeof systemPrompt !== 'string')
    throw invalid('params.systemPrompt must be a string.');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    throw invalid('params.maxTokens must be a positive integer.');
  }
  if (
    temperature !== undefined &&
    (typeof temperature !== 'number' || temperature < 0 || temperature > 2)
  ) {
    throw invalid('params.temperature must be a number from 0 to 2.');
  }
  return {
    messages: converted,
    system: systemPrompt,
    maxOutputTokens: Math.min(maxTokens, limits.maxTokens),
    temperature,
  };
}

/**
 * Creates the sampling route handler: `POST { params }` → `{ result: CreateMessageResult }`.
 * @example
 * // app/api/chat/sampling/route.ts
 * export const POST = createSamplingHandler();
 */
export function createSamplingHandler(
  options: SamplingHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const limits = {
    maxBodyBytes: options.maxBodyBytes ?? 256 * 1024,
    maxJsonDepth: options.maxJsonDepth ?? 64,
    maxTokens: options.maxTokens ?? 1000,
    maxMessages: options.maxMessages ?? 20,
  };
  let resolved: ResolvedModel | undefined;
  const getModel = (): ResolvedModel => {
    resolved ??= options.model
      ? { model: options.model, ...describeModel(options.model) }
      : resolveModel(options.env ?? defaultEnv());
    return resolved;
  };
  return async function handleSampling(request: Request): Promise<Response> {
    let sampled: ReturnType<typeof parseSamplingParams>;
    try {
      const body = await readJsonObject(request, limits);
      sampled = parseSamplingParams(body.params, limits);
    } catch (error) {
      if (error instanceof ChatRequestError) return errorResponse(error);
      throw error;
    }
    const { model, ...info } = getModel();
    const modelInfo: ModelInfo = { id: info.id, provider: info.provider, offline: info.offline };
    const refusal = await options.admit?.(request, { model: modelInfo });
    if (refusal) return refusal;
    const answer = await generateText({
      model,
      ...(sampled.system === undefined ? {} : { instructions: sampled.system }),
      messages: sampled.messages,
      maxOutputTokens: sampled.maxOutputTokens,
      ...(sampled.temperature === undefined ? {} : { temperature: sampled.temperature }),
      abortSignal: request.signal,
    });
    try {
      await options.onUsage?.({ usage: toChatUsage(answer.totalUsage), model: modelInfo, request });
    } catch {
      // Metering must never break the answer.
    }
    return Response.json(
      {
        result: {
          role: 'assistant',
          content: { type: 'text', text: answer.text },
          model: modelInfo.id,
          stopReason: answer.finishReason === 'length' ? 'maxTokens' : 'endTurn',
        },
      },
      { headers: { 'cache-control': 'no-store' } },
    );
  };
}
