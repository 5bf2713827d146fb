import { describe, expect, it } from 'vitest';
import { afterToolResult, answer, INVOICES } from '../test/helpers';

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

  it('does not say "Created" when a create tool created nothing and says why', async () => {
    const text = await answer(
      afterToolResult('Book a cleaning', 'calendar__create_event', {
        type: 'json',
        value: { booked: false, reason: 'declined by the user' },
      }),
      'en',
    );
    expect(text).not.toContain('Created');
    expect(text).toContain('declined by the user');
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
