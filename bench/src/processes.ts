/** Child processes of a benchmark: started, waited for, and never left behind. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

const children = new Set<ChildProcess>();

function stopAll(): void {
  for (const child of children) child.kill('SIGKILL');
}
process.once('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAll();
    process.exit(130);
  });
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Options of {@link startProcess}. */
export interface StartOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Keep its output for {@link Started.output} (and print it when it fails). */
  capture?: boolean;
}

export interface Started {
  child: ChildProcess;
  /** What it printed so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a process (never through a shell). */
export function startProcess(command: string, args: string[], options: StartOptions = {}): Started {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    if (output.length < 200_000) output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => children.delete(child));
  return {
    child,
    output: () => output,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `url` until it answers 2xx (a readiness endpoint), failing after `timeoutMs` or when
 * the process exits first. Resolves to the milliseconds it took.
 */
export async function waitForReady(
  url: string,
  started: Started,
  timeoutMs = 120_000,
): Promise<number> {
  const begin = performance.now();
  for (;;) {
    if (started.child.exitCode !== null) {
      throw new Error(`process exited before ${url} was ready:\n${started.output().slice(-4000)}`);
    }
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return performance.now() - begin;
    if (performance.now() - begin > timeoutMs) {
      throw new Error(`${url} not ready after ${timeoutMs} ms:\n${started.output().slice(-4000)}`);
    }
    // Polling a readiness endpoint: there is no event to await from another process.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
