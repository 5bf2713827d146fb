/** The embedded audit store: PGlite (Postgres in WASM), a directory under the data dir. */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { type PolicyLogger, silentLogger } from '../policies/logger.js';
import {
  type AuditTableOptions,
  type SqlAuditStore,
  createSqlAuditStore,
} from './sql-audit-store.js';

/** Options for {@link createPgliteAuditStore}. */
export interface PgliteAuditStoreOptions extends AuditTableOptions {
  /**
   * Directory of the database files (created if missing); in memory when
   * omitted. One process at a time may open a directory.
   */
  dataDir?: string;
  logger?: PolicyLogger;
}

/**
 * An audit store in PGlite. Starting PGlite takes a few seconds; the store
 * opens it in the background and every call waits for it.
 *
 * @example
 * const store = createPgliteAuditStore({ dataDir: '.data/audit' });
 */
export function createPgliteAuditStore(options: PgliteAuditStoreOptions = {}): SqlAuditStore {
  const database = (async () => {
    if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
    return PGlite.create(options.dataDir);
  })();
  database.catch(() => {});
  const logger = options.logger ?? silentLogger;
  return createSqlAuditStore({
    ...options,
    engine: 'pglite',
    onRejected: (record, error) =>
      logger.error(
        { err: error, requestId: record.requestId },
        'audit row refused by the database; skipped',
      ),
    async query(text, values) {
      const db = await database;
      const result = await db.query<Record<string, unknown>>(text, values);
      return { rows: result.rows };
    },
    async migrate(statements) {
      const db = await database;
      await db.transaction(async (transaction) => {
        for (const statement of statements) await transaction.query(statement);
      });
    },
    async close() {
      const db = await database.catch(() => undefined);
      await db?.close();
    },
  });
}
