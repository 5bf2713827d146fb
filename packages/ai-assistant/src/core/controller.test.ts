import { McpClientError } from '@tekup/mcp-client-web';
import { describe, expect, it, vi } from 'vitest';
import {
  createChatRoute,
  createTestGateway,
  deferred,
  jsonResult,
  textTurn,
  toolResultsOf,
  toolTurn,
} from '../../test/harness';
import { DENIAL_TEXT } from './approvals';
import { systemClock } from './clock';
import { type AssistantController, createAssistantController } from './controller';
import type { AssistantState } from './state';
import { createMemoryThreadStorage } from './storage';

function waitForState(
  controller: AssistantController,
  predicate: (state: AssistantState) => boolean,
) {
  return new Promise<AssistantState>((resolve) => {
    const check = () => {
      const state = controller.getSnapshot();
      if (predicate(state)) {
        unsubscribe();
        resolve(state);
      }
    };
    const unsubscribe = controller.subscribe(check);
    check();
  });
}

const lastText = (state: AssistantState) => {
  const last = state.messages[state.messages.length - 1];
  return last?.role === 'assistant'
    ? last.parts.map((part) => (part.type === 'text' ? part.text : '')).join('')
    : '';
};

function setup(
  script: Parameters<typeof createChatRoute>[0],
  options: { readOnly?: boolean; run?: () => Promise<void> } = {},
) {
  const route = createChatRoute(script);
  const gateway = createTestGateway([
    {
      server: 'billy',
      tool: 'list_invoices',
      readOnly: options.readOnly ?? true,
      run: async () => {
        await options.run?.();
        return jsonResult({ invoices: [{ id: 'INV-1' }] });
      },
    },
  ]);
  const storage = createMemoryThreadStorage();
  const controller = createAssistantController({
    servers: ['billy'],
    client: gateway.client,
    fetch: route.fetch,
    storage,
    threadKey: 't',
  });
  return { route, gateway, storage, controller };
}

describe('createAssistantController (no React)', () => {
  it('runs the loop: tool call in the client, result back to the route, answer, persisted', async () => {
    const { controller, gateway, route, storage } = setup((prompt, call) =>
      call === 0
        ? toolTurn('billy_list_invoices', { customer: 'Acme' })
        : textTurn(`rows: ${JSON.stringify(toolResultsOf(prompt)[0]?.output).includes('INV-1')}`),
    );
    await controller.send('Find invoices');
    const state = await waitForState(
      controller,
      (current) => lastText(current) === 'rows: true' && current.status === 'ready',
    );
    expect(gateway.calls).toEqual([
      { name: 'billy_list_invoices', args: { customer: 'Acme' }, aborted: false },
    ]);
    expect(route.requests[0]?.tools.map((tool) => tool.name)).toEqual(['billy_list_invoices']);
    expect(route.requests[0]?.threadId).toBe(state.threadId);
    expect(state.announcement).toBe('rows: true');
    const call = Object.values(state.calls)[0];
    expect(call?.phase).toBe('done');
    expect(call?.endedAt).toBeGreaterThanOrEqual(call?.startedAt ?? Number.POSITIVE_INFINITY);
    // written in idle time, after the turn
    await vi.waitFor(() => expect(storage.load('t')).toHaveLength(2));
  });

  it('holds non-read-only calls until approve or reject', async () => {
    const { controller, gateway, route } = setup(
      (prompt, call) =>
        call === 0
          ? toolTurn('billy_list_invoices', {})
          : textTurn(JSON.stringify(toolResultsOf(prompt)[0]?.output)),
      { readOnly: false },
    );
    await controller.send('Do it');
    const pending = await waitForState(
      controller,
      (state) => Object.keys(state.approvals).length === 1,
    );
    expect(gateway.calls).toHaveLength(0);
    const [id] = Object.keys(pending.approvals);
    controller.reject(id!);
    const done = await waitForState(
      controller,
      (state) => lastText(state).length > 0 && state.status === 'ready',
    );
    expect(lastText(done)).toContain(DENIAL_TEXT);
    expect(gateway.calls).toHaveLength(0);
    expect(route.requests).toHaveLength(2);
  });

  it('stop aborts a running tool call and leaves no dangling call in the history', async () => {
    const gate = deferred();
    const { controller, gateway, route } = setup(
      (_prompt, call) => (call === 0 ? toolTurn('billy_list_invoices', {}) : textTurn('late')),
      { run: () => gate.promise },
    );
    await controller.send('Go');
    await waitForState(controller, (state) =>
      Object.values(state.calls).some((call) => call.phase === 'running'),
    );
    await controller.stop();
    gate.resolve();
    const state = controller.getSnapshot();
    expect(gateway.calls[0]?.aborted).toBe(true);
    const part = state.messages.at(-1)?.parts.find((item) => item.type.startsWith('tool-')) as {
      state: string;
    };
    expect(part.state).toBe('output-error');
    expect(route.requests).toHaveLength(1);
  });

  it('bounds the automatic tool loop by maxSteps', async () => {
    const route = createChatRoute((_prompt, call) =>
      toolTurn('billy_list_invoices', {}, `c${call}`),
    );
    const gateway = createTestGateway([
      { server: 'billy', tool: 'list_invoices', readOnly: true, run: () => jsonResult([]) },
    ]);
    const controller = createAssistantController({
      servers: ['billy'],
      client: gateway.client,
      fetch: route.fetch,
      storage: false,
      maxSteps: 3,
    });
    await controller.send('loop forever');
    await waitForState(controller, (state) => state.stepLimitReached && state.status === 'ready');
    expect(route.requests).toHaveLength(3);
    expect(gateway.calls).toHaveLength(3);
  });

  it('restores a stored thread and marks interrupted tool calls as failed', () => {
    const storage = createMemoryThreadStorage();
    storage.save('k', [
      { id: 'u', role: 'user', parts: [{ type: 'text', text: 'hi' }] },
      {
        id: 'a',
        role: 'assistant',
        parts: [{ type: 'tool-billy_x', toolCallId: 'c', state: 'input-available', input: {} }],
      },
    ]);
    const controller = createAssistantController({
      servers: [],
      client: createTestGateway([]).client,
      storage,
      threadKey: 'k',
    });
    const part = controller.getSnapshot().messages[1]?.parts[0] as {
      state: string;
      errorText: string;
    };
    expect(part.state).toBe('output-error');
    expect(part.errorText).toMatch(/interrupted/);
  });

  it('sends only the newest part of a long thread, from a user message on', async () => {
    const storage = createMemoryThreadStorage();
    storage.save(
      'long',
      Array.from({ length: 250 }, (_, index) => ({
        id: `m${index}`,
        role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
        parts: [{ type: 'text' as const, text: `message ${index}` }],
      })),
    );
    const route = createChatRoute(() => textTurn('ok'));
    const controller = createAssistantController({
      servers: [],
      client: createTestGateway([]).client,
      fetch: route.fetch,
      storage,
      threadKey: 'long',
    });
    await controller.send('latest');
    await waitForState(controller, (state) => lastText(state) === 'ok' && state.status === 'ready');
    const sent = route.requests[0]!.messages;
    expect(sent.length).toBeLessThanOrEqual(100);
    expect(sent[0]?.role).toBe('user');
    expect(sent.at(-1)?.parts).toEqual([{ type: 'text', text: 'latest' }]);
    expect(controller.getSnapshot().messages).toHaveLength(252);
  });

  it('reports isError results and unknown tools to the model as tool errors', async () => {
    const seen: unknown[] = [];
    const route = createChatRoute((prompt, call) => {
      if (call === 0) return toolTurn('billy_fails', {}, 'c0');
      if (call === 1) {
        seen.push(toolResultsOf(prompt)[0]?.output);
        return toolTurn('billy_does_not_exist', {}, 'c1');
      }
      seen.push(toolResultsOf(prompt)[0]?.output);
      return textTurn('done');
    });
    const gateway = createTestGateway([
      {
        server: 'billy',
        tool: 'fails',
        readOnly: true,
        run: () => ({ content: [{ type: 'text', text: 'Customer not found' }], isError: true }),
      },
    ]);
    const controller = createAssistantController({
      servers: ['billy'],
      client: gateway.client,
      fetch: route.fetch,
      storage: false,
    });
    await controller.send('go');
    await waitForState(
      controller,
      (state) => lastText(state) === 'done' && state.status === 'ready',
    );
    expect(JSON.stringify(seen[0])).toContain('Customer not found');
    expect(JSON.stringify(seen[1])).toMatch(/unavailable tool 'billy_does_not_exist'|Unknown tool/);
  });

  it('retries servers that failed to list before a send, at most every 30 s', async () => {
    let now = 1_000_000;
    const clock = { ...systemClock, now: () => now };
    let listings = 0;
    let healthy = false;
    const { tools } = createTestGateway([
      { server: 'billy', tool: 'list_invoices', readOnly: true, run: () => jsonResult([]) },
    ]);
    const route = createChatRoute(() => textTurn('ok'));
    const controller = createAssistantController({
      servers: ['billy'],
      storage: false,
      fetch: route.fetch,
      clock,
      client: {
        listTools: async () => {
          listings++;
          return healthy
            ? { tools, failures: [] }
            : {
                tools: [],
                failures: [
                  {
                    server: 'billy',
                    error: new McpClientError('http', 'down', {
                      gatewayCode: 'upstream_unavailable',
                    }),
                  },
                ],
              };
        },
        callTool: async () => ({ content: [] }),
      },
    });
    const ask = async (text: string) => {
      const before = route.requests.length;
      await controller.send(text);
      await waitForState(
        controller,
        (state) => route.requests.length > before && state.status === 'ready',
      );
      return route.requests.at(-1)!;
    };
    expect((await ask('one')).tools).toEqual([]);
    healthy = true;
    now += 10_000;
    expect((await ask('two')).tools).toEqual([]);
    expect(listings).toBe(1);
    now += 31_000;
    expect((await ask('three')).tools.map((tool) => tool.name)).toEqual(['billy_list_invoices']);
    expect(listings).toBe(2);
    expect(controller.getSnapshot().failures).toEqual([]);
  });
});
