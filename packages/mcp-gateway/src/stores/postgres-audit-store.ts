/** The audit store for Postgres (self-hosted or Supabase), over a `pg` pool. */
import pg from 'pg';
import type { PolicyLogger } from '../policies/logger.js';
import { silentLogger } from '../policies/logger.js';
import { createStoreBreaker, type StoreBreaker } from '../policies/store-breaker.js';
import {
  type AuditTableOptions,
  type SqlAuditStore,
  createSqlAuditStore,
  isDataError,
} from './sql-audit-store.js';

/** Options for {@link createPostgresAuditStore}. */
export interface PostgresAuditStoreOptions extends AuditTableOptions {
  /** e.g. `postgres://postgres@127.0.0.1:5432/app`; add `?sslmode=require` for Supabase. */
  connectionString: string;
  /** Pool size. @default 4 */
  maxConnections?: number;
  /** Bound on connecting and on each statement, so a dead database fails fast. @default 5000 */
  timeoutMs?: number;
  /**
   * Trips after repeated failures, so while the database is away readers and writers fail at
   * once instead of each waiting out `timeoutMs`; one probe a second finds it back.
   * @default a breaker of its own (3 failures, 1 s)
   */
  breaker?: StoreBreaker;
  logger?: PolicyLogger;
}

/**
 * An audit store in Postgres. Migrations run once per store, in a transaction
 * under an advisory lock so several gateway instances can start together.
 *
 * @example
 * const store = createPostgresAuditStore({ connectionString: process.env.DATABASE_URL! });
 */
export function createPostgresAuditStore(options: PostgresAuditStoreOptions): SqlAuditStore {
  const timeoutMs = options.timeoutMs ?? 5000;
  const logger = options.logger ?? silentLogger;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection emits here; without a listener Node would crash.
  pool.on('error', (error) => logger.warn({ err: error }, 'audit database connection lost'));
  // The pool bounds each statement already; the breaker only counts and short-cuts.
  const breaker =
    options.breaker ??
    createStoreBreaker({
      name: 'audit-database',
      timeoutMs: 0,
      isFailure: (error) => !isDataError(error),
      logger,
    });
  return createSqlAuditStore({
    ...options,
    engine: 'postgres',
    onRejected: (record, error) =>
      logger.error(
        { err: error, requestId: record.requestId },
        'audit row refused by the database; skipped',
      ),
    async query(text, values) {
      const result = await breaker.run(() => pool.query(text, values));
      return { rows: result.rows as Record<string, unknown>[] };
    },
    async migrate(statements) {
      const client = await pool.connect();
      let failed = false;
      try {
        await client.query('BEGIN');
        await client.query("SELECT pg_advisory_xact_lock(hashtext('tekup_mcp_audit_migrations'))");
        for (const statement of statements) await client.query(statement);
        await client.query('COMMIT');
      } catch (error) {
        failed = true;
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        // A client that failed mid-transaction may be broken: destroy it rather than pool it.
        client.release(failed);
      }
    },
    async close() {
      await pool.end();
    },
  });
}
