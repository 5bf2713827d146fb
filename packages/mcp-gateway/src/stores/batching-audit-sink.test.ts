import { afterEach, describe, expect, it, vi } from 'vitest';
import { noopPolicyMetrics } from '../policies/metrics.js';
import { createBatchingAuditSink } from './batching-audit-sink.js';
import type { AuditRecord } from './types.js';

function row(index: number): AuditRecord {
  return {
    requestId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    server: 'billy',
    tool: 'list_invoices',
    principalId: 'anonymous',
    principalKind: 'anonymous',
    role: 'anonymous',
    timestamp: new Date(0),
    durationMs: 1,
    success: true,
    outcome: 'success',
  };
}

/** A store that keeps rows by request id (idempotent, like the SQL stores) and can be told to fail. */
function fakeStore(failures = 0) {
  const store = {
    rows: new Map<string, AuditRecord>(),
    batches: [] as number[],
    failuresLeft: failures,
    down: false,
    closed: false,
    async insert(records: readonly AuditRecord[]) {
      await Promise.resolve();
      if (store.down || store.failuresLeft > 0) {
        store.failuresLeft--;
        throw new Error('database unavailable');
      }
      store.batches.push(records.length);
      for (const record of records) store.rows.set(record.requestId, record);
    },
    async close() {
      store.closed = true;
    },
  };
  return store;
}

function metricsSpy() {
  const seen = { failures: 0, dropped: 0, depth: [] as number[] };
  return {
    seen,
    metrics: {
      ...noopPolicyMetrics,
      storeFailure: () => {
        seen.failures++;
      },
      auditDropped: (count: number) => {
        seen.dropped += count;
      },
      auditQueueDepth: (depth: number) => {
        seen.depth.push(depth);
      },
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createBatchingAuditSink', () => {
  it('writes a full batch at once and a partial one after the interval', async () => {
    vi.useFakeTimers();
    const store = fakeStore();
    const sink = createBatchingAuditSink({ store, batchSize: 10, flushIntervalMs: 1000 });
    for (let index = 0; index < 25; index++) sink.write(row(index));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.batches).toEqual([10, 10]);
    await vi.advanceTimersByTimeAsync(999);
    expect(store.rows.size).toBe(20);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.batches).toEqual([10, 10, 5]);
    expect(sink.depth()).toBe(0);
    await sink.close();
    expect(store.closed).toBe(true);
  });

  it('keeps rows while the database is down and writes each once when it returns', async () => {
    const store = fakeStore(3);
    const { seen, metrics } = metricsSpy();
    const sink = createBatchingAuditSink({
      store,
      batchSize: 50,
      retryBaseMs: 1,
      retryMaxMs: 4,
      metrics,
    });
    for (let index = 0; index < 120; index++) sink.write(row(index));
    await sink.flush();
    expect(store.rows.size).toBe(120);
    expect(seen.failures).toBe(3);
    expect(seen.dropped).toBe(0);
    expect(sink.depth()).toBe(0);
    expect(seen.depth.at(-1)).toBe(0);
    expect(Math.max(...seen.depth)).toBe(120);
  });

  it('drops the oldest rows when the buffer is full, and counts them', async () => {
    const store = fakeStore();
    store.down = true;
    const { seen, metrics } = metricsSpy();
    const sink = createBatchingAuditSink({
      store,
      batchSize: 10,
      maxBuffer: 50,
      retryBaseMs: 1,
      retryMaxMs: 2,
      closeTimeoutMs: 0,
      metrics,
    });
    for (let index = 0; index < 80; index++) sink.write(row(index));
    // Rows are dropped as the failing write attempts return: wait for that, not for a time.
    await vi.waitFor(() => expect(sink.dropped()).toBe(30));
    expect(sink.depth()).toBeLessThanOrEqual(50);
    expect(seen.dropped).toBe(30);
    store.down = false;
    await sink.flush();
    const written = [...store.rows.keys()].map((id) => Number(id.slice(-12))).sort((a, b) => a - b);
    expect(written).toEqual(Array.from({ length: 50 }, (_unused, index) => index + 30));
  });

  it('drains on close, and counts what it could not write before the close timeout', async () => {
    const healthy = fakeStore();
    const sink = createBatchingAuditSink({
      store: healthy,
      batchSize: 100,
      flushIntervalMs: 60_000,
    });
    for (let index = 0; index < 7; index++) sink.write(row(index));
    await sink.close();
    expect(healthy.rows.size).toBe(7);

    const dead = fakeStore();
    dead.down = true;
    const { seen, metrics } = metricsSpy();
    const doomed = createBatchingAuditSink({
      store: dead,
      retryBaseMs: 1,
      retryMaxMs: 2,
      closeTimeoutMs: 30,
      metrics,
    });
    for (let index = 0; index < 5; index++) doomed.write(row(index));
    const started = performance.now();
    await doomed.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(doomed.dropped()).toBe(5);
    expect(seen.dropped).toBe(5);
    expect(dead.closed).toBe(true);
    doomed.write(row(99));
    expect(doomed.dropped()).toBe(6);
  });
});
