import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoData, TENANTS } from '../demo-data.js';
import { type RunningServer, startServer } from '../start-server.js';
import { connectTestClient, TEKUP_CALLER, type TestClient, textOf } from '../test-client.js';

const now = new Date('2026-03-04T09:30:00Z');
const data = createDemoData({ now });
const tekupInvoices = data.invoices.filter((invoice) => invoice.tenantId === TENANTS[0].id);

let server: RunningServer;
let client: TestClient;

beforeAll(async () => {
  server = await startServer('billy', { port: 0, now });
  client = await connectTestClient(server.url, { caller: TEKUP_CALLER });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe('billy', () => {
  it('lists 14 tools with input and output schemas and honest annotations', async () => {
    const { tools } = await client.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      [
        'approve_invoice',
        'create_customer',
        'create_invoice',
        'draft_payment_reminder',
        'get_customer',
        'get_invoice',
        'get_organization',
        'get_product',
        'get_vat_summary',
        'list_customers',
        'list_invoices',
        'list_products',
        'record_payment',
        'send_invoice',
      ].sort(),
    );
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(20);
      expect(tool.outputSchema?.type).toBe('object');
      expect(typeof tool.annotations?.readOnlyHint).toBe('boolean');
    }
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(byName.list_invoices?.annotations?.readOnlyHint).toBe(true);
    expect(byName.create_invoice?.annotations?.readOnlyHint).toBe(false);
    expect(byName.send_invoice?.annotations?.destructiveHint).toBe(true);
    const properties = byName.list_invoices?.inputSchema.properties as
      | Record<string, { format?: string }>
      | undefined;
    const from = properties?.from;
    expect(from?.format).toBe('date');
  });

  it('filters invoices by customer substring, status and amount, matching the seeded data', async () => {
    const sample =
      tekupInvoices.find((invoice) => invoice.status === 'overdue') ?? tekupInvoices[0];
    if (!sample) throw new Error('no seeded invoice');
    const fragment = sample.customerName.slice(0, 6).toLowerCase();
    const result = await client.call('list_invoices', {
      customer: fragment.toUpperCase(),
      limit: 100,
    });
    const structured = result.structuredContent as {
      invoices: { id: string; total: number }[];
      count: number;
      totalAmount: number;
    };
    const expected = tekupInvoices.filter((invoice) =>
      invoice.customerName.toLowerCase().includes(fragment),
    );
    expect(structured.invoices.map((invoice) => invoice.id).sort()).toEqual(
      expected.map((invoice) => invoice.id).sort(),
    );
    expect(structured.count).toBe(expected.length);
    expect(structured.totalAmount).toBeCloseTo(
      expected.reduce((sum, invoice) => sum + invoice.total, 0),
      2,
    );

    const byId = await client.call('list_invoices', { customer: sample.customerId, limit: 100 });
    expect((byId.structuredContent as { count: number }).count).toBe(
      tekupInvoices.filter((invoice) => invoice.customerId === sample.customerId).length,
    );
    const overdue = await client.call('list_invoices', {
      status: 'overdue',
      minAmount: 1000,
      limit: 100,
    });
    const overdueRows = (
      overdue.structuredContent as {
        invoices: { status: string; total: number; dueDate: string }[];
      }
    ).invoices;
    expect(overdueRows.length).toBe(
      tekupInvoices.filter((invoice) => invoice.status === 'overdue' && invoice.total >= 1000)
        .length,
    );
    for (const row of overdueRows) {
      expect(row.status).toBe('overdue');
      expect(row.total).toBeGreaterThanOrEqual(1000);
    }
    const ranged = await client.call('list_invoices', {
      from: '2026-02-01',
      to: '2026-02-28',
      limit: 100,
    });
    const rangedRows = (ranged.structuredContent as { invoices: { issueDate: string }[] }).invoices;
    expect(rangedRows.length).toBe(
      tekupInvoices.filter((invoice) => invoice.issueDate.startsWith('2026-02')).length,
    );
  });

  it('creates, approves, sends and settles an invoice with totals, VAT and balance adding up', async () => {
    const created = await client.call('create_invoice', {
      customer: 'Nordlys Rengøring',
      product: 'window cleaning',
      quantity: 10,
    });
    expect(created.isError).toBeFalsy();
    const invoice = (
      created.structuredContent as {
        invoice: {
          id: string;
          net: number;
          vat: number;
          total: number;
          balance: number;
          status: string;
          customer: string;
        };
      }
    ).invoice;
    expect(invoice).toMatchObject({
      customer: 'Nordlys Rengøring ApS',
      status: 'draft',
      net: 3490,
      vat: 872.5,
      total: 4362.5,
      balance: 4362.5,
    });

    const early = await client.call('record_payment', { invoiceId: invoice.id, amount: 100 });
    expect(early.isError).toBe(true);
    expect(textOf(early)).toMatch(/invoiceId: .*draft/);
    const unsent = await client.call('send_invoice', { invoiceId: invoice.id });
    expect(unsent.isError).toBe(true);

    expect((await client.call('approve_invoice', { invoiceId: invoice.id })).isError).toBeFalsy();
    const twice = await client.call('approve_invoice', { invoiceId: invoice.id });
    expect(twice.isError).toBe(true);
    const sent = await client.call('send_invoice', { invoiceId: invoice.id });
    expect(
      (sent.structuredContent as { invoice: { status: string; sentAt: string } }).invoice.status,
    ).toBe('sent');

    const partial = await client.call('record_payment', {
      invoiceId: invoice.id,
      amount: 1000.25,
      method: 'mobilepay',
    });
    expect(
      (partial.structuredContent as { invoice: { balance: number; paid: number } }).invoice,
    ).toMatchObject({ paid: 1000.25, balance: 3362.25 });
    const over = await client.call('record_payment', { invoiceId: invoice.id, amount: 5000 });
    expect(over.isError).toBe(true);
    expect(textOf(over)).toMatch(/^amount: /);
    const rest = await client.call('record_payment', { invoiceId: invoice.id, amount: 3362.25 });
    const settled = (
      rest.structuredContent as {
        invoice: { balance: number; status: string; payments: unknown[] };
      }
    ).invoice;
    expect(settled).toMatchObject({ balance: 0, status: 'paid' });
    expect(settled.payments).toHaveLength(2);

    const fetched = await client.call('get_invoice', { invoiceId: invoice.id });
    const lines = (
      fetched.structuredContent as {
        invoice: { lines: { description: string; quantity: number; unitPrice: number }[] };
      }
    ).invoice.lines;
    expect(lines).toEqual([
      expect.objectContaining({ description: 'Vinduespudsning', quantity: 10, unitPrice: 349 }),
    ]);
  });

  it('creates a multi-line invoice and counts it in the VAT summary once approved', async () => {
    const before = (await client.call('get_vat_summary', { from: '2026-03-01', to: '2026-03-31' }))
      .structuredContent as { vat: number; invoiceCount: number };
    const created = await client.call('create_invoice', {
      customer: 'cus_002',
      lines: [
        { description: 'Trappevask', quantity: 3, unitPrice: 199.99 },
        { product: 'prd_002', quantity: 2.5 },
      ],
      issueDate: '2026-03-04',
    });
    const invoice = (
      created.structuredContent as {
        invoice: { id: string; net: number; vat: number; total: number };
      }
    ).invoice;
    expect(invoice.net).toBe(599.97 + 972.5);
    expect(invoice.vat).toBeCloseTo(149.99 + 243.13, 2);
    expect(invoice.total).toBeCloseTo(invoice.net + invoice.vat, 2);
    const draftOnly = (
      await client.call('get_vat_summary', { from: '2026-03-01', to: '2026-03-31' })
    ).structuredContent as { invoiceCount: number };
    expect(draftOnly.invoiceCount).toBe(before.invoiceCount);
    await client.call('approve_invoice', { invoiceId: invoice.id });
    const after = (await client.call('get_vat_summary', { from: '2026-03-01', to: '2026-03-31' }))
      .structuredContent as { vat: number; invoiceCount: number };
    expect(after.invoiceCount).toBe(before.invoiceCount + 1);
    expect(after.vat).toBeCloseTo(before.vat + invoice.vat, 2);
  });

  it('answers bad arguments with tool errors naming the field', async () => {
    const badLimit = await client.call('list_invoices', { limit: 0 });
    expect(badLimit.isError).toBe(true);
    expect(textOf(badLimit)).toMatch(/limit/);
    const badStatus = await client.call('list_invoices', { status: 'lost' });
    expect(textOf(badStatus)).toMatch(/status/);
    const badDate = await client.call('list_invoices', { from: '04-03-2026' });
    expect(textOf(badDate)).toMatch(/from/);
    const noLines = await client.call('create_invoice', { customer: 'Nordlys' });
    expect(textOf(noLines)).toMatch(/^lines: /);
    const unknown = await client.call('create_invoice', {
      customer: 'Ingen Kunde A/S',
      product: 'prd_001',
    });
    expect(textOf(unknown)).toMatch(/^customer: no customer/);
    const badCvr = await client.call('create_customer', { name: 'Test ApS', cvr: '12345678' });
    expect(textOf(badCvr)).toMatch(/^cvr: /);
    const badEmail = await client.call('create_customer', {
      name: 'Test ApS',
      email: 'not-an-email',
    });
    expect(textOf(badEmail)).toMatch(/email/);
  });

  it('creates and finds customers, reads products and the organization', async () => {
    const created = await client.call('create_customer', {
      name: 'Vejle Vinduer ApS',
      cvr: data.organizations[1]?.cvr,
      city: 'Vejle',
      zipcode: '7100',
    });
    expect(created.isError).toBeFalsy();
    const duplicate = await client.call('create_customer', { name: 'vejle vinduer aps' });
    expect(textOf(duplicate)).toMatch(/^name: /);
    const found = await client.call('list_customers', { search: 'vejle vin' });
    expect((found.structuredContent as { count: number }).count).toBe(1);
    const customer = await client.call('get_customer', { customer: 'Fjordblik' });
    expect((customer.structuredContent as { customer: { name: string } }).customer.name).toBe(
      'Fjordblik Ejendomme A/S',
    );
    const product = await client.call('get_product', { product: 'Vinduespudsning' });
    expect(
      (product.structuredContent as { product: { unitPrice: number } }).product.unitPrice,
    ).toBe(349);
    const organization = await client.call('get_organization');
    expect(
      (organization.structuredContent as { organization: { name: string; cvr: string } })
        .organization,
    ).toMatchObject({
      name: 'Tekup Demo ApS',
      cvr: data.organizations[0]?.cvr,
    });
  });
});
