/**
 * PGlite (Postgres in WebAssembly) on a worker thread. PGlite runs queries synchronously on the
 * thread that owns it: opening a database takes seconds and a batch insert tens of milliseconds,
 * which on the main thread would stall every request the process is serving. Here the main
 * thread only posts statements and awaits their rows.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, as source text: it runs unchanged from `src/` (tests) and from any bundle
 * (a framework bundling this package cannot break a worker file it never sees).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { mkdir } = require('node:fs/promises');
async function open() {
  const { PGlite } = await import(workerData.pgliteUrl);
  if (workerData.dataDir) await mkdir(workerData.dataDir, { recursive: true });
  const modules = workerData.modules || {};
  return PGlite.create(workerData.dataDir, modules);
}
async function run(db, message) {
  switch (message.op) {
    case 'query':
      return (await db.query(message.sql, message.params || [])).rows;
    case 'exec':
      await db.exec(message.sql);
      return [];
    case 'transaction':
      await db.transaction(async (transaction) => {
        for (const statement of message.statements) await transaction.query(statement);
      });
      return [];
    case 'close':
      await db.close();
      return [];
  }
  throw new Error('unknown operation ' + message.op);
}
open().then(
  (db) => {
    parentPort.postMessage({ type: 'ready' });
    // One statement at a time, in arrival order: PGlite is single-connection anyway.
    let queue = Promise.resolve();
    parentPort.on('message', (message) => {
      queue = queue.then(() =>
        run(db, message).then(
          (rows) => parentPort.postMessage({ id: message.id, rows }),
          (error) =>
            parentPort.postMessage({
              id: message.id,
              error: { message: String((error && error.message) || error), code: (error && error.code) || null },
            }),
        ),
      );
    });
  },
  (error) => parentPort.postMessage({ type: 'failed', message: String((error && error.stack) || error) }),
);
`;

/** Options for {@link startPgliteWorker}. */
export interface PgliteWorkerOptions {
  /** Directory of the database files (created if missing); in memory when omitted. */
  dataDir?: string;
}

/** A PGlite database on its own thread. */
export interface PgliteWorker {
  /** Resolves once the database is open (rejects when it cannot be). */
  readonly ready: Promise<void>;
  /** Runs one parameterized statement and resolves to its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  /** Runs statements in one transaction. */
  transaction(statements: string[]): Promise<void>;
  /** Closes the database and ends the thread. */
  close(): Promise<void>;
}

/** A database error from the worker, with its SQLSTATE `code` when Postgres gave one. */
export class PgliteWorkerError extends Error {
  override readonly name = 'PgliteWorkerError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

type Reply = {
  type?: 'ready' | 'failed';
  id?: number;
  rows?: unknown[];
  message?: string;
  error?: { message: string; code: string | null };
};

const PGLITE = '@electric-sql/pglite';

let compiled: Promise<Record<string, WebAssembly.Module> | undefined> | undefined;

/** PGlite's WebAssembly, compiled once per process (off the main thread) and shared by workers. */
function compileModules(
  pglitePath: string,
): Promise<Record<string, WebAssembly.Module> | undefined> {
  compiled ??= (async () => {
    const directory = dirname(pglitePath);
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all(
      ['pglite.wasm', 'initdb.wasm'].map((file) =>
        readFile(join(directory, file)).then((bytes) => WebAssembly.compile(bytes)),
      ),
    );
    return { pgliteWasmModule, initdbWasmModule } as Record<string, WebAssembly.Module>;
  })().catch(() => undefined);
  return compiled;
}

/**
 * Where a package's entry file is, resolved from `base`. A function of its arguments on purpose:
 * a bundler that rewrites `require.resolve('<literal>')` into a module id of its own would hand
 * the worker a number instead of a file.
 */
function resolveFrom(base: string, specifier: string): string {
  return createRequire(base).resolve(specifier);
}

function resolvePglite(): string {
  try {
    return resolveFrom(import.meta.url, PGLITE);
  } catch {
    // Bundled into an app (a Next.js server chunk): the app depends on PGlite itself.
    return resolveFrom(join(process.cwd(), 'package.json'), PGLITE);
  }
}

/**
 * Opens a PGlite database on a worker thread.
 *
 * @example
 * const db = startPgliteWorker({ dataDir: '.data/audit' });
 * await db.ready;
 * const rows = await db.query('select count(*) from mcp_audit_logs');
 */
export function startPgliteWorker(options: PgliteWorkerOptions = {}): PgliteWorker {
  const pending = new Map<
    number,
    { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }
  >();
  let nextId = 0;
  let exited: Error | undefined;
  const worker = (async () => {
    const pglitePath = resolvePglite();
    const modules = await compileModules(pglitePath);
    if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
    return new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { pgliteUrl: pathToFileURL(pglitePath).href, dataDir: options.dataDir, modules },
    });
  })();

  const ready = worker.then(
    (thread) =>
      new Promise<void>((resolve, reject) => {
        thread.on('message', (reply: Reply) => {
          if (reply.type === 'ready') return resolve();
          if (reply.type === 'failed') {
            reject(new PgliteWorkerError(`PGlite did not open: ${reply.message}`, undefined));
            void thread.terminate();
            return;
          }
          const waiting = reply.id === undefined ? undefined : pending.get(reply.id);
          if (!waiting || reply.id === undefined) return;
          pending.delete(reply.id);
          if (reply.error) {
            waiting.reject(
              new PgliteWorkerError(reply.error.message, reply.error.code ?? undefined),
            );
          } else {
            waiting.resolve(reply.rows ?? []);
          }
        });
        thread.on('error', (error) => reject(error));
        thread.on('exit', (code) => {
          exited = new PgliteWorkerError(`PGlite worker exited (code ${code})`, undefined);
          reject(exited);
          for (const waiting of pending.values()) waiting.reject(exited);
          pending.clear();
        });
        thread.unref();
      }),
  );
  // The owner is whoever awaits `ready` or a call; an unobserved failure is not a crash.
  ready.catch(() => undefined);

  async function send(message: Record<string, unknown>): Promise<unknown[]> {
    await ready;
    const thread = await worker;
    if (exited) throw exited;
    const id = nextId++;
    // Calls in flight keep the process alive (a shutdown still writes its last rows); none, not.
    const settled = () => {
      if (pending.size === 0) thread.unref();
    };
    return new Promise<unknown[]>((resolve, reject) => {
      pending.set(id, {
        resolve: (rows) => {
          settled();
          resolve(rows);
        },
        reject: (error) => {
          settled();
          reject(error);
        },
      });
      thread.ref();
      thread.postMessage({ ...message, id });
    });
  }

  let closing: Promise<void> | undefined;
  return {
    ready,
    query: <Row>(sql: string, params: unknown[] = []) =>
      send({ op: 'query', sql, params }) as Promise<Row[]>,
    exec: async (sql) => {
      await send({ op: 'exec', sql });
    },
    transaction: async (statements) => {
      await send({ op: 'transaction', statements });
    },
    close() {
      closing ??= (async () => {
        const opened = await ready.then(
          () => true,
          () => false,
        );
        if (opened && !exited) await send({ op: 'close' }).catch(() => undefined);
        await (await worker.catch(() => undefined))?.terminate();
      })();
      return closing;
    },
  };
}
