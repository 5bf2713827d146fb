import type { JSONSchema7 } from 'ai';

/**
 * Tools shaped like a small billing, calendar, documentation and database fleet, as a browser
 * sends them. Frozen here so these tests pin the planner, not a fleet that may change; the
 * real demo fleet is tested in `demo-fleet.test.ts`.
 */
export const FIXTURE_TOOLS: Array<{
  name: string;
  description: string;
  inputSchema: JSONSchema7;
  annotations?: { readOnly?: boolean; destructive?: boolean };
  server?: string;
}> = [
  {
    name: 'billy__list_invoices',
    server: 'billy',
    description: 'List invoices in Billy, filtered by customer, status, date range and amount.',
    annotations: { readOnly: true },
    inputSchema: {
      type: 'object',
      properties: {
        customer: { type: 'string', description: 'Customer name (or part of it)' },
        status: { type: 'string', enum: ['draft', 'approved', 'sent', 'paid', 'overdue'] },
        from: { type: 'string', format: 'date', description: 'Invoice date from (inclusive)' },
        to: { type: 'string', format: 'date', description: 'Invoice date to (inclusive)' },
        minAmount: { type: 'number' },
        maxAmount: { type: 'number' },
        limit: { type: 'integer', minimum: 1, maximum: 100 },
      },
      additionalProperties: false,
    },
  },
  {
    name: 'billy__create_invoice',
    server: 'billy',
    description: 'Create a draft invoice for a customer.',
    annotations: { destructive: true },
    inputSchema: {
      type: 'object',
      properties: {
        customer: { type: 'string', description: 'Customer name' },
        lines: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: {
              description: { type: 'string' },
              quantity: { type: 'number' },
              unitPrice: { type: 'number' },
            },
            required: ['description', 'quantity', 'unitPrice'],
          },
        },
      },
      required: ['customer', 'lines'],
    },
  },
  {
    name: 'calendar__list_events',
    server: 'calendar',
    description: 'List calendar events between two dates.',
    annotations: { readOnly: true },
    inputSchema: {
      type: 'object',
      properties: {
        from: { type: 'string', format: 'date' },
        to: { type: 'string', format: 'date' },
      },
      required: ['from'],
    },
  },
  {
    name: 'knowledge__search_docs',
    server: 'knowledge',
    description: 'Search the Tekup knowledge base and return matching documents.',
    annotations: { readOnly: true },
    inputSchema: {
      type: 'object',
      properties: { query: { type: 'string' }, limit: { type: 'integer' } },
      required: ['query'],
    },
  },
  {
    name: 'database__query',
    server: 'database',
    description: 'Run a read-only SQL query against the Tekup database.',
    annotations: { readOnly: true },
    inputSchema: {
      type: 'object',
      properties: { sql: { type: 'string' } },
      required: ['sql'],
    },
  },
];

/** More tools of the same fleet, to test choice among neighbours. */
export const NEIGHBOUR_TOOLS: typeof FIXTURE_TOOLS = [
  {
    name: 'billy__list_customers',
    description: 'List or search the customers (contacts) in Billy.',
    inputSchema: {
      type: 'object',
      properties: {
        search: { type: 'string', description: 'Text to look for in name, email or city' },
        limit: { type: 'integer', minimum: 1, maximum: 100 },
      },
    },
  },
  {
    name: 'billy__list_products',
    description: 'List the products and services with unit and unit price in DKK.',
    inputSchema: {
      type: 'object',
      properties: { search: { type: 'string' }, limit: { type: 'integer', maximum: 100 } },
    },
  },
  {
    name: 'billy__get_invoice',
    description: 'Get one invoice with its lines, payments, totals and balance.',
    inputSchema: {
      type: 'object',
      properties: { invoiceId: { type: 'string', description: 'Invoice id or number' } },
      required: ['invoiceId'],
    },
  },
  {
    name: 'billy__send_invoice',
    description: 'Email an approved invoice to the customer.',
    inputSchema: {
      type: 'object',
      properties: {
        invoiceId: { type: 'string' },
        email: { type: 'string', format: 'email' },
      },
      required: ['invoiceId'],
    },
  },
  {
    name: 'calendar__create_event',
    description: 'Book a cleaning, meeting or inspection in the calendar.',
    inputSchema: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        start: { type: 'string', format: 'date-time' },
        end: { type: 'string', format: 'date-time' },
        type: { type: 'string', enum: ['cleaning', 'meeting', 'inspection'] },
        customer: { type: 'string' },
      },
      required: ['title', 'start'],
    },
  },
  {
    name: 'vault__get_document',
    description: 'Get the full text of one vault document by id.',
    inputSchema: {
      type: 'object',
      properties: { documentId: { type: 'string' } },
      required: ['documentId'],
    },
  },
  {
    name: 'vault__search_vault',
    description: 'Search the TekupVault index of repository docs and notes by meaning.',
    inputSchema: {
      type: 'object',
      properties: { query: { type: 'string' }, limit: { type: 'integer' } },
      required: ['query'],
    },
  },
  {
    name: 'billy__get_customer',
    description: 'Get one customer with contact details and the open balance.',
    inputSchema: {
      type: 'object',
      properties: {
        customer: {
          type: 'string',
          description: 'Customer id (e.g. "cus_001"), name or CVR number',
        },
      },
      required: ['customer'],
    },
  },
  {
    name: 'billy__record_payment',
    description: 'Record a payment received for an invoice.',
    inputSchema: {
      type: 'object',
      properties: {
        invoiceId: { type: 'string' },
        amount: { type: 'number' },
        method: { type: 'string', enum: ['bank_transfer', 'mobilepay', 'card'] },
      },
      required: ['invoiceId', 'amount'],
    },
  },
  {
    name: 'calendar__cancel_event',
    description: 'Cancel an event; its time becomes free.',
    inputSchema: {
      type: 'object',
      properties: { eventId: { type: 'string' }, reason: { type: 'string' } },
      required: ['eventId'],
    },
  },
  {
    name: 'knowledge__list_sources',
    description: 'List the documentation sources and the documents in each.',
    inputSchema: { type: 'object', properties: {} },
  },
  {
    name: 'database__describe_table',
    description: 'Show the columns of one table.',
    inputSchema: {
      type: 'object',
      properties: { table: { type: 'string' } },
      required: ['table'],
    },
  },
  {
    name: 'code-intelligence__search_code',
    description: 'Search the source files of the repository for text or an identifier.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string' },
        path: { type: 'string', description: 'Only files under this folder' },
      },
      required: ['query'],
    },
  },
  {
    name: 'code-intelligence__find_symbol',
    description: 'Find where a TypeScript symbol (function, class, type) is defined.',
    inputSchema: {
      type: 'object',
      properties: { name: { type: 'string', pattern: '^[A-Za-z_$][\\w$]*$' } },
      required: ['name'],
    },
  },
  {
    name: 'code-intelligence__get_file',
    description: 'Read a text file of the repository by relative path.',
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string' } },
      required: ['path'],
    },
  },
];
