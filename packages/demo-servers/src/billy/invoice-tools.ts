import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ADDS, READS } from '../core/annotations.js';
import { type AppView, registerAppView } from '../core/app-view.js';
import { askUser } from '../core/ask-user.js';
import { nextNumber } from '../core/books.js';
import { addDays, toIsoDate } from '../core/dates.js';
import { formatDkk, fromOre, toOre } from '../core/money.js';
import { toolResult } from '../core/tool-result.js';
import {
  createInvoiceLine,
  type Invoice,
  type InvoiceLine,
  type Payment,
  recordId,
  sumLines,
} from '../demo-data.js';
import { DemoServerError } from '../errors.js';
import { type BillyTools, stripTenant } from './ledger.js';
import {
  invoiceDetailSchema,
  invoiceIdInput,
  invoiceStatusSchema,
  invoiceSummarySchema,
  isoDate,
  limitSchema,
  paymentSchema,
  paymentTermsInput,
} from './schemas.js';

/** The invoice view (an MCP App): one invoice, with approve and send where the books allow. */
const INVOICE_VIEW: AppView = {
  uri: 'ui://billy/invoice.html',
  title: 'Invoice',
  description: 'One invoice with its lines and totals, and buttons to approve or send it',
  script: 'invoice-view',
  css: `
.totals { width: auto; min-width: 60%; margin-left: auto; }
.totals th { color: inherit; font-size: 14px; }
.totals .total th, .totals .total td { font-weight: 700; border-bottom: 2px solid var(--line); }
td:first-child { overflow-wrap: anywhere; }
@media (max-width: 440px) {
  .unit { display: none; }
  main { padding: 10px; }
  th, td { padding: 5px 2px; }
  .totals { min-width: 100%; }
}
`,
};

/** billy's invoice tools: list, get, create (draft), approve, send, and record a payment. */
export function registerInvoiceTools(
  server: McpServer,
  { context, today, ledger }: BillyTools,
): void {
  registerAppView(server, INVOICE_VIEW);
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
        minAmount: z.number().min(0).optional().describe('Smallest invoice total in DKK incl. VAT'),
        maxAmount: z.number().min(0).optional().describe('Largest invoice total in DKK incl. VAT'),
        limit: limitSchema,
      },
      outputSchema: {
        invoices: z.array(invoiceSummarySchema),
        count: z.number(),
        totalAmount: z.number().describe('Sum of the listed invoice totals in DKK'),
        truncated: z.boolean().describe('True when more invoices matched than the limit'),
      },
      annotations: READS,
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
        .sort((a, b) => b.issueDate.localeCompare(a.issueDate) || b.number.localeCompare(a.number));
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
      annotations: READS,
      // Hosts that render MCP Apps show the invoice view, with approve and send on it.
      _meta: { ui: { resourceUri: INVOICE_VIEW.uri } },
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
              quantity: z.number().positive().max(100_000).describe('Quantity (hours, pieces, m²)'),
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
          .describe('Product id or name, e.g. "window cleaning", when invoicing a single product'),
        quantity: z
          .number()
          .positive()
          .max(100_000)
          .optional()
          .describe('Quantity of "product", e.g. 10 (hours)'),
        issueDate: isoDate.optional().describe('Issue date (YYYY-MM-DD), default today'),
        paymentTermsDays: paymentTermsInput("Days until due; default the customer's terms"),
      },
      outputSchema: { invoice: invoiceDetailSchema },
      annotations: ADDS,
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
          'unitPrice' in line && line.unitPrice !== undefined ? line.unitPrice : product?.unitPrice;
        if (unitPrice === undefined) {
          throw new DemoServerError(
            'invalid_argument',
            `lines[${index}].unitPrice: required when no product is given`,
            { field: `lines[${index}].unitPrice` },
          );
        }
        const description = ('description' in line ? line.description : undefined) ?? product?.name;
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
      annotations: ADDS,
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
    async ({ invoiceId, email }, extra) => {
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
      let sentTo = email ?? customer?.email ?? '';
      // A person confirms where the invoice goes (when their client can be asked).
      const answer = await askUser(server, extra, {
        message: `Send invoice ${invoice.number} (${formatDkk(invoice.total)}) to ${customer?.name ?? 'the customer'}?`,
        requestedSchema: {
          type: 'object',
          properties: {
            recipient: {
              type: 'string',
              format: 'email',
              title: 'Recipient',
              description: 'The address the invoice is emailed to',
              ...(sentTo ? { default: sentTo } : {}),
            },
          },
          required: ['recipient'],
        },
      });
      if (answer !== undefined && answer.action !== 'accept') {
        return toolResult(
          `Invoice ${invoice.number} was not sent: the recipient was ${answer.action === 'decline' ? 'not confirmed' : 'not given (cancelled)'}`,
          { invoice: detail(invoice), sentTo: '' },
        );
      }
      if (typeof answer?.content?.recipient === 'string') sentTo = answer.content.recipient;
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
      annotations: ADDS,
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
}
