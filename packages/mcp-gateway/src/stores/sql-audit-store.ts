/**
 * The SQL shared by the PGlite and Postgres audit stores: migrations, batched
 * idempotent inserts, the dashboard's paged query and per-outcome stats.
 */
import { AUDIT_OUTCOMES, type AuditOutcome } from '../policies/metrics.js';
import type { AuditPage, AuditQuery, AuditRecord, AuditStats, AuditStore } from './types.js';

/** Runs one parameterized statement. */
type SqlQuery = (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** Where the audit table lives. */
export interface AuditTableOptions {
  /** Schema to create and use; the connection's search path (usually `public`) when omitted. */
  schema?: string;
  /** @default 'mcp_audit_logs' */
  table?: string;
}

const identifierPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws unless `name` is a plain lower-case SQL identifier (they are interpolated). */
function checkIdentifier(name: string): string {
  if (!identifierPattern.test(name)) throw new TypeError(`Not a plain SQL identifier: ${name}`);
  return name;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical uuid string. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/**
 * Idempotent migrations: the plan's table first, then each extension column
 * with `ADD COLUMN IF NOT EXISTS`, so a table created from the plan alone is
 * upgraded in place and never shrunk.
 */
export function auditMigrations(options: AuditTableOptions = {}): string[] {
  const table = checkIdentifier(options.table ?? 'mcp_audit_logs');
  const qualified = options.schema ? `${checkIdentifier(options.schema)}.${table}` : table;
  const columns = [
    // 'success' | 'failure' | 'denied' | 'rate_limited' | 'cached' | 'rejected' | 'input_required',
    // and the rows of interaction decisions: 'elicitation_accepted' | … | 'sampling_declined'
    'outcome text',
    'error_code text',
    'cache_hit boolean',
    // 'hit' | 'miss' | 'stale' | 'bypass'
    'cache text',
    // upstream instance URL that answered
    'instance text',
    // the principal id as given; user_id holds it only when it is a uuid
    'principal text',
    'principal_kind text',
    'role text',
    'tenant_id text',
    'actor_id text',
    'key_id text',
    'arguments_hash text',
    'arguments jsonb',
    // the operator-given name of the API key, beside its id
    'key_name text',
  ];
  return [
    ...(options.schema ? [`CREATE SCHEMA IF NOT EXISTS ${checkIdentifier(options.schema)}`] : []),
    `CREATE TABLE IF NOT EXISTS ${qualified} (
      request_id uuid PRIMARY KEY,
      server text NOT NULL,
      tool text NOT NULL,
      user_id uuid,
      timestamp timestamptz DEFAULT now(),
      duration_ms integer,
      success boolean
    )`,
    ...columns.map((column) => `ALTER TABLE ${qualified} ADD COLUMN IF NOT EXISTS ${column}`),
    `CREATE INDEX IF NOT EXISTS ${table}_timestamp_idx ON ${qualified} (timestamp DESC, request_id DESC)`,
    `CREATE INDEX IF NOT EXISTS ${table}_principal_idx ON ${qualified} (principal, timestamp DESC)`,
    `CREATE INDEX IF NOT EXISTS ${table}_server_tool_idx ON ${qualified} (server, tool, timestamp DESC)`,
  ];
}

const insertColumns = [
  'request_id',
  'server',
  'tool',
  'user_id',
  'timestamp',
  'duration_ms',
  'success',
  'outcome',
  'error_code',
  'cache_hit',
  'cache',
  'instance',
  'principal',
  'principal_kind',
  'role',
  'tenant_id',
  'actor_id',
  'key_id',
  'arguments_hash',
  'arguments',
  'key_name',
] as const;

const maxInteger = 2_147_483_647;

/** Postgres rejects NUL in text and jsonb; clients control tool names and arguments. */
function clean(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}

function cleanOptional(value: string | undefined): string | null {
  return value === undefined ? null : clean(value);
}

function toValues(record: AuditRecord): unknown[] {
  const timestamp = Number.isNaN(record.timestamp.getTime()) ? new Date() : record.timestamp;
  const duration = Number.isFinite(record.durationMs) ? Math.round(record.durationMs) : 0;
  return [
    record.requestId,
    clean(record.server),
    clean(record.tool),
    isUuid(record.principalId) ? record.principalId : null,
    timestamp,
    Math.min(Math.max(duration, 0), maxInteger),
    record.success,
    record.outcome,
    cleanOptional(record.errorCode),
    record.cache === 'hit' || record.cache === 'stale',
    record.cache ?? null,
    cleanOptional(record.instance),
    clean(record.principalId),
    record.principalKind,
    clean(record.role),
    cleanOptional(record.tenantId),
    cleanOptional(record.actorId),
    cleanOptional(record.keyId),
    record.argumentsHash ?? null,
    record.arguments === undefined
      ? null
      : JSON.stringify(record.arguments).replaceAll('\\u0000', ''),
    cleanOptional(record.keyName),
  ];
}

function fromRow(row: Record<string, unknown>): AuditRecord {
  const optional = (value: unknown) =>
    value === null || value === undefined ? undefined : String(value);
  const record: AuditRecord = {
    requestId: String(row.request_id),
    server: String(row.server),
    tool: String(row.tool),
    principalId: String(row.principal ?? row.user_id ?? ''),
    principalKind: (row.principal_kind ?? 'user') as AuditRecord['principalKind'],
    role: String(row.role ?? ''),
    timestamp: row.timestamp instanceof Date ? row.timestamp : new Date(String(row.timestamp)),
    durationMs: Number(row.duration_ms ?? 0),
    success: row.success === true,
    outcome: (row.outcome ?? (row.success ? 'success' : 'failure')) as AuditOutcome,
  };
  const extras: Partial<AuditRecord> = {
    tenantId: optional(row.tenant_id),
    actorId: optional(row.actor_id),
    keyId: optional(row.key_id),
    keyName: optional(row.key_name),
    errorCode: optional(row.error_code),
    cache: optional(row.cache) as AuditRecord['cache'],
    instance: optional(row.instance),
    argumentsHash: optional(row.arguments_hash),
    arguments: row.arguments ?? undefined,
  };
  for (const [key, value] of Object.entries(extras)) {
    if (value !== undefined) (record as unknown as Record<string, unknown>)[key] = value;
  }
  return record;
}

function encodeCursor(record: AuditRecord): string {
  return btoa(`${record.timestamp.toISOString()}|${record.requestId}`);
}

function decodeCursor(cursor: string): { timestamp: Date; requestId: string } {
  const [timestamp, requestId] = atob(cursor).split('|');
  const date = new Date(timestamp ?? '');
  if (Number.isNaN(date.getTime()) || !requestId || !isUuid(requestId)) {
    throw new TypeError('Invalid audit cursor');
  }
  return { timestamp: date, requestId };
}

function whereClause(
  filter: Pick<AuditQuery, 'userId' | 'server' | 'tool' | 'outcome' | 'tenantId' | 'from' | 'to'>,
  values: unknown[],
): string[] {
  const conditions: string[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    conditions.push(sql.replace('?', `$${values.length}`));
  };
  if (filter.userId !== undefined) add('principal = ?', filter.userId);
  if (filter.server !== undefined) add('server = ?', filter.server);
  if (filter.tool !== undefined) add('tool = ?', filter.tool);
  if (filter.outcome !== undefined) add('outcome = ?', filter.outcome);
  if (filter.tenantId !== undefined) add('tenant_id = ?', filter.tenantId);
  if (filter.from !== undefined) add('timestamp >= ?', filter.from);
  if (filter.to !== undefined) add('timestamp < ?', filter.to);
  return conditions;
}

/** The most rows one INSERT carries (21 parameters each, far below Postgres's 65535). */
const rowsPerInsert = 1000;

/**
 * True for errors caused by the data (SQLSTATE classes 22 and 23): retrying
 * the same row would fail forever, unlike a lost connection.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** Hooks a concrete store supplies to {@link createSqlAuditStore}. */
export interface SqlAuditStoreDriver extends AuditTableOptions {
  /** The database, as the store's `engine` names it. */
  engine: string;
  /** Called for a row the database refuses for its content; the row is skipped. */
  onRejected?: (record: AuditRecord, error: unknown) => void;
  query: SqlQuery;
  /** Runs the migrations (in one transaction, under a lock where the database is shared). */
  migrate(statements: string[]): Promise<void>;
  close(): Promise<void>;
}

/** An {@link AuditStore} with `ready()`, which resolves once migrations ran. */
export interface SqlAuditStore extends AuditStore {
  ready(): Promise<void>;
}

/** Builds an {@link AuditStore} over any Postgres-speaking driver. */
export function createSqlAuditStore(driver: SqlAuditStoreDriver): SqlAuditStore {
  const table = checkIdentifier(driver.table ?? 'mcp_audit_logs');
  const qualified = driver.schema ? `${checkIdentifier(driver.schema)}.${table}` : table;
  let migrated: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  // A failed migration (database down at start) is retried by the next call.
  const ready = () => {
    migrated ??= driver.migrate(auditMigrations(driver)).catch((error: unknown) => {
      migrated = undefined;
      throw error;
    });
    return migrated;
  };
  ready().catch(() => {});

  async function insert(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await ready();
    for (let start = 0; start < records.length; start += rowsPerInsert) {
      const chunk = records.slice(start, start + rowsPerInsert);
      const values: unknown[] = [];
      const tuples = chunk.map((record) => {
        const row = toValues(record);
        const placeholders = row.map((value, index) => {
          values.push(value);
          return index === 19 ? `$${values.length}::jsonb` : `$${values.length}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      try {
        await driver.query(
          `INSERT INTO ${qualified} (${insertColumns.join(', ')}) VALUES ${tuples.join(', ')}
             ON CONFLICT (request_id) DO NOTHING`,
          values,
        );
      } catch (error) {
        if (!isDataError(error) || chunk.length === 1) {
          if (isDataError(error) && chunk[0]) {
            driver.onRejected?.(chunk[0], error);
            continue;
          }
          throw error;
        }
        // One bad row must not block the queue forever: write the rest one by one.
        for (const record of chunk) await insert([record]);
      }
    }
  }

  return {
    engine: driver.engine,
    ready,
    insert,
    async query(query = {}) {
      await ready();
      const values: unknown[] = [];
      const conditions = whereClause(query, values);
      const countValues = [...values];
      const countConditions = [...conditions];
      if (query.cursor !== undefined) {
        const cursor = decodeCursor(query.cursor);
        values.push(cursor.timestamp, cursor.requestId);
        conditions.push(`(timestamp, request_id) < ($${values.length - 1}, $${values.length})`);
      }
      const limit = Math.min(Math.max(1, Math.floor(query.limit ?? 50)), 500);
      values.push(limit + 1);
      let sql = `SELECT * FROM ${qualified}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY timestamp DESC, request_id DESC LIMIT $${values.length}`;
      if (query.offset !== undefined && query.offset > 0) {
        values.push(Math.floor(query.offset));
        sql += ` OFFSET $${values.length}`;
      }
      const { rows } = await driver.query(sql, values);
      const records = rows.slice(0, limit).map(fromRow);
      const page: AuditPage = { rows: records };
      const last = records.at(-1);
      if (rows.length > limit && last) page.nextCursor = encodeCursor(last);
      if (query.withTotal) {
        const counted = await driver.query(
          `SELECT count(*)::int AS total FROM ${qualified}${
            countConditions.length ? ` WHERE ${countConditions.join(' AND ')}` : ''
          }`,
          countValues,
        );
        page.total = Number(counted.rows[0]?.total ?? 0);
      }
      return page;
    },
    async stats(filter = {}) {
      await ready();
      const values: unknown[] = [];
      const conditions = whereClause(filter, values);
      const { rows } = await driver.query(
        `SELECT coalesce(outcome, CASE WHEN success THEN 'success' ELSE 'failure' END) AS outcome,
           count(*)::int AS count
         FROM ${qualified}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}
         GROUP BY 1`,
        values,
      );
      const stats: AuditStats = {
        total: 0,
        byOutcome: Object.fromEntries(AUDIT_OUTCOMES.map((outcome) => [outcome, 0])) as Record<
          AuditOutcome,
          number
        >,
      };
      for (const row of rows) {
        const outcome = String(row.outcome) as AuditOutcome;
        const count = Number(row.count);
        stats.total += count;
        if (outcome in stats.byOutcome) stats.byOutcome[outcome] += count;
      }
      return stats;
    },
    close() {
      // Idempotent: the gateway may close stages and the policy bundle both.
      closing ??= (async () => {
        await migrated?.catch(() => {});
        await driver.close();
      })();
      return closing;
    },
  };
}
