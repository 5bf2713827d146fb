import { generateText } from 'ai';
import { describe, expect, it } from 'vitest';
import { FIXTURE_TOOLS, NEIGHBOUR_TOOLS } from '../test/fixture-tools';
import { demoTools, firstCall, NOW, offlineModel } from '../test/helpers';

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
    ['fakturaer mindre end 500 kr', 'billy__list_invoices', { maxAmount: 500 }],
    ['fakturaer mindst 500 kr', 'billy__list_invoices', { minAmount: 500 }],
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

  const ALL_TOOLS = [...FIXTURE_TOOLS, ...NEIGHBOUR_TOOLS];
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
    ["What's the weather in Paris?", FIXTURE_TOOLS],
    ["What's the weather in Paris?", [...FIXTURE_TOOLS, ...NEIGHBOUR_TOOLS]],
    ['Tell me a joke', [...FIXTURE_TOOLS, ...NEIGHBOUR_TOOLS]],
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
    const result = await generateText({ model: offlineModel(), prompt: 'show invoices' });
    expect(result.toolCalls).toHaveLength(0);
    expect(result.text).toMatch(/No tools are connected/);
  });

  it('gives back the quoted draft unchanged when asked to write without tools (sampling)', async () => {
    const draft = 'Kære Hotel Kronborg,\n\nFaktura 2026-0041 forfaldt 1. november.';
    const result = await generateText({
      model: offlineModel(),
      prompt: `Rewrite this payment reminder in a friendly tone:\n"""\n${draft}\n"""`,
    });
    expect(result.text).toBe(draft);
    const unquoted = await generateText({ model: offlineModel(), prompt: 'Write a poem' });
    expect(unquoted.text).toMatch(/No tools are connected/);
  });

  it('asks in Danish for what a Danish request leaves out', async () => {
    const { call, text } = await firstCall('Vis tabellerne i databasen', [
      ...FIXTURE_TOOLS,
      ...NEIGHBOUR_TOOLS,
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
      model: offlineModel({ now: () => NOW }),
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
