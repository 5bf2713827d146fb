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
 * signals), so a runaway query would block forever. It therefore lives in a worker thread
 * that is terminated and rebuilt when a query overruns its time limit.
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
  if (workerData.dataDir) {
    db = await PGlite.create({ parsers, ...modules, loadDataDir: new Blob([workerData.dataDir]) });
    return undefined;
  }
  db = await PGlite.create({ parsers, ...modules });
  await db.exec(workerData.seedSql);
  // A snapshot of the seeded cluster makes a restart after a timeout take well under a second.
  const dump = await db.dumpDataDir('none');
  return await dump.arrayBuffer();
}
async function run(message) {
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
    // Rolling back also undoes any session-level SET the statement made.
    await db.exec('ROLLBACK').catch(() => undefined);
  }
}
start().then(
  (dataDir) => {
    parentPort.postMessage({ type: 'ready', dataDir }, dataDir ? [dataDir] : []);
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

/** Runs read-only SQL as the reader role inside a worker-hosted PGlite. */
export interface SqlEngine {
  run(request: SqlRequest): Promise<SqlResult>;
  /** Number of times the worker was rebuilt after a timeout. */
  restarts(): number;
  close(): Promise<void>;
}

/** Options for {@link createSqlEngine}. */
export interface SqlEngineOptions {
  seedSql: string;
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

function resolvePglite(): string {
  try {
    return createRequire(import.meta.url).resolve('@electric-sql/pglite');
  } catch {
    // Bundled copies resolve from the package's own folder instead.
    return createRequire(join(packageRoot(), 'package.json')).resolve('@electric-sql/pglite');
  }
}

type Pending = { resolve: (result: SqlResult) => void; reject: (error: unknown) => void };

/** Starts the worker, seeds the database and resolves once it answers queries. */
export async function createSqlEngine(options: SqlEngineOptions): Promise<SqlEngine> {
  const pglitePath = resolvePglite();
  const pgliteUrl = pathToFileURL(pglitePath).href;
  const modules = await compileModules(pglitePath).catch(() => undefined);
  let worker: Worker;
  let ready: Promise<void>;
  let restartCount = 0;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, Pending>();
  let queue: Promise<unknown> = Promise.resolve();

  let dataDir: ArrayBuffer | undefined;

  const spawn = (): Promise<void> => {
    const current = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        pgliteUrl,
        seedSql: options.seedSql,
        readerRole: READER_ROLE,
        dataDir,
        ...modules,
      },
    });
    worker = current;
    return new Promise<void>((resolve, reject) => {
      current.on(
        'message',
        (message: {
          type: string;
          id?: number;
          result?: SqlResult;
          message?: string;
          code?: string | null;
          dataDir?: ArrayBuffer;
        }) => {
          if (message.type === 'ready') {
            dataDir ??= message.dataDir;
            resolve();
          } else if (message.type === 'failed')
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
        },
      );
      current.on('error', (error) =>
        reject(
          new DemoServerError('startup_failed', `database worker: ${error.message}`, {
            cause: error,
          }),
        ),
      );
    });
  };

  ready = spawn();
  await ready;

  const execute = async (request: SqlRequest): Promise<SqlResult> => {
    await ready;
    if (closed) throw new DemoServerError('invalid_state', 'database: the server is shutting down');
    const id = nextId;
    nextId += 1;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<SqlResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        timer = setTimeout(() => {
          pending.delete(id);
          reject(
            new DemoServerError(
              'query_timeout',
              `sql: the query ran longer than ${options.timeoutMs} ms and was stopped`,
              { field: 'sql' },
            ),
          );
          restartCount += 1;
          void worker.terminate();
          ready = spawn();
        }, options.timeoutMs);
        worker.postMessage({ id, ...request, timeoutMs: options.timeoutMs });
      });
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    // One statement at a time: PGlite has a single connection and transactions must not interleave.
    run: (request) => {
      const result = queue.then(() => execute(request));
      queue = result.catch(() => undefined);
      return result;
    },
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
