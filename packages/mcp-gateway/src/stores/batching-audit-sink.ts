/**
 * Writes audit rows in batches off the response path, with a bounded buffer
 * and retries with backoff while the database is down.
 */
import type { PolicyLogger } from '../policies/logger.js';
import { silentLogger } from '../policies/logger.js';
import { type PolicyMetrics, noopPolicyMetrics } from '../policies/metrics.js';
import type { AuditRecord, AuditSink, AuditSpool, AuditStore } from './types.js';

/** Options for {@link createBatchingAuditSink}. */
export interface BatchingAuditSinkOptions {
  store: Pick<AuditStore, 'insert' | 'close'>;
  /** Rows per insert; a full batch is written at once. @default 200 */
  batchSize?: number;
  /** A partial batch waits at most this long. @default 1000 */
  flushIntervalMs?: number;
  /**
   * Rows held at most, besides one batch in flight (which rejoins the front
   * of the queue if its insert fails). When full, the OLDEST rows are dropped (and counted in
   * `auditDropped` and `dropped()`): during a long outage the recent rows are
   * the ones an operator needs, and the gateway keeps answering.
   * @default 10000
   */
  maxBuffer?: number;
  /** First retry delay after a failed insert; doubles per failure, with jitter. @default 200 */
  retryBaseMs?: number;
  /** @default 30000 */
  retryMaxMs?: number;
  /** How long `close()` keeps retrying before giving up on the remaining rows. @default 10000 */
  closeTimeoutMs?: number;
  /**
   * Durable local storage: each row is appended there by `write` (before the answer it records
   * leaves) and acknowledged once inserted, and rows a crashed process left are written first.
   * With a spool, rows past `maxBuffer` leave memory but not the spool, and are written from it
   * when the store is back: nothing acknowledged is lost.
   */
  spool?: AuditSpool;
  metrics?: PolicyMetrics;
  logger?: PolicyLogger;
}

/** A {@link AuditSink} that also reports its state. */
export interface BatchingAuditSink extends AuditSink {
  /** Rows waiting (buffered plus in flight). */
  depth(): number;
  /** Rows dropped so far because the buffer was full (or left unwritten at close). */
  dropped(): number;
}

/**
 * The batching audit sink. `write` only queues. Inserts are idempotent on
 * `request_id`, so a batch retried after an ambiguous failure (the insert
 * landed but the answer was lost) never duplicates rows. `flush()` writes
 * everything queued so far, retrying with backoff; `close()` flushes for up to
 * `closeTimeoutMs`, then closes the store.
 *
 * @example
 * const sink = createBatchingAuditSink({ store: createPgliteAuditStore({ dataDir: '.data/audit' }) });
 */
export function createBatchingAuditSink(options: BatchingAuditSinkOptions): BatchingAuditSink {
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const flushIntervalMs = options.flushIntervalMs ?? 1000;
  const maxBuffer = Math.max(batchSize, options.maxBuffer ?? 10_000);
  const retryBaseMs = options.retryBaseMs ?? 200;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  const metrics = options.metrics ?? noopPolicyMetrics;
  const logger = options.logger ?? silentLogger;

  // A queue as array + head index: drop-oldest and batch takes stay O(1) amortized.
  let items: AuditRecord[] = [];
  let head = 0;
  let inFlight = 0;
  let writing: Promise<boolean> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let droppedCount = 0;
  let closed = false;
  let closing: Promise<void> | undefined;
  const spool = options.spool;
  // Rows that left memory for the spool only; written from there once the store is back.
  let spilled = false;
  let replaying: Promise<void> | undefined;

  const buffered = () => items.length - head;
  const reportDepth = () => metrics.auditQueueDepth(buffered() + inFlight);

  function compact(): void {
    if (head > 1024 && head * 2 > items.length) {
      items = items.slice(head);
      head = 0;
    }
  }

  function drop(count: number): void {
    if (count <= 0) return;
    head += count;
    compact();
    if (spool) {
      if (!spilled) logger.warn({ maxBuffer }, 'audit buffer full; rows wait in the spool only');
      spilled = true;
      return;
    }
    droppedCount += count;
    metrics.auditDropped(count);
  }

  /** Writes every spooled row again once memory has caught up (inserts are idempotent). */
  function replaySpool(): Promise<void> {
    replaying ??= (async () => {
      if (!spool) return;
      spilled = false;
      const { rows, commit } = spool.takeOver();
      logger.info({ rows: rows.length }, 'writing audit rows back from the spool');
      for (let start = 0; start < rows.length; start += batchSize) {
        await options.store.insert(rows.slice(start, start + batchSize));
      }
      commit();
    })()
      .catch((error: unknown) => {
        spilled = true;
        logger.warn({ err: error }, 'replaying the audit spool failed; will retry');
      })
      .finally(() => {
        replaying = undefined;
      });
    return replaying;
  }

  function retryDelay(): number {
    const exponential = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(failures - 1, 20));
    return exponential / 2 + Math.random() * (exponential / 2);
  }

  function schedule(delayMs: number): void {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void writeBatch();
    }, delayMs);
    // Pending audit writes alone must not keep the process alive; close() drains them.
    (timer as { unref?: () => void }).unref?.();
  }

  /** Writes one batch; resolves true on success. Never rejects. */
  function writeBatch(): Promise<boolean> {
    if (writing) return writing;
    if (buffered() === 0) return Promise.resolve(true);
    const batch = items.slice(head, head + batchSize);
    head += batch.length;
    inFlight = batch.length;
    compact();
    const current = (async () => {
      try {
        await options.store.insert(batch);
        failures = 0;
        spool?.acknowledge(batch);
        return true;
      } catch (error) {
        failures++;
        metrics.storeFailure('audit-database', 'retry');
        if (failures === 1 || failures % 10 === 0) {
          logger.warn(
            { err: error, failures, buffered: buffered() + batch.length },
            'audit insert failed; rows kept for retry',
          );
        }
        // Put the batch back in front; if that overflows, the oldest go first.
        items = batch.concat(items.slice(head));
        head = 0;
        drop(buffered() - maxBuffer);
        return false;
      }
    })();
    writing = current;
    // Registered before any caller awaits `current`, so callers see the cleared state.
    void current.then((succeeded) => {
      inFlight = 0;
      writing = undefined;
      reportDepth();
      if (succeeded && spilled && buffered() === 0) void replaySpool();
      if (closed || buffered() === 0) return;
      if (!succeeded) schedule(retryDelay());
      else if (buffered() >= batchSize) void writeBatch();
      else schedule(flushIntervalMs);
    });
    return current;
  }

  async function drain(deadline: number): Promise<boolean> {
    while (buffered() > 0 || writing || replaying || spilled) {
      if (writing) {
        await writing;
        continue;
      }
      if (replaying) {
        await replaying;
        if (spilled && Date.now() + retryDelay() > deadline) return false;
        continue;
      }
      if (buffered() === 0 && spilled) {
        await replaySpool();
        if (spilled && Date.now() + retryDelay() > deadline) return false;
        continue;
      }
      if (!(await writeBatch())) {
        const delay = retryDelay();
        if (Date.now() + delay > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    return true;
  }

  // Rows a crashed process left behind are written before anything new.
  if (spool) {
    const recovered = spool.recover();
    if (recovered.length > 0) {
      logger.warn({ rows: recovered.length }, 'recovered audit rows from a previous process');
      items.push(...recovered);
      drop(buffered() - maxBuffer);
      schedule(0);
    }
  }

  return {
    write(record) {
      if (closed) {
        droppedCount++;
        metrics.auditDropped(1);
        logger.error({ requestId: record.requestId }, 'audit row written after close; dropped');
        return;
      }
      if (spool) {
        try {
          spool.append(record);
        } catch (error) {
          logger.error({ err: error, requestId: record.requestId }, 'audit spool write failed');
        }
      }
      items.push(record);
      drop(buffered() - maxBuffer);
      reportDepth();
      if (writing) return;
      if (buffered() >= batchSize && failures === 0) {
        if (timer !== undefined) {
          clearTimeout(timer);
          timer = undefined;
        }
        void writeBatch();
      } else {
        schedule(failures === 0 ? flushIntervalMs : retryDelay());
      }
    },
    async flush(timeoutMs = closeTimeoutMs) {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      // flush() waits for the database as long as close() would (or as told), then leaves the
      // rest buffered.
      await drain(Date.now() + timeoutMs);
      if (buffered() > 0) schedule(retryDelay());
    },
    close() {
      closing ??= closeOnce();
      return closing;
    },
    depth: () => buffered() + inFlight,
    dropped: () => droppedCount,
  };

  async function closeOnce(): Promise<void> {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    const drained = await drain(Date.now() + closeTimeoutMs);
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!drained) {
      const left = buffered();
      if (spool) {
        logger.error(
          { rows: left },
          'audit database unavailable at shutdown; rows kept in the spool',
        );
      } else {
        droppedCount += left;
        metrics.auditDropped(left);
        logger.error({ lost: left }, 'audit database unavailable at shutdown; rows lost');
      }
      items = [];
      head = 0;
    }
    reportDepth();
    // Unwritten rows stay on disk for the next process; written ones are gone from it.
    spool?.close();
    await options.store.close();
  }
}
