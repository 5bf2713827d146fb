import {
  generateText,
  isStepCount,
  jsonSchema,
  type ModelMessage,
  streamText,
  type Tool,
} from 'ai';
import { describe, expect, it } from 'vitest';
import { createOfflineModel } from './offline-model';
import { DEMO_TOOL_SPECS, EXTRA_TOOL_SPECS } from './test-tools';

// Tuesday 24 November 2026.
const NOW = new Date('2026-11-24T10:00:00Z');

function demoTools(
  execute?: (name: string, args: unknown) => Promise<unknown>,
  specs = DEMO_TOOL_SPECS,
) {
  const tools: Record<string, Tool> = {};
  for (const spec of specs) {
    tools[spec.name] = {
      description: spec.description,
      inputSchema: jsonSchema(spec.inputSchema),
      ...(execute ? { execute: (args: unknown) => execute(spec.name, args) } : {}),
    } as Tool;
  }
  return tools;
}

async function firstCall(prompt: string, specs = DEMO_TOOL_SPECS) {
  const result = await generateText({
    model: createOfflineModel({ now: () => NOW }),
    prompt,
    tools: demoTools(undefined, specs),
  });
  const [call] = result.toolCalls;
  return { call, text: result.text, finishReason: result.finishReason };
}

describe('offline model: tool choice and arguments', () => {
  const table: Array<[string, string, Record<string, unknown>]> = [
    ['Find invoices for Client X', 'billy__list_invoices', { customer: 'Client X' }],
    [
      'Show paid invoices for Acme ApS from last month',
      'billy__list_invoices',
      { customer: 'Acme ApS', status: 'paid', from: '2026-10-01', to: '2026-10-31' },
    ],
    [
      'overdue invoices over DKK 5000',
      'billy__list_invoices',
      { status: 'overdue', minAmount: 5000 },
    ],
    ['top 3 unpaid invoices', 'billy__list_invoices', { status: 'overdue', limit: 3 }],
    [
      'invoices between 1.000 kr and 2.500,50 kr',
      'billy__list_invoices',
      { minAmount: 1000, maxAmount: 2500.5 },
    ],
    ['invoices for acme', 'billy__list_invoices', { customer: 'acme' }],
    [
      'Vis betalte fakturaer for Hansen & Søn',
      'billy__list_invoices',
      { customer: 'Hansen & Søn', status: 'paid' },
    ],
    [
      'Hvilke fakturaer er sendt i denne måned?',
      'billy__list_invoices',
      {
        status: 'sent',
        from: '2026-11-01',
        to: '2026-11-30',
      },
    ],
    [
      'Create an invoice for Acme ApS for 10 hours of consulting at 950 kr',
      'billy__create_invoice',
      {
        customer: 'Acme ApS',
        lines: [{ description: 'consulting', quantity: 10, unitPrice: 950 }],
      },
    ],
    [
      'Opret en faktura til Hansen & Søn ApS på 10 timer konsulentbistand à 1.250 kr',
      'billy__create_invoice',
      {
        customer: 'Hansen & Søn ApS',
        lines: [{ description: 'konsulentbistand', quantity: 10, unitPrice: 1250 }],
      },
    ],
    [
      "What's on my calendar tomorrow?",
      'calendar__list_events',
      { from: '2026-11-25', to: '2026-11-25' },
    ],
    [
      'Hvad har jeg i kalenderen i morgen?',
      'calendar__list_events',
      {
        from: '2026-11-25',
        to: '2026-11-25',
      },
    ],
    ['meetings next week', 'calendar__list_events', { from: '2026-11-30', to: '2026-12-06' }],
    ['Any meetings on Friday?', 'calendar__list_events', { from: '2026-11-27', to: '2026-11-27' }],
    [
      'calendar from 2026-12-01 to 2026-12-03',
      'calendar__list_events',
      { from: '2026-12-01', to: '2026-12-03' },
    ],
    ['Check calendar', 'calendar__list_events', { from: '2026-11-24' }],
    ['Search the docs for refund policy', 'knowledge__search_docs', { query: 'refund policy' }],
    [
      'search the docs for "travel expenses"',
      'knowledge__search_docs',
      {
        query: 'travel expenses',
      },
    ],
    ['How do I reset my password?', 'knowledge__search_docs', { query: 'reset password' }],
    [
      'Søg i dokumentationen efter ferieregler',
      'knowledge__search_docs',
      {
        query: 'ferieregler',
      },
    ],
    [
      'How many customers are in the database?',
      'database__query',
      { sql: 'SELECT COUNT(*) AS count FROM customers' },
    ],
    [
      'run this SQL: SELECT name FROM customers LIMIT 5',
      'database__query',
      { sql: 'SELECT name FROM customers LIMIT 5' },
    ],
  ];

  it.each(table)('%s → %s', async (prompt, tool, args) => {
    const { call, finishReason } = await firstCall(prompt);
    expect(finishReason).toBe('tool-calls');
    expect(call?.toolName).toBe(tool);
    expect(call?.input).toEqual(args);
  });

  const ALL_TOOLS = [...DEMO_TOOL_SPECS, ...EXTRA_TOOL_SPECS];
  const neighbours: Array<[string, string, Record<string, unknown>]> = [
    ['Show invoice 1036', 'billy__get_invoice', { invoiceId: '1036' }],
    ['Vis faktura nr. 1036', 'billy__get_invoice', { invoiceId: '1036' }],
    [
      'Send invoice 1036 to anna@example.dk',
      'billy__send_invoice',
      { invoiceId: '1036', email: 'anna@example.dk' },
    ],
    ['Who is Lars Nielsen?', 'billy__list_customers', { search: 'Lars Nielsen' }],
    [
      'Which invoices has Acme ApS paid?',
      'billy__list_invoices',
      {
        customer: 'Acme ApS',
        status: 'paid',
      },
    ],
    ['What does window cleaning cost?', 'billy__list_products', { search: 'window cleaning' }],
    ['Hvad koster vinduespudsning?', 'billy__list_products', { search: 'vinduespudsning' }],
    ['How many customers do we have?', 'billy__list_customers', { limit: 100 }],
    [
      'Book a meeting with Bageriet Hansen tomorrow at 10',
      'calendar__create_event',
      {
        title: 'Meeting with Bageriet Hansen',
        start: '2026-11-25T10:00:00.000Z',
        type: 'meeting',
        customer: 'Bageriet Hansen',
      },
    ],
    ['Show me the vault documents about pricing', 'vault__search_vault', { query: 'pricing' }],
    ['Get vault document doc_004', 'vault__get_document', { documentId: 'doc_004' }],
    [
      'Show overdue invoices\n\n(Context: client cus_001)',
      'billy__list_invoices',
      { status: 'overdue' },
    ],
    ['How do I approve an invoice?', 'knowledge__search_docs', { query: 'approve invoice' }],
    ['Which customers owe us money?', 'billy__list_invoices', { status: 'overdue' }],
    ['Vis kladder', 'billy__list_invoices', { status: 'draft' }],
    ['Find Nordlys Rengøring', 'billy__list_customers', { search: 'Nordlys Rengøring' }],
    ['Get customer cus_003', 'billy__get_customer', { customer: 'cus_003' }],
    [
      'Record a payment of 1.000 kr on invoice 1012 via MobilePay',
      'billy__record_payment',
      { invoiceId: '1012', amount: 1000, method: 'mobilepay' },
    ],
    [
      'Cancel the event evt_0005 because the customer is sick',
      'calendar__cancel_event',
      { eventId: 'evt_0005', reason: 'the customer is sick' },
    ],
    ['Describe the invoices table', 'database__describe_table', { table: 'invoices' }],
    [
      'Search the code for createChatHandler',
      'code-intelligence__search_code',
      { query: 'createChatHandler' },
    ],
    ['Where is startServer defined?', 'code-intelligence__find_symbol', { name: 'startServer' }],
    [
      'Open the file packages/mcp-gateway/package.json',
      'code-intelligence__get_file',
      { path: 'packages/mcp-gateway/package.json' },
    ],
    ['What does the Tekup gateway do?', 'knowledge__search_docs', { query: 'Tekup gateway' }],
    ['How much does carpet cleaning cost?', 'billy__list_products', { search: 'carpet cleaning' }],
    [
      'Hvad skal jeg lave i morgen?',
      'calendar__list_events',
      {
        from: '2026-11-25',
        to: '2026-11-25',
      },
    ],
    [
      'Book en inspektion hos Jensens Fisk på fredag kl. 13',
      'calendar__create_event',
      {
        title: 'Inspektion hos Jensens Fisk',
        start: '2026-11-27T13:00:00.000Z',
        type: 'inspection',
        customer: 'Jensens Fisk',
      },
    ],
    [
      'Registrer en betaling på 2.500 kr på faktura 1036',
      'billy__record_payment',
      { invoiceId: '1036', amount: 2500 },
    ],
  ];

  it.each(neighbours)('among more tools: %s → %s', async (prompt, tool, args) => {
    const { call } = await firstCall(prompt, ALL_TOOLS);
    expect(call?.toolName).toBe(tool);
    expect(call?.input).toEqual(args);
  });

  it.each(table)('the first table holds among more tools: %s', async (prompt, tool, args) => {
    const { call } = await firstCall(prompt, ALL_TOOLS);
    expect(call?.toolName).toBe(tool);
    expect(call?.input).toEqual(args);
  });

  it.each([
    ["What's the weather in Paris?", DEMO_TOOL_SPECS],
    ["What's the weather in Paris?", [...DEMO_TOOL_SPECS, ...EXTRA_TOOL_SPECS]],
    ['Tell me a joke', [...DEMO_TOOL_SPECS, ...EXTRA_TOOL_SPECS]],
  ])('says plainly what it can do when no tool fits: %s', async (prompt, specs) => {
    const { call, text, finishReason } = await firstCall(prompt, specs);
    expect(call).toBeUndefined();
    expect(finishReason).toBe('stop');
    expect(text).toMatch(/couldn't match/i);
    expect(text).toContain('billy__list_invoices');
    expect(text).toContain('knowledge__search_docs');
  });

  it('answers a greeting in Danish with its capabilities', async () => {
    const { call, text } = await firstCall('Hej');
    expect(call).toBeUndefined();
    expect(text).toMatch(/^Hej!/);
    expect(text).toContain('offline');
  });

  it('takes thanks without calling anything', async () => {
    const english = await firstCall('Thanks!');
    expect(english.call).toBeUndefined();
    expect(english.text).toMatch(/welcome/);
    const danish = await firstCall('Mange tak');
    expect(danish.text).toMatch(/^Selv tak/);
  });

  it('says there are no tools when none are offered', async () => {
    const result = await generateText({ model: createOfflineModel(), prompt: 'show invoices' });
    expect(result.toolCalls).toHaveLength(0);
    expect(result.text).toMatch(/No tools are connected/);
  });

  it('asks in Danish for what a Danish request leaves out', async () => {
    const { call, text } = await firstCall('Vis tabellerne i databasen', [
      ...DEMO_TOOL_SPECS,
      ...EXTRA_TOOL_SPECS,
    ]);
    expect(call).toBeUndefined();
    expect(text).toMatch(/^For at bruge `database__(describe_table|query)` mangler jeg:/);
  });

  it('asks for required fields it cannot fill instead of guessing', async () => {
    const { call, text } = await firstCall('Create an invoice');
    expect(call).toBeUndefined();
    expect(text).toContain('billy__create_invoice');
    expect(text).toContain('customer');
    expect(text).toContain('lines');
  });

  it('honours toolChoice none', async () => {
    const result = await generateText({
      model: createOfflineModel({ now: () => NOW }),
      prompt: 'Show paid invoices',
      tools: demoTools(),
      toolChoice: 'none',
    });
    expect(result.toolCalls).toHaveLength(0);
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('is deterministic', async () => {
    const a = await firstCall('Show paid invoices for Acme');
    const b = await firstCall('Show paid invoices for Acme');
    expect(a.call?.toolCallId).toBe(b.call?.toolCallId);
    expect(a.call?.input).toEqual(b.call?.input);
  });
});

function afterToolResult(
  prompt: string,
  toolName: string,
  output: Extract<ModelMessage, { role: 'tool' }>['content'][number] extends infer Part
    ? Part extends { type: 'tool-result'; output: infer Output }
      ? Output
      : never
    : never,
): ModelMessage[] {
  return [
    { role: 'user', content: prompt },
    {
      role: 'assistant',
      content: [{ type: 'tool-call', toolCallId: 'call-1', toolName, input: {} }],
    },
    {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'call-1', toolName, output }],
    },
  ];
}

async function answer(messages: ModelMessage[], locale?: 'en' | 'da') {
  const result = await generateText({
    model: createOfflineModel({ now: () => NOW, ...(locale ? { locale } : {}) }),
    messages,
    tools: demoTools(),
  });
  expect(result.toolCalls).toHaveLength(0);
  return result.text;
}

const INVOICES = [
  { id: 'INV-1001', customer: 'Acme ApS', total: 12500, currency: 'DKK', status: 'paid' },
  { id: 'INV-1002', customer: 'Hansen & Søn', total: 4250.5, currency: 'DKK', status: 'paid' },
  { id: 'INV-1003', customer: 'Nordlys A/S', total: 800, currency: 'DKK', status: 'overdue' },
];

describe('offline model: answers from tool results', () => {
  it('counts rows, sums money and lists the top rows', async () => {
    const text = await answer(
      afterToolResult('Show invoices', 'billy__list_invoices', {
        type: 'json',
        value: { invoices: INVOICES },
      }),
    );
    expect(text).toContain('Found 3 invoices.');
    expect(text).toContain('Total: 17,550.50 DKK.');
    expect(text).toContain('2 paid, 1 overdue');
    expect(text).toContain('INV-1001 · Acme ApS · 12,500.00 DKK · paid');
    expect(text).toContain('Nordlys A/S');
  });

  it('reads MCP CallToolResult content (JSON text) and answers in Danish', async () => {
    const text = await answer(
      afterToolResult('Vis mine fakturaer', 'billy__list_invoices', {
        type: 'json',
        value: { content: [{ type: 'text', text: JSON.stringify(INVOICES.slice(0, 2)) }] },
      }),
    );
    expect(text).toContain('Fandt 2 fakturaer.');
    expect(text).toContain('I alt: 16.750,50 DKK.');
  });

  it('prefers structuredContent and reports the total the source gives', async () => {
    const text = await answer(
      afterToolResult('list invoices', 'billy__list_invoices', {
        type: 'json',
        value: {
          content: [{ type: 'text', text: 'ignored' }],
          structuredContent: { invoices: INVOICES.slice(0, 1), total: 42 },
        },
      }),
    );
    expect(text).toContain('Found 1 invoice.');
    expect(text).toContain('42 in total');
  });

  it('names documents with title and source', async () => {
    const text = await answer(
      afterToolResult('refund policy', 'knowledge__search_docs', {
        type: 'json',
        value: {
          results: [
            { title: 'Refund policy', source: 'handbook/refunds.md', score: 0.92 },
            { title: 'Billing FAQ', source: 'faq/billing.md', score: 0.5 },
          ],
        },
      }),
    );
    expect(text).toContain('Found 2 documents.');
    expect(text).toContain('**Refund policy** · (handbook/refunds.md)');
    expect(text).toContain('Billing FAQ');
  });

  it('keeps tool data from becoming markup (links, HTML, code spans)', async () => {
    const text = await answer(
      afterToolResult('refund policy', 'knowledge__search_docs', {
        type: 'json',
        value: {
          results: [
            {
              title: '[click me](javascript:alert(1)) <img src=x onerror=alert(1)>',
              path: 'docs/`x`.md',
            },
          ],
        },
      }),
    );
    expect(text).toContain('\\[click me\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\>');
    expect(text).toContain('docs/\\`x\\`.md');
    expect(text).not.toMatch(/(?<!\\)\[click me(?<!\\)\]/);
  });

  it('says when nothing was found', async () => {
    const text = await answer(
      afterToolResult('tomorrow', 'calendar__list_events', { type: 'json', value: { events: [] } }),
    );
    expect(text).toBe('No events found (calendar__list_events).');
  });

  it('explains a rejection plainly', async () => {
    const text = await answer(
      afterToolResult('Create an invoice', 'billy__create_invoice', {
        type: 'execution-denied',
        reason: 'not now',
      }),
    );
    expect(text).toBe('The tool billy__create_invoice was not run: you rejected it (not now).');
  });

  it('reads a rejection the browser sends as error text', async () => {
    const plain = await answer(
      afterToolResult('Create an invoice', 'billy__create_invoice', {
        type: 'error-text',
        value: 'The user denied this tool call. Do not retry it unless the user asks.',
      }),
    );
    expect(plain).toBe('The tool billy__create_invoice was not run: you rejected it.');
    const withReason = await answer(
      afterToolResult('Create an invoice', 'billy__create_invoice', {
        type: 'error-text',
        value:
          'The user denied this tool call. Do not retry it unless the user asks. Reason: wrong customer',
      }),
    );
    expect(withReason).toBe(
      'The tool billy__create_invoice was not run: you rejected it (wrong customer).',
    );
  });

  it('explains an error plainly (error text and MCP isError)', async () => {
    const fromText = await answer(
      afterToolResult('list invoices', 'billy__list_invoices', {
        type: 'error-text',
        value: 'Gateway timeout after 30 s',
      }),
    );
    expect(fromText).toBe('The tool billy__list_invoices failed: Gateway timeout after 30 s');
    const fromMcp = await answer(
      afterToolResult('list invoices', 'billy__list_invoices', {
        type: 'json',
        value: { isError: true, content: [{ type: 'text', text: 'Unknown customer' }] },
      }),
    );
    expect(fromMcp).toBe('The tool billy__list_invoices failed: Unknown customer');
  });

  it('describes a single created record', async () => {
    const text = await answer(
      afterToolResult('Create invoice', 'billy__create_invoice', {
        type: 'json',
        value: { id: 'INV-1042', customer: 'Acme ApS', total: 9500, currency: 'DKK' },
      }),
      'en',
    );
    expect(text).toContain('Created the invoice:');
    expect(text).toContain('- id: INV-1042');
    expect(text).toContain('- total: 9,500.00 DKK');
  });
});

describe('offline model: follow-ups', () => {
  async function next(messages: ModelMessage[]) {
    const result = await generateText({
      model: createOfflineModel({ now: () => NOW }),
      messages,
      tools: demoTools(),
    });
    return result.toolCalls[0];
  }

  it('refines the previous call ("only the paid ones")', async () => {
    const [user, , result] = afterToolResult('Show invoices for Acme ApS', 'billy__list_invoices', {
      type: 'json',
      value: { invoices: INVOICES },
    });
    const call = await next([
      user as ModelMessage,
      {
        role: 'assistant',
        content: [
          {
            type: 'tool-call',
            toolCallId: 'call-1',
            toolName: 'billy__list_invoices',
            input: { customer: 'Acme ApS' },
          },
        ],
      },
      result as ModelMessage,
      { role: 'assistant', content: 'Found 3 invoices.' },
      { role: 'user', content: 'only the paid ones' },
    ]);
    expect(call?.toolName).toBe('billy__list_invoices');
    expect(call?.input).toEqual({ customer: 'Acme ApS', status: 'paid' });
  });

  it('answers its own question for missing arguments', async () => {
    const call = await next([
      { role: 'user', content: 'Create an invoice' },
      {
        role: 'assistant',
        content: 'To use `billy__create_invoice` I need:\n- customer\n- lines',
      },
      { role: 'user', content: 'For Acme ApS, 10 hours of consulting at 950 kr' },
    ]);
    expect(call?.toolName).toBe('billy__create_invoice');
    expect(call?.input).toEqual({
      customer: 'Acme ApS',
      lines: [{ description: 'consulting', quantity: 10, unitPrice: 950 }],
    });
  });

  it('does not continue when the new message gives nothing for the old tool', async () => {
    const call = await next([
      ...afterToolResult('Show invoices for Acme ApS', 'billy__list_invoices', {
        type: 'json',
        value: { invoices: INVOICES },
      }),
      { role: 'user', content: 'thanks, that is all' },
    ]);
    expect(call).toBeUndefined();
  });
});

describe('offline model: streaming and multi-step', () => {
  it('streams text deltas and a tool call through streamText', async () => {
    const result = streamText({
      model: createOfflineModel({ now: () => NOW }),
      prompt: 'Show paid invoices for Acme',
      tools: demoTools(),
    });
    const types: string[] = [];
    let call: { toolName: string; input: unknown } | undefined;
    for await (const part of result.stream) {
      types.push(part.type);
      if (part.type === 'tool-call') call = { toolName: part.toolName, input: part.input };
    }
    expect(types).toContain('tool-input-start');
    expect(call).toEqual({
      toolName: 'billy__list_invoices',
      input: { customer: 'Acme', status: 'paid' },
    });
    const usage = await result.totalUsage;
    expect(usage.inputTokens).toBeGreaterThan(10);
    expect(usage.outputTokens).toBeGreaterThan(0);

    const text = streamText({ model: createOfflineModel(), prompt: 'hello there friend' });
    const deltas: string[] = [];
    for await (const part of text.stream) if (part.type === 'text-delta') deltas.push(part.text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(await text.text);
  });

  it('calls one tool, then answers from its result, and stops', async () => {
    const calls: string[] = [];
    const result = await generateText({
      model: createOfflineModel({ now: () => NOW }),
      prompt: 'How many overdue invoices do we have?',
      tools: demoTools(async (name) => {
        calls.push(name);
        return { invoices: INVOICES.filter((invoice) => invoice.status === 'overdue') };
      }),
      stopWhen: isStepCount(10),
    });
    expect(calls).toEqual(['billy__list_invoices']);
    expect(result.steps).toHaveLength(2);
    expect(result.text).toContain('Found 1 invoice.');
    expect(result.finishReason).toBe('stop');
  });

  it('speaks the LanguageModelV4 protocol directly (doStream and doGenerate)', async () => {
    const model = createOfflineModel({ now: () => NOW });
    const options = {
      prompt: [
        { role: 'user' as const, content: [{ type: 'text' as const, text: 'Show paid invoices' }] },
      ],
      tools: DEMO_TOOL_SPECS.map((spec) => ({
        type: 'function' as const,
        name: spec.name,
        description: spec.description,
        inputSchema: spec.inputSchema,
      })),
    };
    const { stream } = await model.doStream(options);
    const parts: Array<{ type: string } & Record<string, unknown>> = [];
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value as { type: string } & Record<string, unknown>);
    }
    expect(parts.map((part) => part.type)).toEqual([
      'stream-start',
      'response-metadata',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-end',
      'tool-call',
      'finish',
    ]);
    const call = parts.find((part) => part.type === 'tool-call');
    const input = String(call?.input);
    expect(typeof call?.input).toBe('string');
    expect(JSON.parse(input)).toEqual({ status: 'paid' });
    const finish = parts.at(-1) as unknown as {
      finishReason: { unified: string; raw: string };
      usage: { inputTokens: { total: number }; outputTokens: { total: number } };
    };
    expect(finish.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_calls' });
    expect(finish.usage.inputTokens.total).toBeGreaterThan(0);
    expect(finish.usage.outputTokens.total).toBe(Math.ceil(input.length / 4));

    const generated = await model.doGenerate(options);
    expect(generated.content).toEqual([
      {
        type: 'tool-call',
        toolCallId: call?.toolCallId,
        toolName: 'billy__list_invoices',
        input: call?.input,
      },
    ]);
    expect(generated.finishReason.unified).toBe('tool-calls');
  });

  it('stops when the call is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      createOfflineModel().doGenerate({
        prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
        abortSignal: controller.signal,
      }),
    ).rejects.toThrow();
  });

  it('reports model and provider ids', () => {
    const model = createOfflineModel();
    expect(model.specificationVersion).toBe('v4');
    expect(model.provider).toBe('tekup-offline');
    expect(model.modelId).toBe('offline-planner');
  });
});
