import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { requireTenantId } from '../core/books.js';
import type { MetaCarrier } from '../core/caller.js';
import type { ServerContext, ServerRuntime } from '../core/server-runtime.js';
import { toolResult } from '../core/tool-result.js';
import { DemoServerError } from '../errors.js';
import {
  createChangeSql,
  createSchemaSql,
  createTenantRowsSql,
  DATABASE_TABLES,
} from './seed-sql.js';
import { guardSelect, loadSqlParser } from './sql-guard.js';
import { loadSchemaTemplate } from './schema-template.js';
import { createSqlEngine, type SqlEngine, type SqlRequest, type SqlResult } from './sql-engine.js';
import { READS } from '../core/annotations.js';

/** Options for {@link createDatabaseRuntime}. */
export interface DatabaseOptions {
  /** Wall-clock limit per query in ms. @default 5000 */
  queryTimeoutMs?: number;
  /** Most rows one query returns. @default 500 */
  rowLimit?: number;
}

const REFUSAL_CODES = new Set(['25006', '42501', '0A000']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const columnSchema = z.object({ name: z.string(), type: z.string() });

const PG_TYPES: Record<number, string> = {
  16: 'boolean',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  25: 'text',
  700: 'real',
  701: 'double precision',
  1043: 'varchar',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp',
  1184: 'timestamptz',
  1700: 'numeric',
  2950: 'uuid',
  3802: 'jsonb',
  114: 'json',
  19: 'name',
};

/**
 * Creates the database server: list_tables, describe_table and read-only `query` with RLS.
 * Each organization's rows live in a replica of the shared books (billy's invoices, the
 * calendar's bookings), kept current by the books' change feed: what billy writes, `query`
 * reads a moment later.
 */
export async function createDatabaseRuntime(
  context: ServerContext,
  options: DatabaseOptions = {},
): Promise<ServerRuntime> {
  const rowLimit = options.rowLimit ?? 500;
  const timeoutMs = options.queryTimeoutMs ?? 5000;
  const { books } = context;
  const [template] = await Promise.all([loadSchemaTemplate(createSchemaSql()), loadSqlParser()]);
  const replicas = new Map<string, Promise<SqlEngine>>();
  const started = new Map<string, SqlEngine>();
  const replicaOf = (tenantId: string): Promise<SqlEngine> | undefined => {
    const tenant = books.get(tenantId);
    if (!tenant) return undefined;
    let replica = replicas.get(tenantId);
    if (!replica) {
      replica = createSqlEngine({
        template,
        rowsSql: () => createTenantRowsSql(tenant, context.data.sales, context.now),
        timeoutMs,
      });
      replicas.set(tenantId, replica);
      replica.then(
        (engine) => started.set(tenantId, engine),
        () => replicas.delete(tenantId),
      );
    }
    return replica;
  };
  await Promise.all(books.all().map((tenant) => replicaOf(tenant.tenant.id)));
  // Applied in the order made, ahead of any later query of the same organization.
  const unsubscribe = books.subscribe((change) => {
    void replicaOf(change.tenantId)
      ?.then((replica) => replica.write(createChangeSql(books, change, context.now)))
      .catch(() => undefined);
  });
  const tableNames = DATABASE_TABLES.map((table) => table.name);
  const readable = new Set(tableNames);

  const tenantOf = (extra: MetaCarrier): string => {
    const tenantId = requireTenantId(extra);
    // A malformed tenant would make every policy cast fail; refuse it clearly instead.
    if (!UUID.test(tenantId)) {
      throw new DemoServerError('forbidden', 'caller: the forwarded tenantId is not a UUID');
    }
    return tenantId;
  };

  const engineFor = async (tenantId: string): Promise<SqlEngine> => {
    const replica = replicaOf(tenantId);
    if (!replica) {
      throw new DemoServerError(
        'unknown_tenant',
        'caller: the forwarded organization has no data on this server',
      );
    }
    return replica;
  };

  const run = async (request: SqlRequest): Promise<SqlResult> => {
    const engine = await engineFor(request.tenantId);
    try {
      return await engine.run(request);
    } catch (error) {
      if (error instanceof DemoServerError) throw error;
      const code = (error as { code?: string }).code;
      const message = error instanceof Error ? error.message : String(error);
      if (code && REFUSAL_CODES.has(code)) {
        throw new DemoServerError(
          'query_refused',
          `sql: refused by Postgres — ${message} (SQLSTATE ${code}). This server is read-only.`,
          {
            field: 'sql',
            data: { sqlstate: code },
          },
        );
      }
      throw new DemoServerError(
        'invalid_argument',
        `sql: ${message}${code ? ` (SQLSTATE ${code})` : ''}`,
        { field: 'sql', data: { sqlstate: code } },
      );
    }
  };

  const register = (server: McpServer): void => {
    server.registerTool(
      'list_tables',
      {
        title: 'List tables',
        description:
          "List the tables of the business database with a description and the number of rows visible to the caller's organization.",
        inputSchema: {},
        outputSchema: {
          tables: z.array(
            z.object({ name: z.string(), description: z.string(), rowCount: z.number() }),
          ),
          tenantId: z.string(),
        },
        annotations: READS,
      },
      async (_input, extra) => {
        const tenantId = tenantOf(extra);
        const result = await run({
          sql: tableNames
            .map((name) => `SELECT '${name}' AS name, count(*) AS row_count FROM ${name}`)
            .join(' UNION ALL '),
          tenantId,
          cursor: false,
          rowLimit: 100,
        });
        const tables = DATABASE_TABLES.map((table) => ({
          name: table.name,
          description: table.description,
          rowCount: Number(result.rows.find((row) => row.name === table.name)?.row_count ?? 0),
        }));
        return toolResult(
          tables
            .map((table) => `${table.name} (${table.rowCount} rows): ${table.description}`)
            .join('\n'),
          { tables, tenantId },
        );
      },
    );

    server.registerTool(
      'describe_table',
      {
        title: 'Describe table',
        description:
          'Show the columns (name, type, nullable) of one table, so you can write a query against it.',
        inputSchema: {
          table: z
            .string()
            .min(1)
            .max(63)
            .describe(`Table name: ${tableNames.join(', ')}`),
        },
        outputSchema: {
          table: z.string(),
          description: z.string(),
          columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean() })),
          primaryKey: z.array(z.string()),
        },
        annotations: READS,
      },
      async ({ table }, extra) => {
        const name = table.trim().toLowerCase();
        const info = DATABASE_TABLES.find((item) => item.name === name);
        if (!info) {
          throw new DemoServerError(
            'not_found',
            `table: unknown table "${table}"; known: ${tableNames.join(', ')}`,
            { field: 'table' },
          );
        }
        const tenantId = tenantOf(extra);
        const columns = await run({
          sql: "SELECT column_name AS name, data_type AS type, is_nullable = 'YES' AS nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
          params: [name],
          tenantId,
          cursor: false,
          rowLimit: 200,
        });
        const keys = await run({
          sql: 'SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY a.attnum',
          params: [name],
          tenantId,
          cursor: false,
          rowLimit: 20,
        });
        const result = {
          table: name,
          description: info.description,
          columns: columns.rows.map((row) => ({
            name: String(row.name),
            type: String(row.type),
            nullable: Boolean(row.nullable),
          })),
          primaryKey: keys.rows.map((row) => String(row.name)),
        };
        return toolResult(
          `${name}: ${result.columns.map((column) => `${column.name} ${column.type}`).join(', ')}`,
          result,
        );
      },
    );

    server.registerTool(
      'query',
      {
        title: 'Run read-only SQL',
        description: `Run one read-only SELECT (PostgreSQL dialect; WITH, joins, aggregates and window functions allowed) against the business database. Only rows of the caller's organization are visible. Anything but one SELECT over the business tables is refused, as are catalog tables and unusual functions. At most ${rowLimit} rows are returned. Tables: ${tableNames.join(', ')} (use describe_table for columns; amounts in DKK).`,
        inputSchema: {
          sql: z
            .string()
            .trim()
            .min(1)
            .max(20_000)
            .describe(
              'One SELECT statement, e.g. "SELECT customer_name, sum(total) FROM invoices GROUP BY 1 ORDER BY 2 DESC"',
            ),
          limit: z
            .number()
            .int()
            .min(1)
            .max(rowLimit)
            .optional()
            .describe(`Maximum rows to return (1–${rowLimit}, default ${Math.min(100, rowLimit)})`),
        },
        outputSchema: {
          columns: z.array(columnSchema),
          rows: z.array(z.record(z.string(), z.unknown())),
          rowCount: z.number(),
          truncated: z.boolean().describe('True when more rows exist than were returned'),
          tenantId: z.string(),
          durationMs: z.number(),
        },
        annotations: READS,
      },
      async ({ sql, limit }, extra) => {
        const tenantId = tenantOf(extra);
        const statement = sql.replace(/;\s*$/, '');
        guardSelect(statement, readable);
        const started = performance.now();
        const result = await run({
          sql: statement,
          tenantId,
          cursor: true,
          rowLimit: limit ?? Math.min(100, rowLimit),
        });
        const durationMs = Math.round((performance.now() - started) * 10) / 10;
        const columns = result.columns.map((column) => ({
          name: column.name,
          type: PG_TYPES[column.typeId] ?? `oid:${column.typeId}`,
        }));
        return toolResult(
          `${result.rows.length}${result.truncated ? '+' : ''} row(s) in ${durationMs} ms${result.rows.length ? `; columns: ${columns.map((column) => column.name).join(', ')}` : ''}`,
          {
            columns,
            rows: result.rows,
            rowCount: result.rows.length,
            truncated: result.truncated,
            tenantId,
            durationMs,
          },
        );
      },
    );
  };

  return {
    register,
    health: () => ({
      engine: 'pglite',
      replicas: replicas.size,
      workerRestarts: [...started.values()].reduce((sum, engine) => sum + engine.restarts(), 0),
    }),
    close: async () => {
      unsubscribe();
      const engines = await Promise.allSettled(replicas.values());
      replicas.clear();
      await Promise.all(
        engines.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)),
      );
    },
  };
}
