import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UIMessage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatUsageEvent, createChatHandler } from './chat-handler';
import { resolveModel } from './resolve-model';
import {
  chatRequest,
  DEMO_TOOL_SPECS,
  INVOICES,
  readChunks,
  textOf,
  userMessage,
} from './test-helpers';

interface Received {
  path: string;
  authorization: string | undefined;
  body: {
    model: string;
    stream: boolean;
    messages: Array<{ role: string; content?: unknown; tool_call_id?: string }>;
    tools?: Array<{ type: string; function: { name: string; parameters: unknown } }>;
  };
}

/** A local OpenAI-compatible chat-completions server: a tool call first, text after a tool result. */
function startStub(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      const body = JSON.parse(raw) as Received['body'];
      received.push({
        path: request.url ?? '',
        authorization: request.headers.authorization,
        body,
      });
      if (request.url === '/denied/v1/chat/completions') {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            error: { message: 'Incorrect API key provided', type: 'invalid_request_error' },
          }),
        );
        return;
      }
      if (request.url !== '/v1/chat/completions') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const base = {
        id: 'chatcmpl-stub',
        object: 'chat.completion.chunk',
        created: 1,
        model: body.model,
      };
      const send = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
      const last = body.messages.at(-1);
      const offered = new Set(body.tools?.map((tool) => tool.function.name));
      const callTool = (id: string, name: string, pieces: string[]) => {
        send({
          ...base,
          choices: [
            {
              index: 0,
              delta: {
                role: 'assistant',
                content: null,
                tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }],
              },
              finish_reason: null,
            },
          ],
        });
        for (const piece of pieces) {
          send({
            ...base,
            choices: [
              {
                index: 0,
                delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] },
                finish_reason: null,
              },
            ],
          });
        }
        send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
        send({
          ...base,
          choices: [],
          usage: { prompt_tokens: 21, completion_tokens: 7, total_tokens: 28 },
        });
      };
      const searched = last?.role === 'tool' && last.tool_call_id === 'call_search';
      if (last?.role === 'user' || searched) {
        // The invoice tool when it is offered; otherwise look for it (once).
        if (offered.has('billy__list_invoices')) {
          callTool('call_stub_1', 'billy__list_invoices', [
            '{"status":',
            '"paid",',
            '"customer":"Acme ApS"}',
          ]);
        } else if (offered.has('tool_search') && !searched) {
          callTool('call_search', 'tool_search', ['{"query":', '"list invoices"}']);
        }
      } else {
        const toolResult = body.messages.find((message) => message.role === 'tool');
        const content = String(toolResult?.content ?? '');
        const count = (content.match(/INV-/g) ?? []).length;
        for (const piece of ['There are ', `${count} paid invoices`, ' for Acme ApS.']) {
          send({
            ...base,
            choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
          });
        }
        send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        send({
          ...base,
          choices: [],
          usage: { prompt_tokens: 50, completion_tokens: 9, total_tokens: 59 },
        });
      }
      response.end('data: [DONE]\n\n');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/v1`, received });
    });
  });
}

describe('createChatHandler: OpenAI-compatible path (local stub, no internet)', () => {
  let stub: Awaited<ReturnType<typeof startStub>>;
  const usages: ChatUsageEvent[] = [];
  let handler: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    stub = await startStub();
    handler = createChatHandler({
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: stub.url, OPENAI_MODEL: 'stub-model' },
      onUsage: (event) => {
        usages.push(event);
      },
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => stub.server.close(() => resolve()));
  });

  it('streams the tool call the server chose, with usage in metadata and onUsage', async () => {
    const response = await handler(
      chatRequest({
        id: 'chat-1',
        messages: [userMessage('Show paid invoices for Acme ApS')],
        tools: DEMO_TOOL_SPECS,
      }),
    );
    expect(response.status).toBe(200);
    const chunks = await readChunks(response);

    const request = stub.received.at(-1);
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.authorization).toBe('Bearer sk-test');
    expect(request?.body.model).toBe('stub-model');
    expect(request?.body.stream).toBe(true);
    // The tools that fit the question, and the search for the rest, not the whole catalog.
    const offered = request?.body.tools?.map((tool) => tool.function.name) ?? [];
    expect(offered).toContain('billy__list_invoices');
    expect(offered).toContain('tool_search');
    expect(offered.length).toBeLessThanOrEqual(6);
    expect(DEMO_TOOL_SPECS.length).toBeGreaterThan(12);
    expect(request?.body.messages[0]).toMatchObject({ role: 'system' });
    expect(String(request?.body.messages[0]?.content)).toMatch(
      /Today is \d{4}-\d{2}-\d{2} \(UTC\)/,
    );

    expect(chunks.find((chunk) => chunk.type === 'tool-input-available')).toMatchObject({
      toolCallId: 'call_stub_1',
      toolName: 'billy__list_invoices',
      input: { status: 'paid', customer: 'Acme ApS' },
    });
    const model = { id: 'stub-model', provider: 'openai-compatible', offline: false };
    expect(chunks.find((chunk) => chunk.type === 'start')).toMatchObject({
      messageMetadata: { model },
    });
    expect(chunks.find((chunk) => chunk.type === 'finish')).toMatchObject({
      finishReason: 'tool-calls',
      messageMetadata: { model, usage: { inputTokens: 21, outputTokens: 7, totalTokens: 28 } },
    });
    expect(usages.at(-1)).toMatchObject({
      model,
      usage: { inputTokens: 21, outputTokens: 7, totalTokens: 28 },
    });
  });

  it('loads a tool the question did not rank through tool_search, on the server, and hides the search from the browser', async () => {
    const before = stub.received.length;
    // Danish words the keyword ranking cannot match to the English tool descriptions.
    const response = await handler(
      chatRequest({
        id: 'chat-s',
        messages: [userMessage('Hvad skylder Acme os?')],
        tools: DEMO_TOOL_SPECS,
      }),
    );
    const chunks = await readChunks(response);
    const requests = stub.received.slice(before);
    expect(requests).toHaveLength(2);
    expect(requests[0]?.body.tools?.map((tool) => tool.function.name)).not.toContain(
      'billy__list_invoices',
    );
    expect(requests[1]?.body.tools?.map((tool) => tool.function.name)).toContain(
      'billy__list_invoices',
    );
    expect(chunks.find((chunk) => chunk.type === 'tool-input-available')).toMatchObject({
      toolName: 'billy__list_invoices',
      input: { status: 'paid', customer: 'Acme ApS' },
    });
    expect(JSON.stringify(chunks)).not.toContain('tool_search');
  });

  it('keeps the tools a thread used, and shows every tool with toolSearch: false', async () => {
    const used = {
      id: 'a0',
      role: 'assistant',
      parts: [
        { type: 'step-start' },
        {
          type: 'tool-billy__record_payment',
          toolCallId: 'old',
          state: 'output-available',
          input: {},
          output: { ok: true },
        },
        { type: 'text', text: 'Recorded.' },
      ],
    } as unknown as UIMessage;
    const before = stub.received.length;
    await readChunks(
      await handler(
        chatRequest({
          id: 'chat-u',
          messages: [userMessage('Pay it'), used, userMessage('Show paid invoices for Acme ApS')],
          tools: DEMO_TOOL_SPECS,
        }),
      ),
    );
    expect(stub.received[before]?.body.tools?.map((tool) => tool.function.name)).toContain(
      'billy__record_payment',
    );

    const everything = createChatHandler({
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: stub.url, OPENAI_MODEL: 'stub-model' },
      toolSearch: false,
    });
    await readChunks(
      await everything(
        chatRequest({
          id: 'chat-e',
          messages: [userMessage('Show paid invoices for Acme ApS')],
          tools: DEMO_TOOL_SPECS,
        }),
      ),
    );
    expect(stub.received.at(-1)?.body.tools?.map((tool) => tool.function.name)).toEqual(
      DEMO_TOOL_SPECS.map((spec) => spec.name),
    );
  });

  it('sends the browser tool output back and streams the final text', async () => {
    const assistant = {
      id: 'a1',
      role: 'assistant',
      parts: [
        { type: 'step-start' },
        {
          type: 'tool-billy__list_invoices',
          toolCallId: 'call_stub_1',
          state: 'output-available',
          input: { status: 'paid', customer: 'Acme ApS' },
          output: { invoices: INVOICES },
        },
      ],
    } as unknown as UIMessage;
    const response = await handler(
      chatRequest({
        id: 'chat-1',
        messages: [userMessage('Show paid invoices for Acme ApS'), assistant],
        tools: DEMO_TOOL_SPECS,
      }),
    );
    const chunks = await readChunks(response);
    const toolMessage = stub.received.at(-1)?.body.messages.find((m) => m.role === 'tool');
    expect(toolMessage?.tool_call_id).toBe('call_stub_1');
    expect(textOf(chunks)).toBe('There are 3 paid invoices for Acme ApS.');
    expect(chunks.find((chunk) => chunk.type === 'finish')).toMatchObject({
      messageMetadata: { usage: { inputTokens: 50, outputTokens: 9, totalTokens: 59 } },
    });
    expect(usages.at(-1)?.usage.totalTokens).toBe(59);
  });
});

describe('createChatHandler: model failures', () => {
  it('reports a provider error inside the stream, without the key', async () => {
    const stub = await startStub();
    try {
      const handler = createChatHandler({
        env: {
          OPENAI_API_KEY: 'sk-secret-value',
          OPENAI_BASE_URL: stub.url.replace('/v1', '/denied/v1'),
        },
      });
      const response = await handler(
        chatRequest({ id: 'x', messages: [userMessage('hello')], tools: DEMO_TOOL_SPECS }),
      );
      expect(response.status).toBe(200);
      const chunks = await readChunks(response);
      const error = chunks.find((chunk) => chunk.type === 'error');
      expect(error).toMatchObject({
        errorText: expect.stringContaining('The language model failed: Incorrect API key'),
      });
      expect(JSON.stringify(chunks)).not.toContain('sk-secret-value');
    } finally {
      await new Promise<void>((resolve) => stub.server.close(() => resolve()));
    }
  });
});

describe('resolveModel', () => {
  it('falls back to the offline model without a key', () => {
    const resolved = resolveModel({});
    expect(resolved).toMatchObject({
      id: 'offline-planner',
      provider: 'tekup-offline',
      offline: true,
    });
  });

  it('uses OpenAI with the default model when only a key is set', () => {
    const resolved = resolveModel({ OPENAI_API_KEY: 'sk-test' });
    expect(resolved).toMatchObject({ id: 'gpt-4o-mini', provider: 'openai', offline: false });
    expect(typeof resolved.model === 'object' && resolved.model.modelId).toBe('gpt-4o-mini');
  });

  it('uses chat completions on an OpenAI-compatible server when a base URL is set', () => {
    const resolved = resolveModel({
      OPENAI_API_KEY: 'ollama',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'llama3.2',
    });
    expect(resolved).toMatchObject({ id: 'llama3.2', provider: 'openai-compatible' });
    expect(typeof resolved.model === 'object' && resolved.model.provider).toContain('chat');
  });
});
