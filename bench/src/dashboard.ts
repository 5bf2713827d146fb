/** Starting the dashboard's production build as a benchmark subject, and signing in to it. */
import { readFileSync } from 'node:fs';
import { dashboardDir } from './paths.js';
import { freePort, type Started, startProcess, waitForReady } from './processes.js';

/** The organization of the seeded admin the benchmarks act as (Tekup Demo ApS). */
export const TEKUP_TENANT = '00000000-0000-4000-8000-000000000001';

/** How the dashboard is served. */
export type DashboardServer = 'custom-server' | 'next-start';

/** Starts the dashboard on its embedded defaults in `dataDir`. */
function startDashboard(
  port: number,
  dataDir: string,
  options: { server?: DashboardServer; env?: Record<string, string> } = {},
): Started {
  const env = {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    TEKUP_DATA_DIR: dataDir,
    SESSION_SECRET: 'bench-session-secret-bench-session-secret-0123',
    REDIS_URL: '',
    DATABASE_URL: '',
    OPENAI_API_KEY: '',
    MCP_GATEWAY_URL: '',
    ...options.env,
  };
  return options.server === 'next-start'
    ? startProcess(
        process.execPath,
        ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'],
        { cwd: dashboardDir, env },
      )
    : startProcess(process.execPath, ['server.mjs'], { cwd: dashboardDir, env });
}

/** Signs in with the form's JSON API and returns the session cookie (`name=value`). */
export async function signIn(base: string, email = 'admin@tekup.dk'): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password: 'tekup-demo' }),
    redirect: 'manual',
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return cookie;
}

/** Creates an API key through the keys API (as the signed-in admin). */
export async function createKey(base: string, cookie: string, name: string): Promise<string> {
  const response = await fetch(`${base}/api/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, cookie },
    body: JSON.stringify({ name, role: 'admin', access: 'read' }),
  });
  const body = (await response.json()) as { key?: string };
  if (!body.key) throw new Error(`key creation failed: ${response.status}`);
  return body.key;
}

/** CPU time (user + system) a process has used, in µs (Linux `/proc`). */
export function cpuMicros(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

/** A dashboard started for one benchmark step: its base URL and its process. */
export interface RunningDashboard {
  base: string;
  server: Started;
  /** Milliseconds from the start until `/api/live` and then `/api/ready` answered. */
  liveMs: number;
  readyMs: number;
}

/**
 * Starts the dashboard on a free port in `dataDir`, waits until it is live and ready, runs
 * `step`, and stops it whatever happens.
 */
export async function withDashboard<T>(
  dataDir: string,
  options: { server?: DashboardServer; env?: Record<string, string> },
  step: (dashboard: RunningDashboard) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const began = performance.now();
  const server = startDashboard(port, dataDir, options);
  try {
    const liveMs = await waitForReady(`${base}/api/live`, server);
    await waitForReady(`${base}/api/ready`, server);
    return await step({ base, server, liveMs, readyMs: performance.now() - began });
  } finally {
    await server.stop();
  }
}
