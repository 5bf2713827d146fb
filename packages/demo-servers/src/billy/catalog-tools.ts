import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { formatDkk, fromOre, toOre } from '../core/money.js';
import { nextNumber } from '../core/books.js';
import { toolResult } from '../core/tool-result.js';
import { type Customer, isValidCvr, recordId } from '../demo-data.js';
import { DemoServerError } from '../errors.js';
import { type BillyTools, stripTenant } from './ledger.js';
import { limitSchema, customerSchema, productSchema, paymentTermsInput } from './schemas.js';
import { ADDS, READS } from '../core/annotations.js';

/** billy's customer and product tools: list, get and create customers; list and get products. */
export function registerCatalogTools(
  server: McpServer,
  { context, today, ledger }: BillyTools,
): void {
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
      annotations: READS,
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
      annotations: READS,
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
        paymentTermsDays: paymentTermsInput('Payment terms in days (default 14)'),
      },
      outputSchema: { customer: customerSchema },
      annotations: ADDS,
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
      if (customers.some((customer) => customer.name.toLowerCase() === input.name.toLowerCase())) {
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
      description: 'List the products and services with unit and unit price in DKK excluding VAT.',
      inputSchema: {
        search: z
          .string()
          .optional()
          .describe('Case-insensitive text to look for in name or description'),
        limit: limitSchema,
      },
      outputSchema: { products: z.array(productSchema), count: z.number() },
      annotations: READS,
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
      annotations: READS,
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
}
