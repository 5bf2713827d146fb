import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../core/paths.js';
import { DemoServerError } from '../errors.js';
import { READER_ROLE } from './seed-sql.js';

/**
 * PGlite runs Postgres in WebAssembly on one thread and ignores `statement_timeout` (no
 * signals), so a runaway query would block forever. Each organization's replica therefore
 * lives in its own worker thread, terminated and rebuilt when a query overruns its time limit:
 * one organization's slow query never waits on, or stalls, another's.
 * Kept as source text so it runs unchanged from `src/` (tests) and from the bundle.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let db;
const identity = (value) => value;
const toNumber = (value) => Number(value);
async function start() {
  const { PGlite } = await import(workerData.pgliteUrl);
  const parsers = { 20: toNumber, 1700: toNumber, 1082: identity, 1083: identity, 1114: identity, 1184: identity };
  const modules = { pgliteWasmModule: workerData.pgliteWasmModule, initdbWasmModule: workerData.initdbWasmModule };
  if (workerData.template) {
    db = await PGlite.create({ parsers, ...modules, loadDataDir: new Blob([workerData.template]) });
    return undefined;
  }
  db = await PGlite.create({ parsers, ...modules });
  await db.exec(workerData.schemaSql);
  // A snapshot of the empty schema: every tenant's replica starts from it in well under a second.
  const dump = await db.dumpDataDir('none');
  return await dump.arrayBuffer();
}
async function write(message) {
  // Runs as the owner, outside any caller's transaction: the books are the source of truth.
  await db.exec('BEGIN');
  try {
    await db.exec(message.sql);
    await db.exec('COMMIT');
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return { columns: [], rows: [], command: null, truncated: false };
}
async function run(message) {
  if (message.write) return write(message);
  await db.exec('BEGIN TRANSACTION READ ONLY');
  try {
    await db.query("SELECT set_config('app.tenant_id', $1, true)", [message.tenantId]);
    await db.exec('SET LOCAL ROLE ' + workerData.readerRole);
    // Honoured by real Postgres; PGlite cannot interrupt itself, the worker timer does.
    await db.exec("SET LOCAL statement_timeout = '" + message.timeoutMs + "ms'");
    let result;
    let truncated = false;
    if (message.cursor) {
      await db.query('DECLARE mcp_cursor NO SCROLL CURSOR FOR ' + message.sql);
      result = await db.query('FETCH FORWARD ' + (message.rowLimit + 1) + ' FROM mcp_cursor');
      truncated = result.rows.length > message.rowLimit;
      if (truncated) result.rows.length = message.rowLimit;
    } else {
      result = await db.query(message.sql, message.params || []);
      if (result.rows.length > message.rowLimit) {
        truncated = true;
        result.rows.length = message.rowLimit;
      }
    }
    return {
      columns: (result.fields || []).map((field) => ({ name: field.name, typeId: field.dataTypeID })),
      rows: result.rows,
      command: result.command || null,
      truncated,
    };
  } finally {
    // Rolling back undoes any SET; DISCARD ALL also drops what a rollback keeps (prepared
    // statements, cursors), so nothing of one query outlives it.
    await db.exec('ROLLBACK').catch(() => undefined);
    await db.exec('DISCARD ALL').catch(() => undefined);
  }
}
start().then(
  (template) => {
    parentPort.postMessage({ type: 'ready', template }, template ? [template] : []);
    if (template) return;
    parentPort.on('message', (message) => {
      run(message).then(
        (result) => parentPort.postMessage({ type: 'result', id: message.id, result }),
        (error) => parentPort.postMessage({ type: 'error', id: message.id, message: String(error && error.message || error), code: error && error.code || null }),
      );
    });
  },
  (error) => parentPort.postMessage({ type: 'failed', message: String(error && error.stack || error) }),
);
`;

/** A query result from {@link SqlEngine}. */
export interface SqlResult {
  columns: { name: string; typeId: number }[];
  rows: Record<string, unknown>[];
  command: string | null;
  truncated: boolean;
}

/** What to run. */
export interface SqlRequest {
  sql: string;
  params?: unknown[];
  tenantId: string;
  /** Wrap in a cursor and fetch at most `rowLimit + 1` rows (SELECT-like statements only). */
  cursor: boolean;
  rowLimit: number;
}

/** One organization's replica: read-only SQL as the reader role, and the owner's sync writes. */
export interface SqlEngine {
  run(request: SqlRequest): Promise<SqlResult>;
  /** Applies statements as the owner, after every request queued before it. */
  write(sql: string): Promise<void>;
  /** Number of times the worker was rebuilt after a timeout. */
  restarts(): number;
  close(): Promise<void>;
}

/** Options for {@link createSqlEngine}. */
export interface SqlEngineOptions {
  /** The empty schema's data directory, from {@link createSchemaTemplate}. */
  template: ArrayBuffer;
  /** The replica's rows as they stand now; read at every (re)start. */
  rowsSql: () => string;
  /** Wall-clock limit per statement. */
  timeoutMs: number;
}

let compiledModules:
  | Promise<{ pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module }>
  | undefined;

/** Compiles PGlite's WebAssembly once per process; every worker then skips compilation. */
function compileModules(pglitePath: string) {
  compiledModules ??= (async () => {
    const directory = dirname(pglitePath);
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([
      readFile(join(directory, 'pglite.wasm')).then((bytes) => WebAssembly.compile(bytes)),
      readFile(join(directory, 'initdb.wasm')).then((bytes) => WebAssembly.compile(bytes)),
    ]);
    return { pgliteWasmModule, initdbWasmModule };
  })();
  return compiledModules;
}

/** The installed PGlite's version (the on-disk format of a data directory depends on it). */
export function pgliteVersion(): string {
  const manifest = join(dirname(resolvePglite()), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function resolvePglite(): string {
  try {
    return createRequire(import.meta.url).resolve('@electric-sql/pglite');
  } catch {
    // Bundled copies resolve from the package's own folder instead.
    return createRequire(join(packageRoot(), 'package.json')).resolve('@electric-sql/pglite');
  }
}

type Pending = { resolve: (result: SqlResult) => void; reject: (error: unknown) => void };

type WorkerMessage = {
  type: string;
  id?: number;
  result?: SqlResult;
  message?: string;
  code?: string | null;
  template?: ArrayBuffer;
};

async function workerBase(): Promise<Record<string, unknown>> {
  const pglitePath = resolvePglite();
  const modules = await compileModules(pglitePath).catch(() => undefined);
  return { pgliteUrl: pathToFileURL(pglitePath).href, readerRole: READER_ROLE, ...modules };
}

/**
 * Builds the schema (tables, reader role, grants, RLS) once in a throw-away worker and returns
 * its data directory, from which every replica starts.
 */
export async function createSchemaTemplate(schemaSql: string): Promise<ArrayBuffer> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { ...(await workerBase()), schemaSql },
  });
  try {
    return await new Promise<ArrayBuffer>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready' && message.template) resolve(message.template);
        else if (message.type === 'failed')
          reject(new DemoServerError('startup_failed', `database: ${message.message}`));
      });
      worker.on('error', (error) =>
        reject(new DemoServerError('startup_failed', `database worker: ${error.message}`)),
      );
    });
  } finally {
    await worker.terminate();
  }
}

/** Starts one replica's worker from the template, loads its rows and resolves once it answers. */
export async function createSqlEngine(options: SqlEngineOptions): Promise<SqlEngine> {
  const base = await workerBase();
  let worker: Worker;
  let ready: Promise<void>;
  let restartCount = 0;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, Pending>();
  let queue: Promise<unknown> = Promise.resolve();

  const post = (message: Record<string, unknown>, timeoutMs: number | undefined) => {
    const id = nextId;
    nextId += 1;
    let timer: NodeJS.Timeout | undefined;
    return new Promise<SqlResult>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          pending.delete(id);
          reject(
            new DemoServerError(
              'query_timeout',
              `sql: the query ran longer than ${timeoutMs} ms and was stopped`,
              { field: 'sql' },
            ),
          );
          restartCount += 1;
          void worker.terminate();
          ready = spawn();
          // A failed rebuild is reported to the next caller through `ready`.
          ready.catch(() => undefined);
        }, timeoutMs);
      }
      worker.postMessage({ id, ...message });
    }).finally(() => clearTimeout(timer));
  };

  const spawn = async (): Promise<void> => {
    // Copied: transferring the template to one worker would detach it for the next restart.
    const current = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...base, template: options.template.slice(0) },
    });
    worker = current;
    await new Promise<void>((resolve, reject) => {
      current.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'failed')
          reject(new DemoServerError('startup_failed', `database: ${message.message}`));
        else if (message.id !== undefined) {
          const entry = pending.get(message.id);
          pending.delete(message.id);
          if (!entry) return;
          if (message.type === 'result' && message.result) entry.resolve(message.result);
          else
            entry.reject(
              Object.assign(new Error(message.message ?? 'query failed'), {
                code: message.code ?? undefined,
              }),
            );
        }
      });
      current.on('error', (error) =>
        reject(
          new DemoServerError('startup_failed', `database worker: ${error.message}`, {
            cause: error,
          }),
        ),
      );
    });
    // The rows as they are now, so a rebuilt replica never misses a change made meanwhile.
    await post({ write: true, sql: options.rowsSql() }, undefined);
  };

  ready = spawn();
  await ready;

  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(async () => {
      await ready;
      if (closed)
        throw new DemoServerError('invalid_state', 'database: the server is shutting down');
      return task();
    });
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    // One statement at a time: PGlite has a single connection and transactions must not interleave.
    run: (request) =>
      enqueue(() => post({ ...request, timeoutMs: options.timeoutMs }, options.timeoutMs)),
    write: (sql) =>
      enqueue(async () => {
        if (sql.trim() !== '') await post({ write: true, sql }, options.timeoutMs);
      }),
    restarts: () => restartCount,
    close: async () => {
      closed = true;
      await ready.catch(() => undefined);
      for (const entry of pending.values())
        entry.reject(new DemoServerError('invalid_state', 'database: closed'));
      pending.clear();
      await worker.terminate();
    },
  };
}
