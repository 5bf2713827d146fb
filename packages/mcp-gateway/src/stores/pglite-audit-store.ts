/** The embedded audit store: PGlite (Postgres in WASM) on its own thread, a directory under the data dir. */
import { type PolicyLogger, silentLogger } from '../policies/logger.js';
import { startPgliteWorker } from './pglite-worker.js';
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
 * An audit store in PGlite, on a worker thread so that neither opening the database (seconds)
 * nor writing batches stalls the requests being served. It opens at once in the background;
 * every call waits for it, and `ready()` resolves once the table is migrated.
 *
 * @example
 * const store = createPgliteAuditStore({ dataDir: '.data/audit' });
 */
export function createPgliteAuditStore(options: PgliteAuditStoreOptions = {}): SqlAuditStore {
  const database = startPgliteWorker(options.dataDir ? { dataDir: options.dataDir } : {});
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
      return { rows: await database.query<Record<string, unknown>>(text, values) };
    },
    migrate: (statements) => database.transaction(statements),
    close: () => database.close(),
  });
}
