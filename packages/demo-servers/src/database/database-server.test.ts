import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoData, TENANTS } from '../demo-data.js';
import { type RunningServer, startServer } from '../start-server.js';
import { connectTestClient, TEKUP_CALLER, type TestClient, textOf } from '../test-client.js';

const now = new Date('2026-03-04T09:30:00Z');
const data = createDemoData({ now });
const [tekup, nordlys] = TENANTS;

let server: RunningServer;
let client: TestClient;

beforeAll(async () => {
  server = await startServer('database', { port: 0, now, queryTimeoutMs: 1500, rowLimit: 50 });
  client = await connectTestClient(server.url, { caller: TEKUP_CALLER });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
});

type QueryOutput = {
  rows: Record<string, unknown>[];
  rowCount: number;
  truncated: boolean;
  tenantId: string;
};

async function query(sql: string, tenantId?: string, limit?: number): Promise<QueryOutput> {
  const result = await client.call(
    'query',
    { sql, ...(limit ? { limit } : {}) },
    tenantId ? { tenantId, userId: 'u1', role: 'viewer' } : undefined,
  );
  if (result.isError) throw new Error(textOf(result));
  return result.structuredContent as QueryOutput;
}

describe('database', () => {
  it('lists tables with row counts visible to the caller’s organization', async () => {
    const result = await client.call('list_tables');
    const output = result.structuredContent as {
      tables: { name: string; rowCount: number }[];
      tenantId: string;
    };
    expect(output.tenantId).toBe(tekup.id);
    const invoices = output.tables.find((table) => table.name === 'invoices');
    expect(invoices?.rowCount).toBe(
      data.invoices.filter((invoice) => invoice.tenantId === tekup.id).length,
    );
    expect(output.tables.map((table) => table.name)).toContain('bookings');
  });

  it('describes a table and names the field for an unknown one', async () => {
    const result = await client.call('describe_table', { table: 'invoices' });
    const output = result.structuredContent as {
      columns: { name: string; type: string }[];
      primaryKey: string[];
    };
    expect(output.columns.find((column) => column.name === 'total')?.type).toBe('numeric');
    expect(output.primaryKey).toEqual(['id']);
    const unknown = await client.call('describe_table', { table: 'pg_authid' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/^table: unknown table/);
  });

  it('applies Row Level Security from the forwarded caller tenant', async () => {
    const sql = 'SELECT count(*) AS invoices, coalesce(sum(total), 0) AS revenue FROM invoices';
    const own = await query(sql, tekup.id);
    const other = await query(sql, nordlys.id);
    const expectTenant = (tenantId: string) => {
      const rows = data.invoices.filter((invoice) => invoice.tenantId === tenantId);
      return {
        invoices: rows.length,
        revenue: rows.reduce((sum, invoice) => sum + invoice.total, 0),
      };
    };
    expect(own.rows[0]?.invoices).toBe(expectTenant(tekup.id).invoices);
    expect(other.rows[0]?.invoices).toBe(expectTenant(nordlys.id).invoices);
    expect(other.rows[0]?.revenue).toBeCloseTo(expectTenant(nordlys.id).revenue, 2);
    expect(other.tenantId).toBe(nordlys.id);

    const leak = await query(`SELECT id FROM invoices WHERE tenant_id = '${tekup.id}'`, nordlys.id);
    expect(leak.rowCount).toBe(0);
    const tenants = await query('SELECT DISTINCT tenant_id FROM bookings', nordlys.id);
    expect(tenants.rows).toEqual([{ tenant_id: nordlys.id }]);
    const stranger = await client.call(
      'query',
      { sql: 'SELECT count(*) AS n FROM customers' },
      { tenantId: '00000000-0000-4000-8000-00000000abcd' },
    );
    expect(stranger.isError).toBe(true);
    expect(textOf(stranger)).toMatch(/no data on this server/);
    const nobody = await client.call(
      'query',
      { sql: 'SELECT count(*) AS n FROM customers' },
      { userId: 'u1', role: 'admin' },
    );
    expect(nobody.isError).toBe(true);
    expect(textOf(nobody)).toMatch(/names none/);
    const organizations = await query('SELECT name FROM organizations', nordlys.id);
    expect(organizations.rows).toEqual([{ name: 'Nordlys Rengøring ApS' }]);
  });

  it('cannot switch tenant from inside a query', async () => {
    const result = await client.call(
      'query',
      { sql: `SELECT set_config('app.tenant_id', '${tekup.id}', true), count(*) FROM invoices` },
      { tenantId: nordlys.id },
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/function "set_config" is not allowed/);
    const session = await client.call(
      'query',
      { sql: `SET app.tenant_id = '${tekup.id}'` },
      { tenantId: nordlys.id },
    );
    expect(session.isError).toBe(true);
    const malformed = await client.call(
      'query',
      { sql: 'SELECT 1' },
      { tenantId: "x' OR true --" },
    );
    expect(textOf(malformed)).toMatch(/tenantId/);
  });

  it('refuses writes and DDL before they reach Postgres', async () => {
    for (const sql of [
      "INSERT INTO customers (id, tenant_id, name, type, payment_terms_days, created_at) VALUES ('x', '00000000-0000-4000-8000-000000000001', 'X', 'company', 8, now())",
      'UPDATE invoices SET total = 0',
      'DELETE FROM payments',
      'DROP TABLE invoices',
      'CREATE TABLE evil (id int)',
      'TRUNCATE sales',
      'GRANT ALL ON invoices TO PUBLIC',
    ]) {
      const result = await client.call('query', { sql });
      expect(result.isError, sql).toBe(true);
      expect(textOf(result), sql).toMatch(/^sql: .*not allowed/);
    }
    const cte = await client.call('query', {
      sql: 'WITH gone AS (DELETE FROM sales RETURNING id) SELECT count(*) FROM gone',
    });
    expect(textOf(cte)).toMatch(/Delete is not allowed inside a query/);
    const count = await query('SELECT count(*) AS n FROM sales');
    expect(count.rows[0]?.n).toBe(data.sales.filter((sale) => sale.tenantId === tekup.id).length);
  });

  it('caps rows and reports truncation, even for an endless query', async () => {
    const capped = await query('SELECT * FROM sales ORDER BY id', undefined, 50);
    expect(capped.rowCount).toBe(50);
    expect(capped.truncated).toBe(true);
    const endless = await query(
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n',
      undefined,
      5,
    );
    expect(endless.rows.map((row) => row.i)).toEqual([1, 2, 3, 4, 5]);
    expect(endless.truncated).toBe(true);
    const tooMany = await client.call('query', { sql: 'SELECT 1', limit: 51 });
    expect(textOf(tooMany)).toMatch(/limit/);
  });

  it('stops a query over the time limit and keeps serving afterwards', async () => {
    const slow = await client.call('query', {
      sql: 'SELECT count(*) FROM sales a, sales b, sales c, sales d',
    });
    expect(slow.isError).toBe(true);
    expect(textOf(slow)).toMatch(/^sql: the query ran longer than 1500 ms/);
    const after = await query('SELECT count(*) AS n FROM invoices');
    expect(after.rows[0]?.n).toBe(
      data.invoices.filter((invoice) => invoice.tenantId === tekup.id).length,
    );
  }, 40_000);

  it('reports SQL errors and empty input by field', async () => {
    const syntax = await client.call('query', { sql: 'SELEC 1' });
    expect(textOf(syntax)).toMatch(/^sql: syntax error/);
    const empty = await client.call('query', { sql: '   ' });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toMatch(/sql/);
    const twoStatements = await client.call('query', { sql: 'SELECT 1; DROP TABLE invoices' });
    expect(twoStatements.isError).toBe(true);
  });
});

describe('isolation between organizations', () => {
  it('answers one organization while another’s query runs past its time limit', async () => {
    const slow = client.call(
      'query',
      { sql: 'SELECT count(*) FROM sales a, sales b, sales c, sales d' },
      { tenantId: tekup.id },
    );
    const fast = query('SELECT count(*) AS n FROM invoices', nordlys.id);
    const first = await Promise.race([slow.then(() => 'slow'), fast.then(() => 'fast')]);
    expect(first).toBe('fast');
    expect((await fast).rows[0]?.n).toBe(
      data.invoices.filter((invoice) => invoice.tenantId === nordlys.id).length,
    );
    expect(textOf(await slow)).toMatch(/ran longer than/);
  }, 40_000);

  it('keeps Postgres itself refusing writes as the reader, behind the sandbox', async () => {
    const { createSchemaTemplate, createSqlEngine } = await import('./sql-engine.js');
    const { createSchemaSql } = await import('./seed-sql.js');
    const engine = await createSqlEngine({
      template: await createSchemaTemplate(createSchemaSql()),
      rowsSql: () => '',
      timeoutMs: 5000,
    });
    try {
      for (const sql of ['INSERT INTO sales DEFAULT VALUES', 'CREATE TABLE evil (id int)']) {
        await expect(
          engine.run({ sql, tenantId: tekup.id, cursor: false, rowLimit: 1 }),
        ).rejects.toMatchObject({ code: expect.stringMatching(/^(25006|42501)$/) });
      }
    } finally {
      await engine.close();
    }
  }, 60_000);
});
