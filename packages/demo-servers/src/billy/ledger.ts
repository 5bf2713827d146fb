/** One organization's books as billy's tools see them: lookups, invoice status and summaries. */
import { findOne } from '../core/lookup.js';
import type { TenantBooks } from '../core/books.js';
import type { MetaCarrier } from '../core/caller.js';
import type { ServerContext } from '../core/server-runtime.js';
import type { Invoice, InvoiceStatus } from '../demo-data.js';
import { DemoServerError } from '../errors.js';

/** A record without its tenant id, as tools return it (the caller knows their organization). */
export function stripTenant<T extends { tenantId: string }>(record: T): Omit<T, 'tenantId'> {
  const { tenantId: _tenantId, ...rest } = record;
  return rest;
}

/** Helpers over one tenant's books for the span of one tool call. */
export function openLedger(books: TenantBooks, today: string) {
  const { customers, products, invoices, payments } = books;
  const statusOf = (invoice: Invoice): InvoiceStatus => {
    if (invoice.status === 'draft' || invoice.status === 'approved') return invoice.status;
    if (invoice.balance === 0) return 'paid';
    return invoice.dueDate < today ? 'overdue' : 'sent';
  };
  const summarize = (invoice: Invoice) => ({
    id: invoice.id,
    number: invoice.number,
    customer: invoice.customerName,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    status: statusOf(invoice),
    currency: invoice.currency,
    net: invoice.net,
    vat: invoice.vat,
    total: invoice.total,
    balance: invoice.balance,
  });
  const detail = (invoice: Invoice) => ({
    ...summarize(invoice),
    customerId: invoice.customerId,
    lines: invoice.lines,
    paid: invoice.paid,
    approvedAt: invoice.approvedAt,
    sentAt: invoice.sentAt,
    payments: payments.filter((payment) => payment.invoiceId === invoice.id).map(stripTenant),
  });
  const findCustomer = (query: string, field = 'customer') =>
    findOne(customers, query, field, 'customer', (customer) => [
      customer.name,
      customer.cvr ?? '',
      customer.email,
    ]);
  const findProduct = (query: string, field = 'product') =>
    findOne(products, query, field, 'product', (product) => [
      product.name,
      product.productNumber,
      product.description,
    ]);
  const findInvoice = (query: string, field = 'invoiceId') => {
    const needle = query.trim().toLowerCase();
    const invoice = invoices.find(
      (item) => item.id.toLowerCase() === needle || item.number === needle.replace(/^#/, ''),
    );
    if (!invoice)
      throw new DemoServerError('not_found', `${field}: no invoice "${query}"`, { field });
    return invoice;
  };
  return {
    ...books,
    tenantId: books.tenant.id,
    statusOf,
    summarize,
    detail,
    findCustomer,
    findProduct,
    findInvoice,
  };
}

/**
 * Creates the Billy.dk accounting server (14 tools). Every call works on the books of the
 * forwarded caller's organization; a call without one is refused.

/** One tenant's books with billy's helpers, for the span of one tool call. */
type Ledger = ReturnType<typeof openLedger>;

/** What billy's tool modules share: the server context, today's date and the caller's ledger. */
export interface BillyTools {
  context: ServerContext;
  today: string;
  ledger(extra: MetaCarrier): Ledger;
}
