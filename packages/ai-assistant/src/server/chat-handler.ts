import { toAiSdkTools } from '@tekup/mcp-client-web/ai';
import {
  convertToModelMessages,
  createUIMessageStreamResponse,
  isStepCount,
  type LanguageModel,
  type LanguageModelUsage,
  streamText,
  type Tool,
  toolSearch,
  toUIMessageStream,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import { type ChatRequestBody, parseChatRequest } from './chat-request';
import { ChatRequestError, errorResponse } from './errors';
import {
  preloadedTools,
  rankToolsByKeywords,
  TOOL_SEARCH_NAME,
  type ToolSearchOptions,
} from './tool-selection';
import {
  defaultEnv,
  describeModel,
  type ModelEnv,
  type ModelInfo,
  type ResolvedModel,
  resolveModel,
} from './resolve-model';

/** Token counts of one response. */
export interface ChatUsage {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  totalTokens: number | undefined;
}

/** Metadata on every assistant message the handler streams (start and finish). */
export interface ChatMessageMetadata {
  model: ModelInfo;
  /** Present on finish. */
  usage?: ChatUsage;
}

/** What {@link ChatHandlerOptions.onUsage} receives once a response has finished. */
export interface ChatUsageEvent {
  usage: ChatUsage;
  model: ModelInfo;
  request: Request;
}

/** What `beforeStream` returns: a Response refuses the request, nothing lets it through. */
// biome-ignore lint/suspicious/noConfusingVoidType: hooks that return nothing must type-check
export type BeforeStreamResult = Response | undefined | void;

/** Options of {@link createChatHandler}. */
export interface ChatHandlerOptions {
  /** The model; when absent it is picked from `env` (see {@link resolveModel}). */
  model?: LanguageModel;
  /** Instructions (system prompt) for the model. @default DEFAULT_INSTRUCTIONS plus today's date */
  instructions?: string;
  /**
   * Model steps per user message, across the browser's tool round trips; the last one must
   * answer in text. @default 8
   */
  maxSteps?: number;
  /** Tools one request may offer. @default 64 */
  maxTools?: number;
  /**
   * Shows the model only the tools a turn plausibly needs — those the thread used and the best
   * ranked for the user's words — plus a `tool_search` tool that loads any other on demand.
   * Cuts the prompt by the definitions of every tool not shown. `false` shows every tool every
   * time. Hosted models only: the offline model costs no tokens and reads the whole catalog
   * with its own vocabulary. @default on, with {@link rankToolsByKeywords}
   */
  toolSearch?: false | ToolSearchOptions;
  /** Largest request body in bytes. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /** Messages one request may carry. @default 200 */
  maxMessages?: number;
  /** Largest JSON Schema of a single tool, in bytes. @default 16384 */
  maxSchemaBytes?: number;
  /** Deepest JSON nesting of a request body. @default 64 */
  maxJsonDepth?: number;
  /** Where `OPENAI_API_KEY`, `OPENAI_MODEL` and `OPENAI_BASE_URL` are read. @default process.env */
  env?: ModelEnv;
  /** Called once per finished response with its token usage, e.g. to meter it. */
  onUsage?: (event: ChatUsageEvent) => void | Promise<void>;
  /**
   * Runs after the body is validated and before the model starts; return a Response to
   * refuse the request (e.g. a 429 when a quota is spent).
   */
  beforeStream?: (
    request: Request,
    context: { body: ChatRequestBody; model: ModelInfo },
  ) => Promise<BeforeStreamResult> | BeforeStreamResult;
}

/** The instructions used when the host gives none. */
export const DEFAULT_INSTRUCTIONS =
  'You are the Tekup assistant. Answer briefly and factually. Use the available tools to look ' +
  'things up or make changes in Tekup systems instead of guessing; when a tool fails or is ' +
  'rejected, say so plainly. Never invent data that no tool returned.';

/** The default instructions plus today's date, which models need for "tomorrow" or "this month". */
export function defaultInstructions(now: Date = new Date()): string {
  return `${DEFAULT_INSTRUCTIONS} Today is ${now.toISOString().slice(0, 10)} (UTC).`;
}

const DEFAULTS = {
  toolSearch: { preload: 5, maxResults: 5, minTools: 12 },
  maxSteps: 8,
  maxTools: 64,
  maxBodyBytes: 1024 * 1024,
  maxMessages: 200,
  maxSchemaBytes: 16 * 1024,
  maxJsonDepth: 64,
};

/** Converts AI SDK usage to the three numbers the product reports. */
export function toChatUsage(usage: LanguageModelUsage | undefined): ChatUsage {
  return {
    inputTokens: usage?.inputTokens,
    outputTokens: usage?.outputTokens,
    totalTokens:
      usage?.totalTokens ??
      (usage?.inputTokens !== undefined || usage?.outputTokens !== undefined
        ? (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0)
        : undefined),
  };
}

/** Model steps already taken since the last user message (one per `step-start` part). */
function stepsSinceLastUser(messages: readonly UIMessage[]): number {
  let steps = 0;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (!message || message.role === 'user') break;
    steps += message.parts.filter((part) => part.type === 'step-start').length;
  }
  return steps;
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const trimmed = message.length > 300 ? `${message.slice(0, 297)}…` : message;
  return `The language model failed: ${trimmed}`;
}

/**
 * Creates the chat route handler: a Web `(Request) => Promise<Response>` for Next.js route
 * handlers (Node or edge runtime) and any other Fetch-API server. It validates the body,
 * offers the browser's tools to the model without executing them, streams the UI message
 * stream back (tool calls included) and reports token usage in message metadata and
 * through `onUsage`.
 *
 * @example
 * ```ts
 * // app/api/chat/route.ts
 * import { createChatHandler } from '@tekup/ai-assistant/server';
 * export const POST = createChatHandler();
 * ```
 */
export function createChatHandler(
  options: ChatHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const limits = {
    maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    maxMessages: options.maxMessages ?? DEFAULTS.maxMessages,
    maxTools: options.maxTools ?? DEFAULTS.maxTools,
    maxSchemaBytes: options.maxSchemaBytes ?? DEFAULTS.maxSchemaBytes,
    maxJsonDepth: options.maxJsonDepth ?? DEFAULTS.maxJsonDepth,
  };
  const maxSteps = Math.max(1, options.maxSteps ?? DEFAULTS.maxSteps);
  let resolved: ResolvedModel | undefined;
  // Resolved on first use, so a module-level handler reads env at request time.
  const getModel = (): ResolvedModel => {
    if (!resolved) {
      resolved = options.model
        ? { model: options.model, ...describeModel(options.model) }
        : resolveModel(options.env ?? defaultEnv());
    }
    return resolved;
  };

  return async function handleChat(request: Request): Promise<Response> {
    let body: ChatRequestBody;
    try {
      body = await parseChatRequest(request, limits);
    } catch (error) {
      if (error instanceof ChatRequestError) return errorResponse(error);
      throw error;
    }
    const { model, ...info } = getModel();
    const modelInfo: ModelInfo = { id: info.id, provider: info.provider, offline: info.offline };
    if (options.beforeStream) {
      const refusal = await options.beforeStream(request, { body, model: modelInfo });
      if (refusal) return refusal;
    }

    // no execute: the tool calls stream to the browser, which runs them through the gateway
    const tools: Record<string, Tool> = toAiSdkTools(body.tools);
    const search =
      options.toolSearch === false || modelInfo.offline
        ? undefined
        : { ...DEFAULTS.toolSearch, rank: rankToolsByKeywords, ...options.toolSearch };
    if (search && body.tools.length >= search.minTools) {
      const shown = await preloadedTools(body.tools, body.messages, search);
      for (const [name, tool] of Object.entries(tools)) {
        if (!shown.has(name)) tools[name] = { ...tool, deferLoading: true };
      }
      const specs = new Map(body.tools.map((spec) => [spec.name, spec]));
      tools[TOOL_SEARCH_NAME] = toolSearch({
        maxResults: search.maxResults,
        search: ({ query, tools: candidates }) =>
          search.rank(
            query,
            candidates.flatMap((candidate) => specs.get(candidate.name) ?? []),
          ) as string[] | PromiseLike<string[]>,
      });
    }
    let modelMessages: Awaited<ReturnType<typeof convertToModelMessages>>;
    try {
      modelMessages = await convertToModelMessages(body.messages, {
        tools,
        ignoreIncompleteToolCalls: true,
      });
    } catch (error) {
      return errorResponse(
        new ChatRequestError(
          'invalid_request',
          `"messages" cannot be converted for the model: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      );
    }
    const used = stepsSinceLastUser(body.messages);
    // The step about to run is the last one allowed: the model must answer, not call a tool
    // whose result no later step would read.
    const lastStep = used + 1 >= maxSteps;
    let reported = false;
    const report = async (usage: LanguageModelUsage | undefined) => {
      if (reported || !options.onUsage) return;
      reported = true;
      try {
        await options.onUsage({ usage: toChatUsage(usage), model: modelInfo, request });
      } catch {
        // Metering must never break the user's answer.
      }
    };

    const result = streamText({
      model,
      instructions: options.instructions ?? defaultInstructions(),
      messages: modelMessages,
      tools,
      ...(lastStep ? { toolChoice: 'none' as const } : {}),
      stopWhen: isStepCount(Math.max(1, maxSteps - used)),
      abortSignal: request.signal,
      onEnd: async (event) => {
        await report(event.totalUsage);
      },
    });

    return createUIMessageStreamResponse({
      stream: withoutToolSearch(
        toUIMessageStream({
          stream: result.stream,
          tools,
          originalMessages: body.messages,
          onError: errorText,
          redactToolErrors: false,
          messageMetadata: ({ part }): ChatMessageMetadata | undefined => {
            if (part.type === 'start') return { model: modelInfo };
            if (part.type === 'finish') {
              return { model: modelInfo, usage: toChatUsage(part.totalUsage) };
            }
            return undefined;
          },
        }),
      ),
    });
  };
}

/**
 * The search runs here, on the server; the browser has nothing to run or show for it (and would
 * report an unknown tool), so its parts stay out of the UI stream. The tools it loaded are
 * called in the next step, and stay loaded in later requests as tools the thread used.
 */
function withoutToolSearch(stream: ReadableStream<UIMessageChunk>): ReadableStream<UIMessageChunk> {
  const searches = new Set<string>();
  return stream.pipeThrough(
    new TransformStream<UIMessageChunk, UIMessageChunk>({
      transform(chunk, controller) {
        const call = chunk as { toolCallId?: unknown; toolName?: unknown };
        if (typeof call.toolCallId === 'string') {
          if (call.toolName === TOOL_SEARCH_NAME) searches.add(call.toolCallId);
          if (searches.has(call.toolCallId)) return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}
