/**
 * A durable local spool for audit rows: each row is appended to a file (synchronously) before
 * the answer it records leaves the gateway, and forgotten once the audit store has it. Rows
 * of a process that died before its store acknowledged them are taken over by the next
 * process that starts on the same directory. Node only.
 *
 * Durability: a row survives the death of the process (`kill -9`) as soon as `append`
 * returns; the file is also `fdatasync`ed every `syncIntervalMs`, which bounds what an
 * operating system crash can take.
 */
import {
  closeSync,
  existsSync,
  fdatasync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { AuditRecord, AuditSpool } from './types.js';

/** Options of {@link createFileAuditSpool}. */
export interface FileAuditSpoolOptions {
  /** Directory shared by the gateway processes of one host (each writes its own subfolder). */
  dir: string;
  /** Rows per segment file; a segment is deleted once all of its rows are stored. @default 2000 */
  segmentRows?: number;
  /** Past this many bytes on disk `hasRoom()` turns false, and new calls are refused. @default 256 MiB */
  maxBytes?: number;
  /** @default 200 */
  syncIntervalMs?: number;
}

interface Segment {
  readonly path: string;
  readonly fd: number;
  appended: number;
  acknowledged: number;
  bytes: number;
  sealed: boolean;
}

interface Owner {
  pid: number;
  /** The owner's start time from /proc (Linux), so a reused pid is not taken for the owner. */
  started: string | undefined;
}

function processStart(pid: number): string | undefined {
  try {
    // Field 22 of /proc/<pid>/stat: start time in clock ticks since boot.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(owner: Owner): boolean {
  if (owner.pid === process.pid && owner.started === processStart(process.pid)) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const started = processStart(owner.pid);
  return owner.started === undefined || started === undefined || started === owner.started;
}

function revive(line: string): AuditRecord | undefined {
  try {
    const record = JSON.parse(line) as AuditRecord & { timestamp: string };
    return { ...record, timestamp: new Date(record.timestamp) };
  } catch {
    // A line cut short by a crash mid-write: nothing was acknowledged for it.
    return undefined;
  }
}

function readRows(folder: string): AuditRecord[] {
  const rows: AuditRecord[] = [];
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.jsonl')) continue;
    for (const line of readFileSync(join(folder, name), 'utf8').split('\n')) {
      if (line === '') continue;
      const row = revive(line);
      if (row) rows.push(row);
    }
  }
  return rows;
}

/**
 * Creates a spool in a fresh subfolder of `dir`.
 *
 * @example
 * const spool = createFileAuditSpool({ dir: '.data/audit-spool' });
 * const policies = await createStagesFromConfig(config, { auditSpool: spool });
 */
export function createFileAuditSpool(options: FileAuditSpoolOptions): AuditSpool & {
  /** Bytes of unacknowledged rows on disk. */
  bytes(): number;
} {
  const segmentRows = Math.max(1, options.segmentRows ?? 2000);
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const id = `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const folder = join(options.dir, id);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'owner.json'),
    JSON.stringify({ pid: process.pid, started: processStart(process.pid) } satisfies Owner),
  );
  const segmentOf = new WeakMap<AuditRecord, Segment>();
  const open = new Set<Segment>();
  let current: Segment | undefined;
  let counter = 0;
  let totalBytes = 0;
  let closed = false;

  const startSegment = (): Segment => {
    counter++;
    const path = join(folder, `${String(counter).padStart(8, '0')}.jsonl`);
    const segment: Segment = {
      path,
      fd: openSync(path, 'a'),
      appended: 0,
      acknowledged: 0,
      bytes: 0,
      sealed: false,
    };
    open.add(segment);
    return segment;
  };

  const remove = (segment: Segment) => {
    if (!open.has(segment)) return;
    open.delete(segment);
    totalBytes -= segment.bytes;
    closeSync(segment.fd);
    rmSync(segment.path, { force: true });
  };
  const retire = (segment: Segment) => {
    if (segment.sealed && segment.acknowledged >= segment.appended) remove(segment);
  };

  const sync = setInterval(() => {
    for (const segment of open) fdatasync(segment.fd, () => undefined);
  }, options.syncIntervalMs ?? 200);
  sync.unref();

  const spool: AuditSpool & { bytes(): number } = {
    append(record) {
      if (closed) throw new Error('audit spool is closed');
      if (current === undefined || current.appended >= segmentRows) {
        if (current) {
          current.sealed = true;
          retire(current);
        }
        current = startSegment();
      }
      const line = `${JSON.stringify(record)}\n`;
      // Synchronous on purpose: the row is on disk before the answer it records is sent.
      writeSync(current.fd, line);
      const size = Buffer.byteLength(line);
      current.appended++;
      current.bytes += size;
      totalBytes += size;
      segmentOf.set(record, current);
    },
    acknowledge(records) {
      const touched = new Set<Segment>();
      for (const record of records) {
        const segment = segmentOf.get(record);
        if (!segment) continue;
        segmentOf.delete(record);
        segment.acknowledged++;
        touched.add(segment);
      }
      for (const segment of touched) retire(segment);
      // An idle, fully stored current segment is closed too, so the folder empties at rest.
      if (current && current.acknowledged === current.appended) {
        current.sealed = true;
        retire(current);
        current = undefined;
      }
    },
    recover() {
      const rows: AuditRecord[] = [];
      if (!existsSync(options.dir)) return rows;
      for (const name of readdirSync(options.dir)) {
        const other = join(options.dir, name);
        if (other === folder) continue;
        let owner: Owner | undefined;
        try {
          owner = JSON.parse(readFileSync(join(other, 'owner.json'), 'utf8')) as Owner;
        } catch {
          owner = undefined;
        }
        if (owner && isAlive(owner)) continue;
        let found: AuditRecord[];
        try {
          found = readRows(other);
        } catch {
          continue;
        }
        // Taken over: the rows are appended here first, so a crash now loses nothing.
        for (const row of found) spool.append(row);
        rows.push(...found);
        rmSync(other, { recursive: true, force: true });
      }
      return rows;
    },
    takeOver() {
      // Every row so far, acknowledged or not: writing them again is harmless (inserts are
      // idempotent), and lets the whole set be retired at once.
      if (current) current.sealed = true;
      current = undefined;
      const segments = [...open];
      const rows: AuditRecord[] = [];
      for (const segment of segments) {
        for (const line of readFileSync(segment.path, 'utf8').split('\n')) {
          const row = line === '' ? undefined : revive(line);
          if (row) rows.push(row);
        }
      }
      return { rows, commit: () => segments.forEach(remove) };
    },
    unacknowledged() {
      return [...open].reduce((sum, segment) => sum + segment.appended - segment.acknowledged, 0);
    },
    hasRoom: () => totalBytes < maxBytes,
    bytes: () => totalBytes,
    close() {
      if (closed) return;
      closed = true;
      clearInterval(sync);
      for (const segment of open) closeSync(segment.fd);
      open.clear();
      // Everything stored: nothing for a successor to take over.
      if (readdirSync(folder).every((name) => !name.endsWith('.jsonl')))
        rmSync(folder, { recursive: true, force: true });
    },
  };
  return spool;
}
