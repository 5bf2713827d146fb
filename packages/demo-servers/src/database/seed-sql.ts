import type { DemoData } from '../demo-data.js';

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

function insert(table: string, columns: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '';
  const values = rows.map((row) => `(${row.map(literal).join(', ')})`).join(',\n');
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES\n${values};\n`;
}

/** The schema, seed rows, grants and Row Level Security policies, as one SQL script. */
export function createSeedSql(data: DemoData): string {
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
  const rows = [
    insert(
      'organizations',
      ['id', 'name', 'cvr', 'street', 'zipcode', 'city', 'email', 'phone'],
      data.organizations.map((item) => [
        item.id,
        item.name,
        item.cvr,
        item.street,
        item.zipcode,
        item.city,
        item.email,
        item.phone,
      ]),
    ),
    insert(
      'customers',
      [
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
      data.customers.map((item) => [
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
    ),
    insert(
      'products',
      [
        'id',
        'tenant_id',
        'product_number',
        'name',
        'description',
        'unit',
        'unit_price',
        'vat_rate',
      ],
      data.products.map((item) => [
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
    insert(
      'invoices',
      [
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
      data.invoices.map((item) => [
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
    ),
    insert(
      'invoice_lines',
      [
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
      data.invoices.flatMap((invoice) =>
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
    ),
    insert(
      'payments',
      ['id', 'tenant_id', 'invoice_id', 'date', 'amount', 'method'],
      data.payments.map((item) => [
        item.id,
        item.tenantId,
        item.invoiceId,
        item.date,
        item.amount,
        item.method,
      ]),
    ),
    insert(
      'sales',
      [
        'id',
        'tenant_id',
        'date',
        'product_id',
        'product_name',
        'customer_id',
        'quantity',
        'amount',
      ],
      data.sales.map((item) => [
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
    insert(
      'bookings',
      [
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
      data.bookings.map((item) => [
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
    ),
  ].join('\n');
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
  return `${schema}\n${comments}\n${rows}\n${security}`;
}
