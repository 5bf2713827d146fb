import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBatchingAuditSink } from './batching-audit-sink.js';
import { createFileAuditSpool } from './file-audit-spool.js';
import type { AuditRecord } from './types.js';

function row(index: number): AuditRecord {
  return {
    requestId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    server: 'billy',
    tool: 'create_invoice',
    principalId: 'svc',
    principalKind: 'service',
    role: 'admin',
    timestamp: new Date(1_700_000_000_000 + index),
    durationMs: 1,
    success: true,
    outcome: 'success',
  };
}

/** A pid that certainly belongs to no process now: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

/** The folder a process that died would have left: its owner file and one segment. */
function leaveBehind(dir: string, name: string, pid: number, lines: string[]): void {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'owner.json'), JSON.stringify({ pid, started: undefined }));
  writeFileSync(join(folder, '00000001.jsonl'), lines.join(''));
}

const tempDir = () => mkdtemp(join(tmpdir(), 'audit-spool-'));

describe('createFileAuditSpool', () => {
  it('forgets segments once every row in them is stored, and empties its folder at rest', async () => {
    const dir = await tempDir();
    const spool = createFileAuditSpool({ dir, segmentRows: 3 });
    const rows = Array.from({ length: 7 }, (_unused, index) => row(index));
    for (const record of rows) spool.append(record);
    expect(spool.unacknowledged()).toBe(7);
    const [folder] = readdirSync(dir);
    expect(
      readdirSync(join(dir, folder as string)).filter((name) => name.endsWith('.jsonl')),
    ).toHaveLength(3);
    spool.acknowledge(rows.slice(0, 3));
    expect(spool.unacknowledged()).toBe(4);
    expect(
      readdirSync(join(dir, folder as string)).filter((name) => name.endsWith('.jsonl')),
    ).toHaveLength(2);
    spool.acknowledge(rows.slice(3));
    expect(spool.unacknowledged()).toBe(0);
    expect(spool.bytes()).toBe(0);
    spool.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over the rows of a dead process, skips a line cut short, and leaves a live one alone', async () => {
    const dir = await tempDir();
    const lines = [row(1), row(2)].map((record) => `${JSON.stringify(record)}\n`);
    leaveBehind(dir, 'dead', await deadPid(), [...lines, '{"requestId":"0000']);
    leaveBehind(dir, 'alive', process.pid, [`${JSON.stringify(row(9))}\n`]);
    const spool = createFileAuditSpool({ dir });
    const recovered = spool.recover();
    expect(recovered.map((record) => record.requestId)).toEqual([
      row(1).requestId,
      row(2).requestId,
    ]);
    expect(recovered[0]?.timestamp).toEqual(row(1).timestamp);
    // Taken over: on this spool's disk now, the dead folder gone, the live one untouched.
    expect(spool.unacknowledged()).toBe(2);
    expect(readdirSync(dir).sort()).toContain('alive');
    expect(readdirSync(dir)).not.toContain('dead');
    spool.close();
    expect(readdirSync(dir)).toContain('alive');
  });

  it('has no room past its byte bound', async () => {
    const spool = createFileAuditSpool({ dir: await tempDir(), maxBytes: 1000 });
    let appended = 0;
    while (spool.hasRoom()) spool.append(row(appended++));
    expect(appended).toBeGreaterThan(1);
    expect(spool.bytes()).toBeGreaterThanOrEqual(1000);
    spool.close();
  });
});

describe('the batching sink with a spool', () => {
  /** Idempotent on request id, like the SQL stores; `down` makes every insert fail. */
  function store() {
    const state = {
      rows: new Map<string, AuditRecord>(),
      down: false,
      async insert(records: readonly AuditRecord[]) {
        await Promise.resolve();
        if (state.down) throw new Error('database unavailable');
        for (const record of records) state.rows.set(record.requestId, record);
      },
      async close() {},
    };
    return state;
  }

  it('loses no row past its memory bound while the store is down', async () => {
    const dir = await tempDir();
    const database = store();
    database.down = true;
    const sink = createBatchingAuditSink({
      store: database,
      spool: createFileAuditSpool({ dir }),
      batchSize: 10,
      maxBuffer: 20,
      retryBaseMs: 1,
      retryMaxMs: 2,
    });
    for (let index = 0; index < 100; index++) sink.write(row(index));
    // The oldest rows leave memory for the spool only, and are not counted as lost.
    await expect.poll(() => sink.depth()).toBeLessThanOrEqual(30);
    expect(sink.dropped()).toBe(0);
    database.down = false;
    await sink.flush();
    expect(database.rows.size).toBe(100);
    await sink.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps what it could not store at shutdown for the next process, which stores it', async () => {
    const dir = await tempDir();
    const database = store();
    database.down = true;
    const first = createBatchingAuditSink({
      store: database,
      spool: createFileAuditSpool({ dir }),
      closeTimeoutMs: 0,
    });
    for (let index = 0; index < 5; index++) first.write(row(index));
    await first.close();
    expect(first.dropped()).toBe(0);
    // The next process starts on the same directory once this one is gone.
    const [folder] = readdirSync(dir);
    const owner = join(dir, folder as string, 'owner.json');
    writeFileSync(owner, JSON.stringify({ pid: await deadPid() }));
    database.down = false;
    const second = createBatchingAuditSink({
      store: database,
      spool: createFileAuditSpool({ dir }),
    });
    await second.flush();
    expect([...database.rows.keys()].sort()).toEqual(
      Array.from({ length: 5 }, (_unused, index) => row(index).requestId),
    );
    await second.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});
