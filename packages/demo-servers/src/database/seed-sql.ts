import type { Books, BooksChange, TenantBooks } from '../core/books.js';
import { bookingFromEvent, type Sale } from '../demo-data.js';

/** Role the server's queries run as: SELECT only, subject to Row Level Security. */
export const READER_ROLE = 'mcp_reader';

/** A table of the demo database with its description. */
export interface TableInfo {
  name: string;
  description: string;
}

/** The tables of the demo database. */
export const DATABASE_TABLES: readonly TableInfo[] = [
  { name: 'organizations', description: 'The tenant companies (one row per tenant)' },
  { name: 'customers', description: 'Customers of each tenant (same as Billy contacts)' },
  { name: 'products', description: 'Products and services with unit price in DKK excl. VAT' },
  {
    name: 'invoices',
    description: 'Invoices with net, VAT (25 %), total, paid and balance in DKK',
  },
  { name: 'invoice_lines', description: 'Lines of each invoice' },
  { name: 'payments', description: 'Payments recorded against invoices' },
  { name: 'sales', description: 'Sales per product and customer over the last 12 months' },
  { name: 'bookings', description: 'Cleaning bookings (RenOS) with date, start time and hours' },
];

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** Column lists, and how a books record becomes a row: one definition for the seed and every sync. */
const COLUMNS = {
  organizations: ['id', 'name', 'cvr', 'street', 'zipcode', 'city', 'email', 'phone'],
  customers: [
    'id',
    'tenant_id',
    'name',
    'type',
    'cvr',
    'email',
    'phone',
    'street',
    'zipcode',
    'city',
    'payment_terms_days',
    'created_at',
  ],
  products: [
    'id',
    'tenant_id',
    'product_number',
    'name',
    'description',
    'unit',
    'unit_price',
    'vat_rate',
  ],
  invoices: [
    'id',
    'tenant_id',
    'number',
    'customer_id',
    'customer_name',
    'issue_date',
    'due_date',
    'status',
    'currency',
    'net',
    'vat',
    'total',
    'paid',
    'balance',
  ],
  invoice_lines: [
    'invoice_id',
    'line_no',
    'tenant_id',
    'description',
    'product_id',
    'quantity',
    'unit',
    'unit_price',
    'net',
    'vat',
    'total',
  ],
  payments: ['id', 'tenant_id', 'invoice_id', 'date', 'amount', 'method'],
  sales: [
    'id',
    'tenant_id',
    'date',
    'product_id',
    'product_name',
    'customer_id',
    'quantity',
    'amount',
  ],
  bookings: [
    'id',
    'tenant_id',
    'customer_id',
    'customer_name',
    'service',
    'date',
    'start_time',
    'hours',
    'status',
    'address',
  ],
} as const satisfies Record<string, readonly string[]>;

type Table = keyof typeof COLUMNS;

function insert(table: Table, rows: unknown[][], upsert = false): string {
  if (rows.length === 0) return '';
  const columns = COLUMNS[table];
  const values = rows.map((row) => `(${row.map(literal).join(', ')})`).join(',\n');
  const conflict = upsert
    ? ` ON CONFLICT (id) DO UPDATE SET ${columns
        .filter((column) => column !== 'id')
        .map((column) => `${column} = EXCLUDED.${column}`)
        .join(', ')}`
    : '';
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES\n${values}${conflict};\n`;
}

const rows = {
  customers: (books: TenantBooks, ids?: ReadonlySet<string>) =>
    books.customers
      .filter((item) => !ids || ids.has(item.id))
      .map((item) => [
        item.id,
        item.tenantId,
        item.name,
        item.type,
        item.cvr,
        item.email,
        item.phone,
        item.street,
        item.zipcode,
        item.city,
        item.paymentTermsDays,
        item.createdAt,
      ]),
  invoices: (books: TenantBooks, ids?: ReadonlySet<string>) =>
    books.invoices
      .filter((item) => !ids || ids.has(item.id))
      .map((item) => [
        item.id,
        item.tenantId,
        item.number,
        item.customerId,
        item.customerName,
        item.issueDate,
        item.dueDate,
        item.status,
        item.currency,
        item.net,
        item.vat,
        item.total,
        item.paid,
        item.balance,
      ]),
  invoiceLines: (books: TenantBooks, ids?: ReadonlySet<string>) =>
    books.invoices
      .filter((item) => !ids || ids.has(item.id))
      .flatMap((invoice) =>
        invoice.lines.map((line, index) => [
          invoice.id,
          index + 1,
          invoice.tenantId,
          line.description,
          line.productId,
          line.quantity,
          line.unit,
          line.unitPrice,
          line.net,
          line.vat,
          line.total,
        ]),
      ),
  payments: (books: TenantBooks, ids?: ReadonlySet<string>) =>
    books.payments
      .filter((item) => !ids || ids.has(item.id))
      .map((item) => [item.id, item.tenantId, item.invoiceId, item.date, item.amount, item.method]),
  bookings: (books: TenantBooks, now: Date, ids?: ReadonlySet<string>) =>
    books.events
      .filter((item) => !ids || ids.has(item.id))
      .flatMap((event) => bookingFromEvent(event, now) ?? [])
      .map((item) => [
        item.id,
        item.tenantId,
        item.customerId,
        item.customerName,
        item.service,
        item.date,
        item.startTime,
        item.hours,
        item.status,
        item.address,
      ]),
};

/** Schema, comments, the reader role, grants and Row Level Security policies; no rows. */
export function createSchemaSql(): string {
  const tenantTables = DATABASE_TABLES.filter((table) => table.name !== 'organizations').map(
    (table) => table.name,
  );
  const schema = `
CREATE TABLE organizations (id uuid PRIMARY KEY, name text NOT NULL, cvr text NOT NULL, street text, zipcode text, city text, email text, phone text, currency text NOT NULL DEFAULT 'DKK');
CREATE TABLE customers (id text PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES organizations(id), name text NOT NULL, type text NOT NULL, cvr text, email text, phone text, street text, zipcode text, city text, payment_terms_days integer NOT NULL, created_at date NOT NULL);
CREATE TABLE products (id text PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES organizations(id), product_number text NOT NULL, name text NOT NULL, description text, unit text NOT NULL, unit_price numeric(12,2) NOT NULL, vat_rate numeric(4,2) NOT NULL);
CREATE TABLE invoices (id text PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES organizations(id), number text NOT NULL, customer_id text NOT NULL REFERENCES customers(id), customer_name text NOT NULL, issue_date date NOT NULL, due_date date NOT NULL, status text NOT NULL, currency text NOT NULL, net numeric(12,2) NOT NULL, vat numeric(12,2) NOT NULL, total numeric(12,2) NOT NULL, paid numeric(12,2) NOT NULL, balance numeric(12,2) NOT NULL);
CREATE TABLE invoice_lines (invoice_id text NOT NULL REFERENCES invoices(id), line_no integer NOT NULL, tenant_id uuid NOT NULL REFERENCES organizations(id), description text NOT NULL, product_id text, quantity numeric(12,2) NOT NULL, unit text NOT NULL, unit_price numeric(12,2) NOT NULL, net numeric(12,2) NOT NULL, vat numeric(12,2) NOT NULL, total numeric(12,2) NOT NULL, PRIMARY KEY (invoice_id, line_no));
CREATE TABLE payments (id text PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES organizations(id), invoice_id text NOT NULL REFERENCES invoices(id), date date NOT NULL, amount numeric(12,2) NOT NULL, method text NOT NULL);
CREATE TABLE sales (id text PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES organizations(id), date date NOT NULL, product_id text NOT NULL REFERENCES products(id), product_name text NOT NULL, customer_id text NOT NULL REFERENCES customers(id), quantity numeric(12,2) NOT NULL, amount numeric(12,2) NOT NULL);
CREATE TABLE bookings (id text PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES organizations(id), customer_id text NOT NULL REFERENCES customers(id), customer_name text NOT NULL, service text NOT NULL, date date NOT NULL, start_time time NOT NULL, hours numeric(5,2) NOT NULL, status text NOT NULL, address text);
`;
  const comments = DATABASE_TABLES.map(
    (table) => `COMMENT ON TABLE ${table.name} IS ${literal(table.description)};`,
  ).join('\n');
  const tenantExpression = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";
  const security = `
CREATE ROLE ${READER_ROLE} NOLOGIN NOSUPERUSER NOINHERIT;
GRANT USAGE ON SCHEMA public TO ${READER_ROLE};
GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${READER_ROLE};
-- Stop queries from rewriting the tenant setting mid-statement or escaping through procedural code.
REVOKE EXECUTE ON FUNCTION set_config(text, text, boolean) FROM PUBLIC;
REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC;
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations FOR SELECT USING (id = ${tenantExpression});
${tenantTables
  .map(
    (table) =>
      `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;\nCREATE POLICY tenant_isolation ON ${table} FOR SELECT USING (tenant_id = ${tenantExpression});`,
  )
  .join('\n')}
`;
  return `${schema}\n${comments}\n${security}`;
}

/**
 * Every row of one organization as it stands in the books now (plus its historical sales):
 * what a tenant's replica is loaded with at start and after a restart.
 */
export function createTenantRowsSql(books: TenantBooks, sales: readonly Sale[], now: Date): string {
  const organization = books.organization;
  const tenantId = books.tenant.id;
  return [
    insert('organizations', [
      [
        organization.id,
        organization.name,
        organization.cvr,
        organization.street,
        organization.zipcode,
        organization.city,
        organization.email,
        organization.phone,
      ],
    ]),
    insert('customers', rows.customers(books)),
    insert(
      'products',
      books.products.map((item) => [
        item.id,
        item.tenantId,
        item.productNumber,
        item.name,
        item.description,
        item.unit,
        item.unitPrice,
        item.vatRate,
      ]),
    ),
    insert('invoices', rows.invoices(books)),
    insert('invoice_lines', rows.invoiceLines(books)),
    insert('payments', rows.payments(books)),
    insert(
      'sales',
      sales
        .filter((item) => item.tenantId === tenantId)
        .map((item) => [
          item.id,
          item.tenantId,
          item.date,
          item.productId,
          item.productName,
          item.customerId,
          item.quantity,
          item.amount,
        ]),
    ),
    insert('bookings', rows.bookings(books, now)),
  ].join('\n');
}

/**
 * The statements that bring a replica up to date with one change in the books: upserts of
 * the changed record's current state, so applying one twice changes nothing.
 */
export function createChangeSql(books: Books, change: BooksChange, now: Date): string {
  const tenant = books.get(change.tenantId);
  if (!tenant) return '';
  const ids = new Set([change.id]);
  switch (change.kind) {
    case 'customer':
      return insert('customers', rows.customers(tenant, ids), true);
    case 'invoice':
      return [
        insert('invoices', rows.invoices(tenant, ids), true),
        `DELETE FROM invoice_lines WHERE invoice_id = ${literal(change.id)};\n`,
        insert('invoice_lines', rows.invoiceLines(tenant, ids)),
      ].join('');
    case 'payment':
      return insert('payments', rows.payments(tenant, ids), true);
    case 'event':
      return insert('bookings', rows.bookings(tenant, now, ids), true);
  }
}
