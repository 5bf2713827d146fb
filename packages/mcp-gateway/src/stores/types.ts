/**
 * The small state interfaces behind the policy stages. Each has an in-process
 * implementation (the embedded default) and a Redis or Postgres one beside it.
 */
import type { AuditOutcome } from '../policies/metrics.js';

/** One rate-limit rule: `points` per `durationMs`, with a burst of up to `points`. */
export interface RateLimitRule {
  points: number;
  durationMs: number;
}

/** One bucket a request spends from. */
export interface RateLimitBucket {
  key: string;
  rule: RateLimitRule;
}

/** The answer of {@link RateLimitStore.consume}. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The tightest bucket's `points`. */
  limit: number;
  /** Points the tightest bucket still holds right after this decision. */
  remaining: number;
  /** Milliseconds until the tightest bucket is full again. */
  resetMs: number;
  /** Milliseconds until the refused request would be allowed; 0 when allowed. */
  retryAfterMs: number;
  /** Index (in the `buckets` given) of the tightest bucket. */
  tightest: number;
}

/**
 * GCRA buckets. `consume` checks every bucket and charges all of them only
 * when all allow it (atomically in Redis), so a per-user and a per-key bucket
 * never drift apart.
 */
export interface RateLimitStore {
  consume(
    buckets: readonly RateLimitBucket[],
    cost: number,
    now: number,
  ): Promise<RateLimitDecision>;
  /** True when calls never leave the process, so the stage needs no timeout around them. */
  readonly local?: boolean;
  /** What the store runs on, as `engines` reports it (`memory`, `redis`, `pglite`, `postgres`…). */
  readonly engine?: string;
  close?(): Promise<void>;
}

/** A cached tool result with its timestamps (milliseconds since the epoch, from the stage's clock). */
export interface CacheEntry {
  /** The JSON-RPC `result`, serialized. */
  body: string;
  storedAt: number;
  /** Fresh until then. */
  expiresAt: number;
}

/** What {@link CacheStore.get} found under the current generation of a server and scope. */
export interface CacheLookup {
  /** The generation the lookup used (server's and scope's together); pass it back to `set`. */
  generation: string;
  entry: CacheEntry | undefined;
}

/**
 * Cache storage with O(1) invalidation per server and per scope (a tenant, a user): entries
 * live under the server's and the scope's generation, and `invalidate` bumps one of them.
 */
export interface CacheStore {
  get(server: string, scope: string, key: string): Promise<CacheLookup>;
  /** Stores `entry` under `generation`; `retainMs` is how long to keep it physically (TTL + stale grace). */
  set(
    server: string,
    scope: string,
    generation: string,
    key: string,
    entry: CacheEntry,
    retainMs: number,
  ): Promise<void>;
  /** Makes every entry of `server` unreachable, or only those of `scope` when given. */
  invalidate(server: string, scope?: string): Promise<void>;
  /** True when calls never leave the process, so the stage needs no timeout around them. */
  readonly local?: boolean;
  /** What the store runs on, as `engines` reports it (`memory`, `redis`, `pglite`, `postgres`…). */
  readonly engine?: string;
  close?(): Promise<void>;
}

/** One row of `mcp_audit_logs`: one `tools/call` decision. */
export interface AuditRecord {
  /** uuid; the primary key, so a retried insert never duplicates. */
  requestId: string;
  server: string;
  tool: string;
  /** The principal's id as given (stored in `principal`; in `user_id` only when it is a uuid). */
  principalId: string;
  principalKind: 'user' | 'service' | 'anonymous';
  role: string;
  tenantId?: string | undefined;
  /** The service that acted on behalf of the user, if any. */
  actorId?: string | undefined;
  keyId?: string | undefined;
  /** The API key's name when one authenticated the call. */
  keyName?: string | undefined;
  /** When the request entered the gateway. */
  timestamp: Date;
  durationMs: number;
  success: boolean;
  outcome: AuditOutcome;
  errorCode?: string | undefined;
  cache?: 'hit' | 'miss' | 'stale' | 'bypass' | undefined;
  instance?: string | undefined;
  /** SHA-256 of the canonical JSON arguments (redaction `hash`). */
  argumentsHash?: string | undefined;
  /** The raw arguments (redaction `raw` only). */
  arguments?: unknown;
}

/** Where the audit stage hands rows; writing happens off the response path. */
export interface AuditSink {
  /** Queues a row; never throws, never waits for the database. */
  write(record: AuditRecord): void;
  /** Writes everything queued so far, waiting for the store at most `timeoutMs` (then the rest stays queued). */
  flush(timeoutMs?: number): Promise<void>;
  /** Flushes, then releases the store. */
  close(): Promise<void>;
}

/**
 * Durable local storage for audit rows between the answer and the audit store: a row is
 * appended before the answer it records leaves, and acknowledged once the store has it.
 */
export interface AuditSpool {
  /** Persists a row; survives a crash of this process once it returns. */
  append(record: AuditRecord): void;
  /** These rows are in the store now. */
  acknowledge(records: readonly AuditRecord[]): void;
  /** Rows a process that died left unacknowledged; they are now this spool's to write. */
  recover(): AuditRecord[];
  /**
   * Every row on disk so far, for a writer that could not keep them all in memory; `commit()`
   * once they are all stored forgets them.
   */
  takeOver(): { rows: AuditRecord[]; commit(): void };
  /** Rows appended and not yet acknowledged. */
  unacknowledged(): number;
  /** False once the spool is at its bound: new calls are refused until the store catches up. */
  hasRoom(): boolean;
  close(): void;
}

/** Filter and page for {@link AuditStore.query}. */
export interface AuditQuery {
  /** Principal id (matches non-uuid ids such as `anonymous` too). */
  userId?: string;
  server?: string;
  tool?: string;
  outcome?: AuditOutcome;
  tenantId?: string;
  from?: Date;
  to?: Date;
  /** @default 50 (at most 500) */
  limit?: number;
  /** Opaque keyset cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** Alternative to `cursor` for numbered pages. */
  offset?: number;
  /** Also count all matching rows. @default false */
  withTotal?: boolean;
}

/** One page of audit rows, newest first. */
export interface AuditPage {
  rows: AuditRecord[];
  total?: number;
  nextCursor?: string;
}

/** Counts per outcome for the health page. */
export interface AuditStats {
  total: number;
  byOutcome: Record<AuditOutcome, number>;
}

/** Durable audit storage (PGlite or Postgres). Migrations run before the first statement. */
export interface AuditStore {
  /** Inserts rows; rows whose `request_id` exists already are skipped. */
  insert(records: readonly AuditRecord[]): Promise<void>;
  query(query?: AuditQuery): Promise<AuditPage>;
  stats(filter?: Pick<AuditQuery, 'from' | 'to' | 'server' | 'tenantId'>): Promise<AuditStats>;
  /** What the store runs on, as `engines` reports it (`memory`, `redis`, `pglite`, `postgres`…). */
  readonly engine?: string;
  close(): Promise<void>;
}
