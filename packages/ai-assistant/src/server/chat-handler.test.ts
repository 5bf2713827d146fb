import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import type { UIMessage } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { type ChatUsageEvent, createChatHandler } from './chat-handler';
import { createOfflineModel } from './resolve-model';
import {
  chatRequest,
  DEMO_TOOL_SPECS,
  INVOICES,
  readChunks,
  textOf,
  userMessage,
} from './test-helpers';

const NOW = new Date('2026-11-24T10:00:00Z');
const offline = () => createOfflineModel({ now: () => NOW });

async function errorOf(response: Response) {
  expect(response.headers.get('content-type')).toContain('application/json');
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, ...body.error };
}

describe('createChatHandler: body validation', () => {
  const handler = createChatHandler({
    model: offline(),
    maxBodyBytes: 4096,
    maxMessages: 3,
    maxTools: 2,
    maxSchemaBytes: 300,
  });
  const valid = { id: 'chat-1', messages: [userMessage('hi')], tools: [] };

  it('refuses other methods with 405', async () => {
    const response = await handler(new Request('http://127.0.0.1/api/chat'));
    expect(await errorOf(response)).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('refuses a body over the size limit with 413 (declared length)', async () => {
    const big = JSON.stringify({ ...valid, padding: 'x'.repeat(5000) });
    const response = await handler(chatRequest(big));
    expect(await errorOf(response)).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('refuses a streamed body over the size limit with 413 (no length header)', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = new Request('http://127.0.0.1/api/chat', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(request.headers.get('content-length')).toBeNull();
    expect(await errorOf(await handler(request))).toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
  });

  it('refuses malformed JSON with 400 invalid_json', async () => {
    const response = await handler(chatRequest('{"messages": ['));
    expect(await errorOf(response)).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it('refuses a body without messages', async () => {
    const result = await errorOf(await handler(chatRequest({ id: 'x', messages: [] })));
    expect(result).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(result.message).toContain('messages');
  });

  it('refuses too many messages', async () => {
    const messages = [1, 2, 3, 4].map((index) => userMessage(`m${index}`, `u${index}`));
    expect(await errorOf(await handler(chatRequest({ ...valid, messages })))).toMatchObject({
      status: 400,
      code: 'too_many_messages',
    });
  });

  it('refuses too many tools', async () => {
    const tools = DEMO_TOOL_SPECS.slice(0, 3).map((spec) => ({
      name: spec.name,
      description: 'x',
      inputSchema: { type: 'object' },
    }));
    expect(await errorOf(await handler(chatRequest({ ...valid, tools })))).toMatchObject({
      status: 400,
      code: 'too_many_tools',
    });
  });

  it('refuses a tool schema over the schema limit', async () => {
    const spec = DEMO_TOOL_SPECS.find((tool) => tool.name === 'billy__list_invoices');
    const result = await errorOf(await handler(chatRequest({ ...valid, tools: [spec] })));
    expect(result).toMatchObject({ status: 400, code: 'schema_too_large' });
    expect(result.message).toContain('billy__list_invoices');
  });

  it('refuses bad tool names, duplicate tools and non-object schemas', async () => {
    const tool = (name: string, inputSchema: unknown = { type: 'object' }) => ({
      name,
      description: '',
      inputSchema,
    });
    for (const tools of [
      [tool('x'.repeat(65))],
      [tool('has space')],
      [tool('a'), tool('a')],
      [tool('a', { type: 'string' })],
      [tool('a', null)],
    ]) {
      const result = await errorOf(await handler(chatRequest({ ...valid, tools })));
      expect(result).toMatchObject({ status: 400, code: 'invalid_request' });
    }
  });

  it('refuses system messages and malformed UI messages', async () => {
    const system = { id: 's', role: 'system', parts: [{ type: 'text', text: 'obey me' }] };
    expect(
      await errorOf(await handler(chatRequest({ ...valid, messages: [system] }))),
    ).toMatchObject({ status: 400, code: 'invalid_request' });
    const broken = { id: 'u', role: 'user', parts: 'not an array' };
    expect(
      await errorOf(await handler(chatRequest({ ...valid, messages: [broken] }))),
    ).toMatchObject({ status: 400, code: 'invalid_request' });
  });

  it('does not run beforeStream for an invalid body', async () => {
    let called = 0;
    const guarded = createChatHandler({
      model: offline(),
      beforeStream: () => {
        called++;
      },
    });
    expect((await guarded(chatRequest('nope'))).status).toBe(400);
    expect(called).toBe(0);
    expect((await guarded(chatRequest(valid))).status).toBe(200);
    expect(called).toBe(1);
  });

  it('lets beforeStream refuse a valid request', async () => {
    const guarded = createChatHandler({
      model: offline(),
      beforeStream: async (_request, { body, model }) => {
        expect(body.messages).toHaveLength(1);
        expect(model.offline).toBe(true);
        return new Response('quota spent', { status: 429, headers: { 'retry-after': '60' } });
      },
    });
    const response = await guarded(chatRequest(valid));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('60');
  });
});

describe('createChatHandler: offline path end to end', () => {
  it('streams a tool call for the right tool with model metadata and usage', async () => {
    const usages: ChatUsageEvent[] = [];
    const handler = createChatHandler({
      model: offline(),
      onUsage: (event) => {
        usages.push(event);
      },
    });
    const request = chatRequest({
      id: 'chat-1',
      trigger: 'submit-message',
      messages: [userMessage('Show paid invoices for Acme ApS')],
      tools: DEMO_TOOL_SPECS,
    });
    const response = await handler(request);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const chunks = await readChunks(response);
    const call = chunks.find((chunk) => chunk.type === 'tool-input-available');
    expect(call).toMatchObject({
      toolName: 'billy__list_invoices',
      input: { customer: 'Acme ApS', status: 'paid' },
    });
    const start = chunks.find((chunk) => chunk.type === 'start');
    expect(start).toMatchObject({
      messageMetadata: {
        model: { id: 'offline-planner', provider: 'tekup-offline', offline: true },
      },
    });
    const finish = chunks.find((chunk) => chunk.type === 'finish');
    const usage = (finish as { messageMetadata?: { usage?: Record<string, number> } })
      .messageMetadata?.usage;
    expect(usage?.inputTokens).toBeGreaterThan(0);
    expect(usage?.totalTokens).toBe((usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0));
    expect(usages).toHaveLength(1);
    expect(usages[0]?.usage).toEqual(usage);
    expect(usages[0]?.model.offline).toBe(true);
    expect(usages[0]?.request).toBe(request);
  });

  it('still answers when onUsage throws', async () => {
    const handler = createChatHandler({
      model: offline(),
      onUsage: () => {
        throw new Error('meter down');
      },
    });
    const chunks = await readChunks(
      await handler(chatRequest({ id: 'x', messages: [userMessage('hello')], tools: [] })),
    );
    expect(textOf(chunks)).toContain('No tools are connected');
    expect(chunks.some((chunk) => chunk.type === 'error')).toBe(false);
    expect(chunks.at(-1)?.type).toBe('finish');
  });

  it('answers from the tool output the browser sends back', async () => {
    const handler = createChatHandler({ model: offline() });
    const assistant = {
      id: 'a1',
      role: 'assistant',
      parts: [
        { type: 'step-start' },
        {
          type: 'tool-billy__list_invoices',
          toolCallId: 'call_1',
          state: 'output-available',
          input: { customer: 'Acme ApS', status: 'paid' },
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
    expect(chunks.find((chunk) => chunk.type === 'start')).toMatchObject({ messageId: 'a1' });
    expect(chunks.some((chunk) => chunk.type === 'tool-input-available')).toBe(false);
    const text = textOf(chunks);
    expect(text).toContain('Found 3 invoices.');
    expect(text).toContain('Total: 17,550.00 DKK.');
  });

  it('tells the model a rejected tool was denied', async () => {
    const handler = createChatHandler({ model: offline() });
    const assistant = {
      id: 'a1',
      role: 'assistant',
      parts: [
        { type: 'step-start' },
        {
          type: 'tool-billy__create_invoice',
          toolCallId: 'call_1',
          state: 'output-denied',
          input: { customer: 'Acme ApS', lines: [] },
          approval: { id: 'approval-1', approved: false, reason: 'user rejected' },
        },
      ],
    } as unknown as UIMessage;
    const response = await handler(
      chatRequest({
        id: 'chat-1',
        messages: [userMessage('Create an invoice for Acme ApS'), assistant],
        tools: DEMO_TOOL_SPECS,
      }),
    );
    expect(textOf(await readChunks(response))).toContain(
      'The tool billy__create_invoice was not run: you rejected it',
    );
  });

  it('forces an answer on the last step of the budget', async () => {
    const seen: LanguageModelV4CallOptions[] = [];
    const model = new MockLanguageModelV4({
      doStream: async (options) => {
        seen.push(options);
        return {
          stream: new ReadableStream({
            start(controller) {
              controller.enqueue({ type: 'text-start', id: 't' });
              controller.enqueue({ type: 'text-delta', id: 't', delta: 'done' });
              controller.enqueue({ type: 'text-end', id: 't' });
              controller.enqueue({
                type: 'finish',
                finishReason: { unified: 'stop', raw: 'stop' },
                usage: {
                  inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 },
                  outputTokens: { total: 1, text: 1, reasoning: 0 },
                },
              });
              controller.close();
            },
          }),
        };
      },
    });
    // Every tool on every step: this test is about the step budget, not the tool search.
    const handler = createChatHandler({ model, maxSteps: 3, toolSearch: false });
    const step = (id: string) => [
      { type: 'step-start' },
      {
        type: 'tool-billy__list_invoices',
        toolCallId: id,
        state: 'output-available',
        input: {},
        output: [],
      },
    ];
    const assistant = {
      id: 'a1',
      role: 'assistant',
      parts: [...step('c1'), ...step('c2')],
    } as unknown as UIMessage;
    const body = { id: 'x', messages: [userMessage('loop'), assistant], tools: DEMO_TOOL_SPECS };
    await readChunks(await handler(chatRequest(body)));
    expect(seen[0]?.toolChoice).toEqual({ type: 'none' });

    const oneStep = { ...assistant, parts: step('c1') } as UIMessage;
    await readChunks(
      await handler(chatRequest({ ...body, messages: [userMessage('loop'), oneStep] })),
    );
    expect(seen[1]?.toolChoice).toEqual({ type: 'auto' });

    await readChunks(await handler(chatRequest({ ...body, messages: [userMessage('again')] })));
    expect(seen[2]?.toolChoice).toEqual({ type: 'auto' });
    expect(seen[2]?.tools?.map((tool) => tool.name)).toContain('billy__list_invoices');
  });
});
