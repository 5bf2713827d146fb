import type { LanguageModelV4Prompt, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import {
  convertToModelMessages,
  createUIMessageStreamResponse,
  jsonSchema,
  streamText,
  type ToolSet,
  toUIMessageStream,
  type UIMessage,
} from 'ai';
import { resolveToolSafety } from '@tekup/mcp-contract';
import {
  type GatewayTool,
  McpClientError,
  type McpClientErrorCode,
  type ToolResult,
  type ToolSpec,
} from '@tekup/mcp-client-web';
import { MockLanguageModelV4 } from 'ai/test';
import type { AssistantGatewayClient } from '../src/core/types';

/** A chunk list, or a ReadableStream the test controls (e.g. one that never ends). */
export type Turn = LanguageModelV4StreamPart[] | ReadableStream<LanguageModelV4StreamPart>;

export const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** Model output that streams `text` in small deltas and stops. */
export function textTurn(text: string, chunk = 4): LanguageModelV4StreamPart[] {
  const deltas: LanguageModelV4StreamPart[] = [];
  for (let index = 0; index < text.length; index += chunk) {
    deltas.push({ type: 'text-delta', id: 't1', delta: text.slice(index, index + chunk) });
  }
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't1' },
    ...deltas,
    { type: 'text-end', id: 't1' },
    { type: 'finish', usage, finishReason: { unified: 'stop', raw: 'stop' } },
  ];
}

/** Model output that calls one tool. */
export function toolTurn(
  toolName: string,
  input: unknown,
  toolCallId = 'call-1',
): LanguageModelV4StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'tool-call', toolCallId, toolName, input: JSON.stringify(input) },
    { type: 'finish', usage, finishReason: { unified: 'tool-calls', raw: 'tool_calls' } },
  ];
}

/** The last message of a prompt, as the test script sees it. */
function lastPromptMessage(prompt: LanguageModelV4Prompt) {
  return prompt[prompt.length - 1];
}

/** Text of the tool results in the last prompt message (what the browser fed back). */
export function toolResultsOf(
  prompt: LanguageModelV4Prompt,
): Array<{ toolName: string; output: unknown }> {
  const last = lastPromptMessage(prompt);
  if (last?.role !== 'tool') return [];
  return last.content
    .filter((part) => part.type === 'tool-result')
    .map((part) => ({
      toolName: (part as { toolName: string }).toolName,
      output: (part as { output: unknown }).output,
    }));
}

export interface ChatRouteRequest {
  messages: UIMessage[];
  tools: ToolSpec[];
  threadId?: string;
}

/**
 * An in-process chat route with the AI SDK mock model: `script` decides each model turn from
 * the prompt. Returns a `fetch` that serves `POST /api/chat` (the real transport calls it).
 */
export function createChatRoute(
  script: (prompt: LanguageModelV4Prompt, call: number) => Turn,
  options: {
    offline?: boolean;
    respond?: (request: ChatRouteRequest) => Response | undefined;
  } = {},
) {
  const requests: ChatRouteRequest[] = [];
  let calls = 0;
  const model = new MockLanguageModelV4({
    doStream: async ({ prompt }) => {
      const turn = script(prompt, calls++);
      const stream =
        turn instanceof ReadableStream
          ? turn
          : new ReadableStream<LanguageModelV4StreamPart>({
              start(controller) {
                for (const part of turn) controller.enqueue(part);
                controller.close();
              },
            });
      return { stream };
    },
  });

  const handle = async (request: Request): Promise<Response> => {
    const body = (await request.json()) as ChatRouteRequest;
    requests.push(body);
    const early = options.respond?.(body);
    if (early) return early;
    const tools: ToolSet = Object.fromEntries(
      (body.tools ?? []).map((spec) => [
        spec.name,
        { description: spec.description, inputSchema: jsonSchema(spec.inputSchema as never) },
      ]),
    );
    const result = streamText({
      model,
      messages: await convertToModelMessages(body.messages),
      tools,
      abortSignal: request.signal,
    });
    return createUIMessageStreamResponse({
      stream: toUIMessageStream({
        stream: result.stream,
        messageMetadata: ({ part }) =>
          part.type === 'start'
            ? { model: { id: 'mock', provider: 'test', offline: options.offline === true } }
            : undefined,
      }),
    });
  };

  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(new URL(String(input), 'http://localhost'), init);
    return handle(request);
  }) as typeof fetch;

  return { fetch: fetchFn, requests, model };
}

/** A tool definition for {@link createTestGateway}. */
export interface TestTool {
  server: string;
  tool: string;
  description?: string;
  readOnly?: boolean;
  inputSchema?: GatewayTool['inputSchema'];
  run: (
    args: Record<string, unknown>,
    signal: AbortSignal | undefined,
    options?: {
      onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
    },
  ) => Promise<ToolResult> | ToolResult;
}

/**
 * A gateway client over in-test tools (the shape of `@tekup/mcp-client-web`'s client).
 * Records every call; honours abort signals.
 */
export function createTestGateway(
  tools: TestTool[],
  options: {
    failures?: Array<{
      server: string;
      error: { message: string; code?: string; gatewayCode?: string };
    }>;
  } = {},
) {
  const calls: Array<{ name: string; args: Record<string, unknown>; aborted: boolean }> = [];
  const decisions: Array<{ name: string; callId: string; decision: string }> = [];
  const gatewayTools: GatewayTool[] = tools.map((tool) => ({
    name: `${tool.server}_${tool.tool}`,
    server: tool.server,
    tool: tool.tool,
    description: tool.description ?? tool.tool,
    inputSchema: tool.inputSchema ?? { type: 'object', properties: {} },
    annotations: resolveToolSafety({ readOnlyHint: tool.readOnly ?? false }),
  }));
  // what the real client reports for a server that failed to list
  const failures = (options.failures ?? []).map(({ server, error }) => ({
    server,
    error: new McpClientError((error.code as McpClientErrorCode) ?? 'http', error.message, {
      server,
      gatewayCode: error.gatewayCode,
    }),
  }));
  const client: AssistantGatewayClient = {
    async listTools() {
      return { tools: gatewayTools, failures };
    },
    async callTool(name, args = {}, callOptions) {
      const index = gatewayTools.findIndex((tool) => tool.name === name);
      const definition = tools[index];
      if (!definition)
        throw Object.assign(new Error(`unknown tool ${name}`), { code: 'unknown_tool' });
      const record = { name, args, aborted: false };
      calls.push(record);
      callOptions?.signal?.addEventListener('abort', () => {
        record.aborted = true;
      });
      return definition.run(args, callOptions?.signal, callOptions);
    },
    async reportDecision(name, decision) {
      decisions.push({ name, ...decision });
    },
  };
  return { client, calls, decisions, tools: gatewayTools };
}

/** A tool result carrying JSON data (structured content plus its text form). */
export function jsonResult(data: unknown): ToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(data) }],
    // the fakes pass arrays too, which a real server would only send as text
    structuredContent: data as Record<string, unknown>,
  };
}

/** A promise the test resolves by hand. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}
