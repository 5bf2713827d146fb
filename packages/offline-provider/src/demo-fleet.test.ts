import type { LanguageModelV4FunctionTool } from '@ai-sdk/provider';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type RunningFleet, startFleet } from '@tekup/demo-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, offlineModel } from './test/helpers';

// The planner with the Tekup demo lexicon against the real demo fleet's tool list: the
// requests the dashboard's quick actions and the e2e suite send.
const SERVERS = ['billy', 'calendar', 'knowledge'] as const;

let fleet: RunningFleet;
let tools: LanguageModelV4FunctionTool[];

beforeAll(async () => {
  fleet = await startFleet({ basePort: 0, servers: [...SERVERS], now: NOW, stateless: true });
  tools = [];
  for (const server of SERVERS) {
    const client = new Client({ name: 'offline-provider-test', version: '0.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(fleet.urls[server][0] ?? '')));
    const listing = await client.listTools();
    await client.close();
    for (const tool of listing.tools) {
      tools.push({
        type: 'function',
        // Named as the gateway client namespaces them: `{server}__{tool}`.
        name: `${server}__${tool.name}`,
        ...(tool.description ? { description: tool.description } : {}),
        inputSchema: tool.inputSchema as LanguageModelV4FunctionTool['inputSchema'],
      });
    }
  }
}, 30_000);

afterAll(async () => {
  await fleet?.close();
});

async function plan(text: string) {
  const model = offlineModel({ now: () => NOW });
  const { content } = await model.doGenerate({
    prompt: [{ role: 'user', content: [{ type: 'text', text }] }],
    tools,
  });
  const [part] = content;
  if (part?.type === 'tool-call') return { tool: part.toolName, input: JSON.parse(part.input) };
  return { text: part?.type === 'text' ? part.text : '' };
}

describe('the offline model on the demo fleet’s tools', () => {
  const billy = (tool: string, input: Record<string, unknown>) => ({
    tool: `billy__${tool}`,
    input,
  });
  const tomorrow = {
    tool: 'calendar__list_events',
    input: { from: '2026-11-25', to: '2026-11-25' },
  };
  it.each([
    [
      'Find invoices for Nordlys Rengøring',
      billy('list_invoices', { customer: 'Nordlys Rengøring' }),
    ],
    ['Find invoices for Havnens Café', billy('list_invoices', { customer: 'Havnens Café' })],
    ['Show all invoices', billy('list_invoices', {})],
    ['Show all customers', billy('list_customers', {})],
    ['List customers named Evil', billy('list_customers', { search: 'named Evil' })],
    ['Check my calendar tomorrow', tomorrow],
    ['Hvad har jeg i kalenderen i morgen?', tomorrow],
    [
      'Check my calendar next monday',
      { tool: 'calendar__list_events', input: { from: '2026-11-30', to: '2026-11-30' } },
    ],
    [
      'What does the documentation say about the MCP gateway?',
      { tool: 'knowledge__search_docs', input: { query: 'MCP gateway' } },
    ],
    ['How do I report VAT (moms) for a quarter?', billy('get_vat_summary', {})],
    [
      'Create an invoice for Hotel Kronborg for 3 hours of office cleaning',
      billy('create_invoice', {
        customer: 'Hotel Kronborg',
        product: 'office cleaning',
        quantity: 3,
      }),
    ],
    [
      'Create an invoice for Nordlys Rengøring for 10 hours of window cleaning at 450 kr',
      billy('create_invoice', {
        customer: 'Nordlys Rengøring',
        lines: [{ description: 'window cleaning', quantity: 10, unitPrice: 450 }],
      }),
    ],
    [
      'Vis betalte fakturaer for Klinik Østerbro',
      billy('list_invoices', { customer: 'Klinik Østerbro', status: 'paid' }),
    ],
  ])('%s', async (text, expected) => {
    expect(await plan(text)).toEqual(expected);
  });
});
