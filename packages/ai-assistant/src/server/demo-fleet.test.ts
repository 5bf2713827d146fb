import { serverPolicy, startFleet, TENANTS } from '@tekup/demo-servers';
import { createGateway, type Gateway } from '@tekup/mcp-gateway';
import { createGatewayClient, type GatewayClient } from '@tekup/mcp-client-web';
import { readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatHandler } from './chat-handler';
import type { ToolSpec } from './chat-request';
import { createOfflineModel } from './resolve-model';
import { runToolLoop } from './run-tool-loop';
import { chatRequest, readChunks, textOf, userMessage } from './test-helpers';

// The offline model against the real demo fleet (billy, calendar, knowledge) through the
// real gateway client: answers are checked against what the servers return directly.
const NOW = new Date('2026-11-24T10:00:00Z');
const SERVERS = ['billy', 'calendar', 'knowledge'] as const;

let fleet: Awaited<ReturnType<typeof startFleet>>;
let gateway: Gateway;
let client: GatewayClient;
let specs: ToolSpec[];

beforeAll(async () => {
  fleet = await startFleet({ basePort: 0, servers: [...SERVERS], now: NOW, stateless: true });
  // The real gateway in process, acting for a member of the first demo organization.
  gateway = createGateway({
    servers: Object.fromEntries(
      SERVERS.map((name) => [name, { instances: fleet.urls[name], ...serverPolicy(name) }]),
    ),
    healthChecks: false,
    authenticate: async () => ({
      id: '10000000-0000-4000-8000-000000000002',
      kind: 'user',
      role: 'member',
      tenantId: TENANTS[0].id,
    }),
  });
  client = createGatewayClient({
    gateway: 'http://gateway.test',
    servers: [...SERVERS],
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) =>
      gateway.fetch(new Request(input, init))) as typeof fetch,
  });
  const listing = await client.listTools();
  specs = listing.tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema as ToolSpec['inputSchema'],
  }));
}, 30_000);

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await fleet?.close();
});

const model = () => createOfflineModel({ now: () => NOW });
const execute = (name: string, args: unknown) =>
  client.callTool(name, args as Record<string, unknown>);
const english = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

async function direct(name: string, args: Record<string, unknown>) {
  const result = await client.callTool(name, args);
  return result.structuredContent as Record<string, unknown> & {
    [key: string]: Array<Record<string, unknown>>;
  };
}

describe('offline model on the demo fleet', () => {
  it('counts and totals paid invoices for a customer like the server does', async () => {
    const expected = await direct('billy__list_invoices', {
      customer: 'Klinik Østerbro',
      status: 'paid',
    });
    const rows = expected.invoices ?? [];
    expect(rows.length).toBeGreaterThan(1);
    const result = await runToolLoop({
      model: model(),
      prompt: 'Show paid invoices for Klinik Østerbro',
      tools: specs,
      execute,
    });
    expect(result.toolCalls.map((call) => call.name)).toEqual(['billy__list_invoices']);
    expect(result.answer).toContain(`Found ${rows.length} invoices.`);
    expect(result.answer).toContain(
      `Total: ${english.format(expected.totalAmount as unknown as number)} DKK.`,
    );
    expect(result.answer).toContain(String(rows[0]?.number));
  });

  it("lists tomorrow's events", async () => {
    const expected = await direct('calendar__list_events', { from: '2026-11-25' });
    const events = expected.events ?? [];
    const result = await runToolLoop({
      model: model(),
      prompt: "What's on my calendar tomorrow?",
      tools: specs,
      execute,
    });
    expect(result.toolCalls[0]).toMatchObject({
      name: 'calendar__list_events',
      args: { from: '2026-11-25', to: '2026-11-25' },
    });
    expect(result.answer).toContain(`Found ${events.length} event`);
    expect(result.answer).toContain(String(events[0]?.title));
  });

  it('answers a how-to question from the documentation', async () => {
    const expected = await direct('knowledge__search_docs', { query: 'approve invoice' });
    const result = await runToolLoop({
      model: model(),
      prompt: 'How do I approve an invoice?',
      tools: specs,
      execute,
    });
    expect(result.toolCalls[0]?.name).toBe('knowledge__search_docs');
    expect(result.answer).toContain(String(expected.results?.[0]?.title));
    expect(result.answer).toContain(String(expected.results?.[0]?.path));
  });

  it('answers in Danish with the VAT summary of this quarter', async () => {
    const expected = await direct('billy__get_vat_summary', {
      from: '2026-10-01',
      to: '2026-12-31',
    });
    const result = await runToolLoop({
      model: model(),
      prompt: 'Hvad er vores momsopgørelse for dette kvartal?',
      tools: specs,
      execute,
    });
    expect(result.toolCalls[0]).toMatchObject({
      name: 'billy__get_vat_summary',
      args: { from: '2026-10-01', to: '2026-12-31' },
    });
    const vat = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 2 });
    expect(result.answer).toContain(`vat: ${vat.format(expected.vat as unknown as number)}`);
    expect(result.answer).toContain('returnerede');
  });

  it('creates a draft invoice from a catalogue product', async () => {
    const result = await runToolLoop({
      model: model(),
      prompt: 'Invoice Nordlys Rengøring for 10 hours of window cleaning',
      tools: specs,
      execute,
    });
    expect(result.toolCalls[0]).toMatchObject({
      name: 'billy__create_invoice',
      args: { customer: 'Nordlys Rengøring', product: 'window cleaning', quantity: 10 },
    });
    expect(result.toolCalls[0]?.error).toBeUndefined();
    const output = result.toolCalls[0]?.result as
      | { structuredContent: { invoice: { number: string } } }
      | undefined;
    const created = output?.structuredContent.invoice;
    expect(created?.number).toMatch(/^\d+$/);
    expect(result.answer).toContain('Created the invoice:');
    expect(result.answer).toContain(`- number: ${created?.number}`);
  });
});

describe('chat handler round trip with the browser role played by the gateway client', () => {
  it('streams a tool call, takes the tool output back and answers', async () => {
    const handler = createChatHandler({ model: model() });
    const tools = specs.map((spec) => ({ ...spec, server: spec.name.split('__')[0] }));
    const messages: UIMessage[] = [userMessage('Vis forfaldne fakturaer')];
    let answer = '';
    for (let round = 0; round < 4 && !answer; round++) {
      const response = await handler(chatRequest({ id: 'chat', messages, tools }));
      expect(response.status).toBe(200);
      const chunks = await readChunks(response);
      const last = messages.at(-1);
      let assistant: UIMessage | undefined;
      for await (const snapshot of readUIMessageStream<UIMessage>({
        ...(last?.role === 'assistant' ? { message: last } : {}),
        stream: new ReadableStream<UIMessageChunk>({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(chunk);
            controller.close();
          },
        }),
      })) {
        assistant = snapshot;
      }
      if (!assistant) throw new Error('no assistant message');
      const calls = chunks.filter((chunk) => chunk.type === 'tool-input-available');
      for (const call of calls) {
        const output = await client.callTool(call.toolName, call.input as Record<string, unknown>);
        assistant = {
          ...assistant,
          parts: assistant.parts.map((part) =>
            'toolCallId' in part && part.toolCallId === call.toolCallId
              ? ({ ...part, state: 'output-available', output } as typeof part)
              : part,
          ),
        };
      }
      if (last?.role === 'assistant') messages.pop();
      messages.push(assistant);
      if (calls.length === 0) answer = textOf(chunks);
    }
    const expected = await direct('billy__list_invoices', { status: 'overdue' });
    expect(answer).toContain(`Fandt ${expected.invoices?.length} fakturaer.`);
  });
});
