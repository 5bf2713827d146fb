import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { addDays, toIsoDate } from '../core/dates.js';
import { findOne } from '../core/lookup.js';
import { formatDkk, fromOre, toOre } from '../core/money.js';
import { nextNumber, type TenantBooks } from '../core/books.js';
import type { MetaCarrier } from '../core/caller.js';
import type { ServerContext, ServerRuntime } from '../core/server-runtime.js';
import { toolResult } from '../core/tool-result.js';
import {
  type Customer,
  createInvoiceLine,
  type Invoice,
  type InvoiceLine,
  type InvoiceStatus,
  isValidCvr,
  type Payment,
  recordId,
  sumLines,
} from '../demo-data.js';
import { DemoServerError } from '../errors.js';

const invoiceStatusSchema = z.enum(['draft', 'approved', 'sent', 'overdue', 'paid']);
const isoDate = z.iso.date();
const limitSchema = z
  .number()
  .int()
  .min(1)
  .max(100)
  .optional()
  .describe('Maximum number of rows to return (1–100, default 25)');

const customerSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['company', 'person']),
  cvr: z.string().nullable(),
  email: z.string(),
  phone: z.string(),
  street: z.string(),
  zipcode: z.string(),
  city: z.string(),
  country: z.string(),
  paymentTermsDays: z.number(),
  createdAt: z.string(),
});

const productSchema = z.object({
  id: z.string(),
  productNumber: z.string(),
  name: z.string(),
  description: z.string(),
  unit: z.enum(['hour', 'piece', 'm2', 'month']),
  unitPrice: z.number().describe('DKK excluding VAT'),
  vatRate: z.number(),
});

const invoiceSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  customer: z.string(),
  issueDate: z.string(),
  dueDate: z.string(),
  status: invoiceStatusSchema,
  currency: z.literal('DKK'),
  net: z.number(),
  vat: z.number(),
  total: z.number(),
  balance: z.number(),
});

const invoiceLineSchema = z.object({
  description: z.string(),
  productId: z.string().nullable(),
  quantity: z.number(),
  unit: z.string(),
  unitPrice: z.number(),
  net: z.number(),
  vat: z.number(),
  total: z.number(),
});

const paymentSchema = z.object({
  id: z.string(),
  invoiceId: z.string(),
  date: z.string(),
  amount: z.number(),
  method: z.enum(['bank_transfer', 'mobilepay', 'card']),
});

const invoiceDetailSchema = invoiceSummarySchema.extend({
  customerId: z.string(),
  lines: z.array(invoiceLineSchema),
  paid: z.number(),
  approvedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  payments: z.array(paymentSchema),
});

const organizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  cvr: z.string(),
  street: z.string(),
  zipcode: z.string(),
  city: z.string(),
  country: z.string(),
  email: z.string(),
  phone: z.string(),
  currency: z.string(),
  vatRate: z.number(),
  fiscalYearStart: z.string(),
  bankAccount: z.string(),
});

const invoiceIdInput = z
  .string()
  .min(1)
  .describe('Invoice id (e.g. "inv_0012") or invoice number (e.g. "1012")');

function stripTenant<T extends { tenantId: string }>(record: T): Omit<T, 'tenantId'> {
  const { tenantId: _tenantId, ...rest } = record;
  return rest;
}

/** Helpers over one tenant's books for the span of one tool call. */
function openLedger(books: TenantBooks, today: string) {
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
 * Creates the Billy.dk accounting server (13 tools). Every call works on the books of the
 * forwarded caller's organization; a call without one is refused.
 */
export function createBillyRuntime(context: ServerContext): ServerRuntime {
  const today = toIsoDate(context.now);
  const ledger = (extra: MetaCarrier) => openLedger(context.books.forCaller(extra), today);

  const register = (server: McpServer): void => {
    server.registerTool(
      'list_customers',
      {
        title: 'List customers',
        description:
          'List or search the customers (contacts) in Billy. Filter by a search text matched against name, email, CVR number and city, and by customer type.',
        inputSchema: {
          search: z
            .string()
            .optional()
            .describe('Case-insensitive text to look for in name, email, CVR or city'),
          type: z
            .enum(['company', 'person'])
            .optional()
            .describe('Only companies or only private persons'),
          limit: limitSchema,
        },
        outputSchema: { customers: z.array(customerSchema), count: z.number() },
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      ({ search, type, limit }, extra) => {
        const { customers } = ledger(extra);
        const needle = search?.trim().toLowerCase();
        const matched = customers.filter(
          (customer) =>
            (!type || customer.type === type) &&
            (!needle ||
              [customer.name, customer.email, customer.cvr ?? '', customer.city].some((value) =>
                value.toLowerCase().includes(needle),
              )),
        );
        const rows = matched.slice(0, limit ?? 25).map(stripTenant);
        return toolResult(
          `${rows.length} customer(s)${needle ? ` matching "${search}"` : ''}: ${rows.map((customer) => customer.name).join(', ')}`,
          { customers: rows, count: rows.length },
        );
      },
    );

    server.registerTool(
      'get_customer',
      {
        title: 'Get customer',
        description:
          'Get one customer with contact details, number of invoices and the open (unpaid) balance in DKK.',
        inputSchema: {
          customer: z.string().min(1).describe('Customer id (e.g. "cus_001"), name or CVR number'),
        },
        outputSchema: {
          customer: customerSchema,
          invoiceCount: z.number(),
          openBalance: z.number(),
        },
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      ({ customer: query }, extra) => {
        const { invoices, findCustomer } = ledger(extra);
        const customer = findCustomer(query);
        const own = invoices.filter((invoice) => invoice.customerId === customer.id);
        const openBalance = fromOre(
          own
            .filter((invoice) => invoice.status !== 'draft')
            .reduce((sum, invoice) => sum + toOre(invoice.balance), 0),
        );
        return toolResult(
          `${customer.name} (${customer.id}), ${customer.city}: ${own.length} invoice(s), open balance ${formatDkk(openBalance)}`,
          { customer: stripTenant(customer), invoiceCount: own.length, openBalance },
        );
      },
    );

    server.registerTool(
      'create_customer',
      {
        title: 'Create customer',
        description: 'Create a new customer (company or private person) in Billy.',
        inputSchema: {
          name: z.string().trim().min(2).max(120).describe('Company or person name'),
          type: z.enum(['company', 'person']).optional().describe('Default "company"'),
          cvr: z
            .string()
            .regex(/^\d{8}$/, 'must be 8 digits')
            .optional()
            .describe('Danish CVR number (8 digits), companies only'),
          email: z.email().optional().describe('Invoice email address'),
          phone: z.string().max(30).optional().describe('Phone number, e.g. "+45 12 34 56 78"'),
          street: z.string().max(120).optional().describe('Street and number'),
          zipcode: z
            .string()
            .regex(/^\d{4}$/, 'must be a 4-digit Danish postal code')
            .optional()
            .describe('Postal code (4 digits)'),
          city: z.string().max(80).optional().describe('City'),
          paymentTermsDays: z
            .number()
            .int()
            .min(0)
            .max(90)
            .optional()
            .describe('Payment terms in days (default 14)'),
        },
        outputSchema: { customer: customerSchema },
        annotations: {
          readOnlyHint: false,
          destructiveHint: false,
          idempotentHint: false,
          openWorldHint: false,
        },
      },
      (input, extra) => {
        const { customers, tenant, tenantId } = ledger(extra);
        if (input.cvr && !isValidCvr(input.cvr)) {
          throw new DemoServerError(
            'invalid_argument',
            `cvr: ${input.cvr} fails the CVR modulus-11 check`,
            { field: 'cvr' },
          );
        }
        if (
          customers.some((customer) => customer.name.toLowerCase() === input.name.toLowerCase())
        ) {
          throw new DemoServerError(
            'conflict',
            `name: a customer named "${input.name}" already exists`,
            { field: 'name' },
          );
        }
        const customer: Customer = {
          id: recordId(tenant, 'cus', nextNumber(customers)),
          tenantId,
          name: input.name,
          type: input.type ?? 'company',
          cvr: input.cvr ?? null,
          email: input.email ?? '',
          phone: input.phone ?? '',
          street: input.street ?? '',
          zipcode: input.zipcode ?? '',
          city: input.city ?? '',
          country: 'DK',
          paymentTermsDays: input.paymentTermsDays ?? 14,
          createdAt: today,
        };
        customers.push(customer);
        context.books.changed({ tenantId, kind: 'customer', id: customer.id });
        return toolResult(`Created customer ${customer.name} (${customer.id})`, {
          customer: stripTenant(customer),
        });
      },
    );

    server.registerTool(
      'list_products',
      {
        title: 'List products',
        description:
          'List the products and services with unit and unit price in DKK excluding VAT.',
        inputSchema: {
          search: z
            .string()
            .optional()
            .describe('Case-insensitive text to look for in name or description'),
          limit: limitSchema,
        },
        outputSchema: { products: z.array(productSchema), count: z.number() },
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      ({ search, limit }, extra) => {
        const { products } = ledger(extra);
        const needle = search?.trim().toLowerCase();
        const rows = products
          .filter(
            (product) =>
              !needle ||
              product.name.toLowerCase().includes(needle) ||
              product.description.toLowerCase().includes(needle),
          )
          .slice(0, limit ?? 25)
          .map(stripTenant);
        return toolResult(
          `${rows.length} product(s): ${rows.map((product) => `${product.name} ${formatDkk(product.unitPrice)}/${product.unit}`).join(', ')}`,
          { products: rows, count: rows.length },
        );
      },
    );

    server.registerTool(
      'get_product',
      {
        title: 'Get product',
        description: 'Get one product or service by id, product number or name.',
        inputSchema: {
          product: z
            .string()
            .min(1)
            .describe('Product id (e.g. "prd_001"), product number or name (Danish or English)'),
        },
        outputSchema: { product: productSchema },
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      ({ product: query }, extra) => {
        const { findProduct } = ledger(extra);
        const product = findProduct(query);
        return toolResult(
          `${product.name}: ${formatDkk(product.unitPrice)} per ${product.unit} excl. VAT`,
          {
            product: stripTenant(product),
          },
        );
      },
    );

    server.registerTool(
      'list_invoices',
      {
        title: 'List invoices',
        description:
          'List invoices, newest first, filtered by customer name, status, issue date range and total amount (DKK incl. VAT). Returns totals and open balances.',
        inputSchema: {
          customer: z
            .string()
            .optional()
            .describe(
              'Case-insensitive part of the customer name (or the customer id, e.g. "cus_004")',
            ),
          status: invoiceStatusSchema.optional().describe('Invoice status'),
          from: isoDate.optional().describe('Earliest issue date (YYYY-MM-DD)'),
          to: isoDate.optional().describe('Latest issue date (YYYY-MM-DD), inclusive'),
          minAmount: z
            .number()
            .min(0)
            .optional()
            .describe('Smallest invoice total in DKK incl. VAT'),
          maxAmount: z
            .number()
            .min(0)
            .optional()
            .describe('Largest invoice total in DKK incl. VAT'),
          limit: limitSchema,
        },
        outputSchema: {
          invoices: z.array(invoiceSummarySchema),
          count: z.number(),
          totalAmount: z.number().describe('Sum of the listed invoice totals in DKK'),
          truncated: z.boolean().describe('True when more invoices matched than the limit'),
        },
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      ({ customer, status, from, to, minAmount, maxAmount, limit }, extra) => {
        const { invoices, statusOf, summarize } = ledger(extra);
        if (from && to && from > to) {
          throw new DemoServerError('invalid_argument', 'from: must not be after "to"', {
            field: 'from',
          });
        }
        const needle = customer?.trim().toLowerCase();
        const matched = invoices
          .filter(
            (invoice) =>
              (!needle ||
                invoice.customerName.toLowerCase().includes(needle) ||
                invoice.customerId === needle) &&
              (!status || statusOf(invoice) === status) &&
              (!from || invoice.issueDate >= from) &&
              (!to || invoice.issueDate <= to) &&
              (minAmount === undefined || invoice.total >= minAmount) &&
              (maxAmount === undefined || invoice.total <= maxAmount),
          )
          .sort(
            (a, b) => b.issueDate.localeCompare(a.issueDate) || b.number.localeCompare(a.number),
          );
        const rows = matched.slice(0, limit ?? 25).map(summarize);
        const totalAmount = fromOre(rows.reduce((sum, row) => sum + toOre(row.total), 0));
        return toolResult(
          `${rows.length} invoice(s), total ${formatDkk(totalAmount)}${matched.length > rows.length ? ` (${matched.length} matched; raise limit to see more)` : ''}`,
          {
            invoices: rows,
            count: rows.length,
            totalAmount,
            truncated: matched.length > rows.length,
          },
        );
      },
    );

    server.registerTool(
      'get_invoice',
      {
        title: 'Get invoice',
        description: 'Get one invoice with its lines, payments, totals and balance.',
        inputSchema: { invoiceId: invoiceIdInput },
        outputSchema: { invoice: invoiceDetailSchema },
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      ({ invoiceId }, extra) => {
        const { findInvoice, statusOf, detail } = ledger(extra);
        const invoice = findInvoice(invoiceId);
        return toolResult(
          `Invoice ${invoice.number} to ${invoice.customerName}: ${formatDkk(invoice.total)} (${statusOf(invoice)}, balance ${formatDkk(invoice.balance)})`,
          { invoice: detail(invoice) },
        );
      },
    );

    server.registerTool(
      'create_invoice',
      {
        title: 'Create draft invoice',
        description:
          'Create a draft invoice for a customer. Give either "lines" (free text lines, each may name a product instead of a price) or one "product" with a "quantity". Prices are DKK excluding VAT; 25 % VAT is added. The draft must be approved before it can be sent.',
        inputSchema: {
          customer: z
            .string()
            .min(1)
            .describe('Customer id, name or part of the name, e.g. "Nordlys Rengøring"'),
          lines: z
            .array(
              z.object({
                description: z
                  .string()
                  .min(1)
                  .max(200)
                  .optional()
                  .describe('Line text; defaults to the product name'),
                product: z
                  .string()
                  .optional()
                  .describe('Product id or name; supplies unit price and unit'),
                quantity: z
                  .number()
                  .positive()
                  .max(100_000)
                  .describe('Quantity (hours, pieces, m²)'),
                unitPrice: z
                  .number()
                  .min(0)
                  .max(10_000_000)
                  .optional()
                  .describe('DKK excl. VAT per unit; required without product'),
              }),
            )
            .min(1)
            .max(50)
            .optional()
            .describe('Invoice lines'),
          product: z
            .string()
            .optional()
            .describe(
              'Product id or name, e.g. "window cleaning", when invoicing a single product',
            ),
          quantity: z
            .number()
            .positive()
            .max(100_000)
            .optional()
            .describe('Quantity of "product", e.g. 10 (hours)'),
          issueDate: isoDate.optional().describe('Issue date (YYYY-MM-DD), default today'),
          paymentTermsDays: z
            .number()
            .int()
            .min(0)
            .max(90)
            .optional()
            .describe("Days until due; default the customer's terms"),
        },
        outputSchema: { invoice: invoiceDetailSchema },
        annotations: {
          readOnlyHint: false,
          destructiveHint: false,
          idempotentHint: false,
          openWorldHint: false,
        },
      },
      (input, extra) => {
        const { invoices, tenant, tenantId, findCustomer, findProduct, detail } = ledger(extra);
        const customer = findCustomer(input.customer);
        const lineInputs =
          input.lines ??
          (input.product ? [{ product: input.product, quantity: input.quantity ?? 1 }] : undefined);
        if (!lineInputs) {
          throw new DemoServerError(
            'invalid_argument',
            'lines: give "lines" or a "product" with a "quantity"',
            { field: 'lines' },
          );
        }
        const lines: InvoiceLine[] = lineInputs.map((line, index) => {
          const product = line.product
            ? findProduct(line.product, input.lines ? `lines[${index}].product` : 'product')
            : undefined;
          const unitPrice =
            'unitPrice' in line && line.unitPrice !== undefined
              ? line.unitPrice
              : product?.unitPrice;
          if (unitPrice === undefined) {
            throw new DemoServerError(
              'invalid_argument',
              `lines[${index}].unitPrice: required when no product is given`,
              { field: `lines[${index}].unitPrice` },
            );
          }
          const description =
            ('description' in line ? line.description : undefined) ?? product?.name;
          if (!description) {
            throw new DemoServerError(
              'invalid_argument',
              `lines[${index}].description: required when no product is given`,
              { field: `lines[${index}].description` },
            );
          }
          return createInvoiceLine({
            description,
            productId: product?.id ?? null,
            quantity: line.quantity,
            unit: product?.unit ?? 'piece',
            unitPrice,
          });
        });
        const issueDate = input.issueDate ?? today;
        const due = addDays(
          new Date(`${issueDate}T00:00:00Z`),
          input.paymentTermsDays ?? customer.paymentTermsDays,
        );
        const totals = sumLines(lines);
        const invoice: Invoice = {
          id: recordId(tenant, 'inv', nextNumber(invoices)),
          tenantId,
          number: String(Math.max(0, ...invoices.map((item) => Number(item.number))) + 1),
          customerId: customer.id,
          customerName: customer.name,
          issueDate,
          dueDate: toIsoDate(due),
          status: 'draft',
          currency: 'DKK',
          lines,
          ...totals,
          paid: 0,
          balance: totals.total,
          approvedAt: null,
          sentAt: null,
        };
        invoices.push(invoice);
        context.books.changed({ tenantId, kind: 'invoice', id: invoice.id });
        return toolResult(
          `Created draft invoice ${invoice.number} (${invoice.id}) to ${customer.name}: net ${formatDkk(invoice.net)} + VAT ${formatDkk(invoice.vat)} = ${formatDkk(invoice.total)}`,
          { invoice: detail(invoice) },
        );
      },
    );

    server.registerTool(
      'approve_invoice',
      {
        title: 'Approve invoice',
        description:
          'Approve a draft invoice. Approval locks the lines and books the invoice; it cannot be undone (use a credit note).',
        inputSchema: { invoiceId: invoiceIdInput },
        outputSchema: { invoice: invoiceDetailSchema },
        annotations: {
          readOnlyHint: false,
          destructiveHint: false,
          idempotentHint: false,
          openWorldHint: false,
        },
      },
      ({ invoiceId }, extra) => {
        const { findInvoice, statusOf, detail } = ledger(extra);
        const invoice = findInvoice(invoiceId);
        if (invoice.status !== 'draft') {
          throw new DemoServerError(
            'invalid_state',
            `invoiceId: invoice ${invoice.number} is ${statusOf(invoice)}, only drafts can be approved`,
            { field: 'invoiceId' },
          );
        }
        invoice.status = 'approved';
        invoice.approvedAt = context.now.toISOString();
        context.books.changed({ tenantId: invoice.tenantId, kind: 'invoice', id: invoice.id });
        return toolResult(`Approved invoice ${invoice.number} (${formatDkk(invoice.total)})`, {
          invoice: detail(invoice),
        });
      },
    );

    server.registerTool(
      'send_invoice',
      {
        title: 'Send invoice',
        description:
          "Email an approved invoice to the customer (or resend a sent one). Goes to the customer's email unless another address is given.",
        inputSchema: {
          invoiceId: invoiceIdInput,
          email: z.email().optional().describe('Recipient; default the customer email'),
          message: z.string().max(2000).optional().describe('Optional message in the email body'),
        },
        outputSchema: { invoice: invoiceDetailSchema, sentTo: z.string() },
        annotations: {
          readOnlyHint: false,
          destructiveHint: true,
          idempotentHint: false,
          openWorldHint: true,
        },
      },
      ({ invoiceId, email }, extra) => {
        const { customers, findInvoice, detail } = ledger(extra);
        const invoice = findInvoice(invoiceId);
        if (invoice.status === 'draft') {
          throw new DemoServerError(
            'invalid_state',
            `invoiceId: invoice ${invoice.number} is a draft; approve it first`,
            { field: 'invoiceId' },
          );
        }
        const customer = customers.find((item) => item.id === invoice.customerId);
        const sentTo = email ?? customer?.email ?? '';
        if (!sentTo) {
          throw new DemoServerError(
            'invalid_argument',
            'email: the customer has no email address; pass one',
            { field: 'email' },
          );
        }
        if (invoice.status === 'approved') invoice.status = invoice.balance === 0 ? 'paid' : 'sent';
        invoice.sentAt = context.now.toISOString();
        context.books.changed({ tenantId: invoice.tenantId, kind: 'invoice', id: invoice.id });
        return toolResult(
          `Sent invoice ${invoice.number} to ${sentTo} (demo: recorded, not delivered)`,
          {
            invoice: detail(invoice),
            sentTo,
          },
        );
      },
    );

    server.registerTool(
      'record_payment',
      {
        title: 'Record payment',
        description:
          'Record a payment received for an approved or sent invoice. Partial payments are allowed; an amount above the open balance is refused.',
        inputSchema: {
          invoiceId: invoiceIdInput,
          amount: z.number().positive().describe('Amount received in DKK'),
          date: isoDate.optional().describe('Payment date (YYYY-MM-DD), default today'),
          method: z
            .enum(['bank_transfer', 'mobilepay', 'card'])
            .optional()
            .describe('Default "bank_transfer"'),
        },
        outputSchema: { invoice: invoiceDetailSchema, payment: paymentSchema },
        annotations: {
          readOnlyHint: false,
          destructiveHint: false,
          idempotentHint: false,
          openWorldHint: false,
        },
      },
      ({ invoiceId, amount, date, method }, extra) => {
        const { payments, tenant, tenantId, findInvoice, statusOf, detail } = ledger(extra);
        const invoice = findInvoice(invoiceId);
        if (invoice.status === 'draft') {
          throw new DemoServerError(
            'invalid_state',
            `invoiceId: invoice ${invoice.number} is a draft; approve it before recording payments`,
            { field: 'invoiceId' },
          );
        }
        const amountOre = toOre(amount);
        if (amountOre > toOre(invoice.balance)) {
          throw new DemoServerError(
            'invalid_argument',
            `amount: ${formatDkk(amount)} exceeds the open balance ${formatDkk(invoice.balance)}`,
            { field: 'amount' },
          );
        }
        const payment: Payment = {
          id: recordId(tenant, 'pay', nextNumber(payments)),
          tenantId,
          invoiceId: invoice.id,
          date: date ?? today,
          amount: fromOre(amountOre),
          method: method ?? 'bank_transfer',
        };
        payments.push(payment);
        invoice.paid = fromOre(toOre(invoice.paid) + amountOre);
        invoice.balance = fromOre(toOre(invoice.total) - toOre(invoice.paid));
        if (invoice.balance === 0) invoice.status = 'paid';
        context.books.changed({ tenantId, kind: 'payment', id: payment.id });
        context.books.changed({ tenantId, kind: 'invoice', id: invoice.id });
        return toolResult(
          `Recorded ${formatDkk(payment.amount)} on invoice ${invoice.number}; balance ${formatDkk(invoice.balance)} (${statusOf(invoice)})`,
          { invoice: detail(invoice), payment: stripTenant(payment) },
        );
      },
    );

    server.registerTool(
      'get_organization',
      {
        title: 'Get organization',
        description:
          'Get the company the accounts belong to: name, CVR, address, currency, VAT rate and bank account.',
        inputSchema: {},
        outputSchema: { organization: organizationSchema },
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      (_input, extra) => {
        const { organization } = ledger(extra);
        return toolResult(
          `${organization.name}, CVR ${organization.cvr}, ${organization.zipcode} ${organization.city}`,
          { organization },
        );
      },
    );

    server.registerTool(
      'get_vat_summary',
      {
        title: 'VAT (moms) summary',
        description:
          'Sum net sales, output VAT (salgsmoms, 25 %) and totals of approved and sent invoices issued in a period, per month, with paid and outstanding amounts. Defaults to the current quarter.',
        inputSchema: {
          from: isoDate
            .optional()
            .describe('First issue date (YYYY-MM-DD); default start of the current quarter'),
          to: isoDate.optional().describe('Last issue date (YYYY-MM-DD), inclusive; default today'),
        },
        outputSchema: {
          from: z.string(),
          to: z.string(),
          invoiceCount: z.number(),
          net: z.number(),
          vat: z.number(),
          total: z.number(),
          paid: z.number(),
          outstanding: z.number(),
          byMonth: z.array(
            z.object({
              month: z.string(),
              invoiceCount: z.number(),
              net: z.number(),
              vat: z.number(),
              total: z.number(),
            }),
          ),
        },
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      ({ from, to }, extra) => {
        const { invoices } = ledger(extra);
        const quarterStart = new Date(
          Date.UTC(context.now.getUTCFullYear(), Math.floor(context.now.getUTCMonth() / 3) * 3, 1),
        );
        const start = from ?? toIsoDate(quarterStart);
        const end = to ?? today;
        if (start > end)
          throw new DemoServerError('invalid_argument', 'from: must not be after "to"', {
            field: 'from',
          });
        const booked = invoices.filter(
          (invoice) =>
            invoice.status !== 'draft' && invoice.issueDate >= start && invoice.issueDate <= end,
        );
        const sum = (items: Invoice[], key: 'net' | 'vat' | 'total' | 'paid' | 'balance') =>
          fromOre(items.reduce((total, invoice) => total + toOre(invoice[key]), 0));
        const months = [...new Set(booked.map((invoice) => invoice.issueDate.slice(0, 7)))].sort();
        const byMonth = months.map((month) => {
          const items = booked.filter((invoice) => invoice.issueDate.startsWith(month));
          return {
            month,
            invoiceCount: items.length,
            net: sum(items, 'net'),
            vat: sum(items, 'vat'),
            total: sum(items, 'total'),
          };
        });
        const result = {
          from: start,
          to: end,
          invoiceCount: booked.length,
          net: sum(booked, 'net'),
          vat: sum(booked, 'vat'),
          total: sum(booked, 'total'),
          paid: sum(booked, 'paid'),
          outstanding: sum(booked, 'balance'),
          byMonth,
        };
        return toolResult(
          `${start}–${end}: ${booked.length} invoice(s), net ${formatDkk(result.net)}, VAT ${formatDkk(result.vat)}, total ${formatDkk(result.total)}, outstanding ${formatDkk(result.outstanding)}`,
          result,
        );
      },
    );
  };

  return {
    register,
    health: () => ({
      organizations: context.books.all().length,
      invoices: context.books.all().reduce((sum, books) => sum + books.invoices.length, 0),
    }),
  };
}
