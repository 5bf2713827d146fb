/**
 * @module @tekup/demo-servers/testing
 * A cross-tenant probe kit for tests of any path to the fleet (the servers directly, the
 * standalone gateway, the dashboard's front, the browser): it calls every tool of every
 * tenant-scoped server the way one organization would, tries the other organization's ids,
 * and names the strings that identify each organization's records, so a test can scan every
 * answer for a leak. The caller supplies how a call travels.
 */
import { addDays, toIsoDate } from '../core/dates.js';
import { bookingFromEvent, type DemoData } from '../demo-data.js';
import { SERVER_NAMES, SERVER_TENANCY, type ServerName } from '../manifest.js';

/** One tool call's answer as the path under test saw it. */
export interface ProbeAnswer {
  /** Everything the caller received (the serialized body, or the tool result), scanned for leaks. */
  text: string;
  /** The tool result's `structuredContent`, when it was a result. */
  structured?: Record<string, unknown>;
  /** True for a tool error (`isError`) or a refusal (a JSON-RPC / HTTP error). */
  failed: boolean;
}

/** How a call travels: the test binds it to one principal and one path. */
export type ProbeCall = (
  server: ServerName,
  tool: string,
  args: Record<string, unknown>,
) => Promise<ProbeAnswer>;

/** One call made by a probe run and what came back. */
export interface ProbeRecord {
  server: ServerName;
  tool: string;
  args: Record<string, unknown>;
  answer: ProbeAnswer;
  /** True when the probe named the other organization's record on purpose. */
  foreign: boolean;
}

/** What one organization's run of {@link exerciseTenantTools} made and saw. */
export interface ProbeRun {
  records: ProbeRecord[];
  /** Strings that identify the records this run created (ids, names), for the other side's scan. */
  created: string[];
}

/** The servers whose every tool must keep organizations apart. */
export const TENANT_SERVERS: readonly ServerName[] = SERVER_NAMES.filter(
  (name) => SERVER_TENANCY[name] === 'tenant',
);

/** Every tool of the tenant-scoped servers (each probe run calls all of them). */
export const TENANT_TOOLS: Readonly<Record<string, readonly string[]>> = {
  billy: [
    'list_customers',
    'get_customer',
    'create_customer',
    'list_products',
    'get_product',
    'list_invoices',
    'get_invoice',
    'create_invoice',
    'approve_invoice',
    'send_invoice',
    'record_payment',
    'get_organization',
    'get_vat_summary',
  ],
  calendar: ['list_events', 'find_free_slots', 'create_event', 'cancel_event'],
  database: ['list_tables', 'describe_table', 'query'],
};

/**
 * Strings that identify one organization's records: every record id, CVR numbers, e-mail
 * addresses, phone numbers, bank account and employee names. Names of customers are left out
 * on purpose (an organization may well be another's customer).
 */
export function tenantFingerprints(data: DemoData, tenantId: string): string[] {
  const own = <T extends { tenantId: string }>(items: readonly T[]) =>
    items.filter((item) => item.tenantId === tenantId);
  const now = new Date(data.now);
  const organization = data.organizations.find((item) => item.id === tenantId);
  const values = [
    ...(organization
      ? [organization.cvr, organization.email, organization.phone, organization.bankAccount]
      : []),
    ...own(data.customers).flatMap((item) => [item.id, item.email, item.phone, item.cvr ?? '']),
    ...own(data.products).map((item) => item.id),
    ...own(data.invoices).map((item) => item.id),
    ...own(data.payments).map((item) => item.id),
    ...own(data.events).flatMap((item) => [item.id, bookingFromEvent(item, now)?.id ?? '']),
    ...own(data.employees).flatMap((item) => [item.id, item.name]),
    ...own(data.sales).map((item) => item.id),
  ];
  return [...new Set(values.filter((value) => value !== ''))];
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The fingerprints found in `text`. Matches are whole tokens (`cus_001` is not found inside
 * `ncus_001`), so one organization's ids never count as another's by accident.
 */
export function findLeaks(text: string, fingerprints: readonly string[]): string[] {
  return fingerprints.filter((value) =>
    new RegExp(`(?<![A-Za-z0-9_.@+-])${escapeRegExp(value)}(?![A-Za-z0-9_])`).test(text),
  );
}

function first<T>(items: readonly T[], what: string): T {
  const item = items[0];
  if (item === undefined) throw new Error(`the demo data has no ${what}`);
  return item;
}

/**
 * Calls every tool of every tenant-scoped server as one organization, with its own records,
 * writes included (a customer, an invoice taken through approve, send and payment, a calendar
 * booking and its cancellation), then tries the other organization's records by id. `run` makes
 * created names unique across runs.
 */
export async function exerciseTenantTools(
  call: ProbeCall,
  data: DemoData,
  tenantId: string,
  otherTenantId: string,
  run: string,
): Promise<ProbeRun> {
  const records: ProbeRecord[] = [];
  const created: string[] = [];
  const send = async (
    server: ServerName,
    tool: string,
    args: Record<string, unknown>,
    foreign = false,
  ) => {
    const answer = await call(server, tool, args);
    records.push({ server, tool, args, answer, foreign });
    return answer;
  };
  const own = <T extends { tenantId: string }>(items: readonly T[], id = tenantId) =>
    items.filter((item) => item.tenantId === id);
  const now = new Date(data.now);
  const customer = first(own(data.customers), 'customer');
  const product = first(own(data.products), 'product');
  const invoice = first(own(data.invoices), 'invoice');
  const employee = first(own(data.employees), 'employee');

  // billy: every read, then a whole invoice life cycle on fresh records.
  await send('billy', 'list_customers', { limit: 100 });
  await send('billy', 'get_customer', { customer: customer.id });
  const email = `probe-${run.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}@example.dk`;
  const newCustomer = await send('billy', 'create_customer', { name: `Probe ${run} ApS`, email });
  const customerId = (newCustomer.structured?.customer as { id?: string } | undefined)?.id;
  if (customerId) created.push(customerId, email);
  await send('billy', 'list_products', { limit: 100 });
  await send('billy', 'get_product', { product: product.id });
  await send('billy', 'list_invoices', { limit: 100 });
  await send('billy', 'get_invoice', { invoiceId: invoice.id });
  const draft = await send('billy', 'create_invoice', {
    customer: customerId ?? customer.id,
    product: product.id,
    quantity: 2,
  });
  const draftId = (draft.structured?.invoice as { id?: string } | undefined)?.id;
  if (draftId) {
    created.push(draftId);
    await send('billy', 'approve_invoice', { invoiceId: draftId });
    await send('billy', 'send_invoice', { invoiceId: draftId });
    const payment = await send('billy', 'record_payment', { invoiceId: draftId, amount: 10 });
    const paymentId = (payment.structured?.payment as { id?: string } | undefined)?.id;
    if (paymentId) created.push(paymentId);
  } else {
    // Still call every tool: a refused draft must be refused again, never fall back.
    await send('billy', 'approve_invoice', { invoiceId: invoice.id });
    await send('billy', 'send_invoice', { invoiceId: invoice.id });
    await send('billy', 'record_payment', { invoiceId: invoice.id, amount: 10 });
  }
  await send('billy', 'get_organization', {});
  await send('billy', 'get_vat_summary', { from: toIsoDate(addDays(now, -365)) });

  // calendar: reads, a booking in a free slot, its cancellation.
  const from = toIsoDate(addDays(now, -7));
  const to = toIsoDate(addDays(now, 14));
  const tomorrow = toIsoDate(addDays(now, 1));
  await send('calendar', 'list_events', { from, to, includeCancelled: true });
  const slots = await send('calendar', 'find_free_slots', {
    from: tomorrow,
    to: toIsoDate(addDays(now, 8)),
    durationMinutes: 30,
  });
  const slot = (slots.structured?.slots as { start?: string }[] | undefined)?.[0]?.start;
  const booking = await send('calendar', 'create_event', {
    title: `Probe ${run}`,
    start: slot ?? `${toIsoDate(addDays(now, 30))}T09:00:00Z`,
    durationMinutes: 30,
    customer: customer.id,
    assignee: employee.name,
  });
  const eventId = (booking.structured?.event as { id?: string } | undefined)?.id;
  if (eventId) created.push(eventId, eventId.replace(/evt_/, 'bkg_'));
  await send('calendar', 'cancel_event', {
    eventId: eventId ?? first(own(data.events), 'event').id,
  });

  // database: the catalogue and every table.
  await send('database', 'list_tables', {});
  await send('database', 'describe_table', { table: 'invoices' });
  for (const table of [
    'organizations',
    'customers',
    'products',
    'invoices',
    'invoice_lines',
    'payments',
    'sales',
    'bookings',
  ]) {
    await send('database', 'query', { sql: `SELECT * FROM ${table}`, limit: 500 });
  }

  // The other organization's records, named by id: nothing may be found, read or changed.
  const other = {
    customer: first(own(data.customers, otherTenantId), 'customer'),
    product: first(own(data.products, otherTenantId), 'product'),
    invoice: first(own(data.invoices, otherTenantId), 'invoice'),
    event: first(own(data.events, otherTenantId), 'event'),
  };
  await send('billy', 'get_customer', { customer: other.customer.id }, true);
  await send('billy', 'get_product', { product: other.product.id }, true);
  await send('billy', 'get_invoice', { invoiceId: other.invoice.id }, true);
  await send('billy', 'get_invoice', { invoiceId: other.invoice.number }, true);
  await send('billy', 'list_invoices', { customer: other.customer.id, limit: 100 }, true);
  await send('billy', 'approve_invoice', { invoiceId: other.invoice.id }, true);
  await send('billy', 'record_payment', { invoiceId: other.invoice.id, amount: 1 }, true);
  await send(
    'billy',
    'create_invoice',
    { customer: other.customer.id, product: other.product.id, quantity: 1 },
    true,
  );
  await send('calendar', 'cancel_event', { eventId: other.event.id }, true);
  await send(
    'database',
    'query',
    { sql: `SELECT * FROM invoices WHERE tenant_id = '${otherTenantId}'` },
    true,
  );
  return { records, created };
}

/** Every tool of every tenant-scoped server called once with harmless arguments (no tenant). */
export async function exerciseWithoutTenant(
  call: ProbeCall,
  data: DemoData,
): Promise<ProbeRecord[]> {
  const records: ProbeRecord[] = [];
  const now = new Date(data.now);
  const someone = data.customers[0]?.id ?? 'cus_001';
  const args: Record<string, Record<string, unknown>> = {
    get_customer: { customer: someone },
    create_customer: { name: 'Nobody ApS' },
    get_product: { product: data.products[0]?.id ?? 'prd_001' },
    get_invoice: { invoiceId: data.invoices[0]?.id ?? 'inv_0001' },
    create_invoice: { customer: someone, product: data.products[0]?.id ?? 'prd_001', quantity: 1 },
    approve_invoice: { invoiceId: data.invoices[0]?.id ?? 'inv_0001' },
    send_invoice: { invoiceId: data.invoices[0]?.id ?? 'inv_0001' },
    record_payment: { invoiceId: data.invoices[0]?.id ?? 'inv_0001', amount: 1 },
    list_events: { from: toIsoDate(now) },
    find_free_slots: { from: toIsoDate(addDays(now, 1)) },
    create_event: { title: 'Nobody', start: `${toIsoDate(addDays(now, 30))}T09:00:00Z` },
    cancel_event: { eventId: data.events[0]?.id ?? 'evt_0001' },
    describe_table: { table: 'invoices' },
    query: { sql: 'SELECT * FROM invoices' },
  };
  for (const server of TENANT_SERVERS) {
    for (const tool of TENANT_TOOLS[server] ?? []) {
      const toolArgs = args[tool] ?? {};
      records.push({
        server,
        tool,
        args: toolArgs,
        answer: await call(server, tool, toolArgs),
        foreign: false,
      });
    }
  }
  return records;
}

/** Foreign probes that must fail: the record does not exist for the caller. */
const MUST_FAIL_FOREIGN = new Set([
  'get_customer',
  'get_product',
  'get_invoice',
  'approve_invoice',
  'record_payment',
  'create_invoice',
  'cancel_event',
]);

/**
 * What is wrong with one organization's run, as readable lines (empty when isolated): an
 * answer that shows any of `otherFingerprints`, a foreign record that was found, or an own
 * call that failed (the probe must exercise every tool for real).
 */
export function isolationProblems(run: ProbeRun, otherFingerprints: readonly string[]): string[] {
  const problems: string[] = [];
  for (const record of run.records) {
    const name = `${record.server}/${record.tool} ${JSON.stringify(record.args)}`;
    // An error that repeats the id the caller sent shows nothing the caller did not know.
    const sent = JSON.stringify(record.args);
    const leaks = findLeaks(record.answer.text, otherFingerprints).filter(
      (value) => !sent.includes(value),
    );
    if (leaks.length > 0) problems.push(`${name} showed ${leaks.slice(0, 5).join(', ')}`);
    if (record.foreign && MUST_FAIL_FOREIGN.has(record.tool) && !record.answer.failed) {
      problems.push(`${name} found another organization's record`);
    }
    if (!record.foreign && record.answer.failed) {
      problems.push(`${name} failed: ${record.answer.text.slice(0, 200)}`);
    }
  }
  return problems;
}

/** What is wrong with a run without a tenant: every call must be refused. */
export function refusalProblems(records: readonly ProbeRecord[]): string[] {
  return records
    .filter((record) => !record.answer.failed)
    .map((record) => `${record.server}/${record.tool} answered without a tenant`);
}
