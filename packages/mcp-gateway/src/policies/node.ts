/**
 * @module policies/node
 * Stores that need Node (TCP sockets, the file system): Redis rate limits and
 * cache, Postgres and PGlite audit logs. Re-export from the package's `./node` entry.
 */
export {
  type RedisRateLimitStoreOptions,
  createRedisRateLimitStore,
} from '../stores/redis-rate-limit-store.js';
export { type RedisCacheStoreOptions, createRedisCacheStore } from '../stores/redis-cache-store.js';
export {
  type PostgresAuditStoreOptions,
  createPostgresAuditStore,
} from '../stores/postgres-audit-store.js';
export {
  type PgliteAuditStoreOptions,
  createPgliteAuditStore,
} from '../stores/pglite-audit-store.js';
export {
  type PgliteWorker,
  PgliteWorkerError,
  type PgliteWorkerOptions,
  startPgliteWorker,
} from '../stores/pglite-worker.js';
export {
  type AuditTableOptions,
  type SqlAuditStore,
  auditMigrations,
} from '../stores/sql-audit-store.js';
