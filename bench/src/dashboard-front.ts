/**
 * The dashboard's gateway front under load, against the standalone gateway with the same policy
 * stages and against an unauthenticated route handler of the same dashboard, in one run.
 *
 * Every subject answers the same cached read: `tools/call list_invoices` on billy with an API
 * key, 2026-07-28 stateless headers, audited, rate limited (with a budget the load cannot
 * exhaust), RBAC-checked and served from the cache. Closed loop at 1, 50 and 500 connections.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey } from '@tekup/mcp-gateway';
import { stringify } from 'yaml';
import {
  TEKUP_TENANT,
  cpuMicros,
  createKey,
  type DashboardServer,
  signIn,
  withDashboard,
} from './dashboard.js';
import { type LoadResult, type LoadTarget, measureLoad } from './load.js';
import { describeMachine, machine } from './machine.js';
import { assertBuilt, fleetBin, gatewayBin } from './paths.js';
import { freePort, startProcess, waitForReady } from './processes.js';
import { ms, record, table } from './report.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const levels = (process.env.BENCH_LEVELS ?? '1,50,500').split(',').map(Number);
/** Far above what the load can spend: the stage runs, and never refuses. */
const UNLIMITED = 1_000_000_000;

const call = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'list_invoices', arguments: { limit: 5 } },
});

function mcpTarget(url: string, key: string): LoadTarget {
  return {
    url,
    method: 'POST',
    body: call,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'list_invoices',
    },
  };
}

interface Row extends LoadResult {
  subject: string;
  /** CPU of the serving process per request, µs. */
  cpuMicrosPerRequest: number;
}

async function run(subject: string, target: LoadTarget, pid: number | undefined): Promise<Row[]> {
  const check = await fetch(target.url, {
    method: target.method ?? 'GET',
    ...(target.headers ? { headers: target.headers } : {}),
    ...(target.body === undefined ? {} : { body: target.body }),
  });
  const text = await check.text();
  if (!check.ok || text.includes('"error"')) {
    throw new Error(`${subject}: ${check.status} ${text.slice(0, 300)}`);
  }
  await measureLoad(target, 10, 2);
  const rows: Row[] = [];
  for (const connections of levels) {
    const before = cpuMicros(pid);
    const result = await measureLoad(target, connections, seconds);
    rows.push({
      subject,
      ...result,
      cpuMicrosPerRequest: (cpuMicros(pid) - before) / Math.max(1, result.total + result.errors),
    });
    console.log(
      `${subject.padEnd(34)} ${String(connections).padStart(4)} conns: ${String(result.requestsPerSecond).padStart(5)} req/s, p50 ${ms(result.p50)} ms, p95 ${ms(result.p95)} ms, p99 ${ms(result.p99)} ms, errors ${result.errors}`,
    );
  }
  return rows;
}

/** The standalone gateway (its CLI) over a billy fleet, with the dashboard's policy stages. */
async function standalone(workDir: string): Promise<Row[]> {
  const fleetPort = await freePort();
  const fleet = startProcess(process.execPath, [
    fleetBin,
    '--servers',
    'billy',
    '--instances',
    'billy=2',
    '--base-port',
    String(fleetPort),
  ]);
  const gatewayPort = await freePort();
  const { key, record: keyRecord } = await generateApiKey({
    ownerId: 'bench',
    role: 'admin',
    tenantId: TEKUP_TENANT,
  });
  const config = {
    servers: {
      billy: {
        instances: [
          `http://127.0.0.1:${fleetPort}/mcp`,
          // billy's second instance: the fleet puts instance k of a server 10 × k ports up.
          `http://127.0.0.1:${fleetPort + 10}/mcp`,
        ],
      },
    },
    auth: { keys: [keyRecord] },
    rbac: { roles: { admin: { allow: ['*/*'], destructive: true } } },
    rateLimit: { default: { points: UNLIMITED, durationSeconds: 60 } },
    audit: { dataDir: join(workDir, 'gateway-audit') },
  };
  const configFile = join(workDir, 'gateway.yaml');
  await writeFile(configFile, stringify(config));
  try {
    await waitForReady(`http://127.0.0.1:${fleetPort}/health`, fleet);
    const gateway = startProcess(
      process.execPath,
      [gatewayBin, '--config', configFile, '--port', String(gatewayPort)],
      { env: { LOG_LEVEL: 'warn' } },
    );
    try {
      await waitForReady(`http://127.0.0.1:${gatewayPort}/health`, gateway);
      return await run(
        'standalone gateway',
        mcpTarget(`http://127.0.0.1:${gatewayPort}/mcp/billy`, key),
        gateway.child.pid,
      );
    } finally {
      await gateway.stop();
    }
  } finally {
    await fleet.stop();
  }
}

/** The dashboard served one way, its front and (custom server only) its liveness route. */
async function dashboard(
  server: DashboardServer,
  dataDir: string,
): Promise<{ front: Row[]; live: Row[] }> {
  return withDashboard(
    dataDir,
    { server, env: { TEKUP_GATEWAY_RATE_PER_MINUTE: String(UNLIMITED) } },
    async ({ base, server: started }) => {
      const key = await createKey(base, await signIn(base), `bench ${server}`);
      const label =
        server === 'custom-server' ? 'dashboard front' : 'dashboard front via Next route';
      const front = await run(
        label,
        mcpTarget(`${base}/api/gateway/mcp/billy`, key),
        started.child.pid,
      );
      const live =
        server === 'custom-server'
          ? await run(
              'unauthenticated route handler',
              { url: `${base}/api/live` },
              started.child.pid,
            )
          : [];
      return { front, live };
    },
  );
}

/** Runs the comparison and records it. */
export async function benchDashboardFront(): Promise<void> {
  assertBuilt();
  const startedOn = machine();
  const workDir = await mkdtemp(join(tmpdir(), 'tekup-bench-front-'));
  try {
    const gateway = await standalone(workDir);
    const custom = await dashboard('custom-server', join(workDir, 'dashboard'));
    const viaNext = await dashboard('next-start', join(workDir, 'dashboard'));
    const all = [...gateway, ...custom.front, ...viaNext.front, ...custom.live];
    const at = (rows: Row[], connections: number) =>
      rows.find((row) => row.connections === connections);
    const ratios = levels.map((connections) => {
      const front = at(custom.front, connections);
      return {
        connections,
        ofStandalone:
          (front?.requestsPerSecond ?? 0) / (at(gateway, connections)?.requestsPerSecond ?? 1),
        ofRouteHandler:
          (front?.requestsPerSecond ?? 0) / (at(custom.live, connections)?.requestsPerSecond ?? 1),
        ofNextRoute:
          (front?.requestsPerSecond ?? 0) /
          (at(viaNext.front, connections)?.requestsPerSecond ?? 1),
      };
    });
    const rows = all.map((row) => [
      row.subject,
      row.connections,
      row.requestsPerSecond,
      ms(row.p50),
      ms(row.p95),
      ms(row.p99),
      `${row.errors} (${(100 * row.errorRate).toFixed(2)} %)`,
      Number.isFinite(row.cpuMicrosPerRequest) ? row.cpuMicrosPerRequest.toFixed(0) : '–',
    ]);
    const markdown = [
      `Latest run: ${describeMachine(startedOn)}; ${seconds} s per row after a 2 s warm-up, closed loop on keep-alive connections opened beforehand (undici; the load generator shares the two cores).`,
      '',
      table(
        ['subject', 'conns', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'server CPU µs/req'],
        rows,
      ),
      '',
      table(
        [
          'conns',
          'front ÷ standalone gateway',
          'front ÷ unauthenticated route',
          'front ÷ front via Next route',
        ],
        ratios.map((ratio) => [
          ratio.connections,
          `${(100 * ratio.ofStandalone).toFixed(0)} %`,
          `${(100 * ratio.ofRouteHandler).toFixed(0)} %`,
          `${ratio.ofNextRoute.toFixed(1)}×`,
        ]),
      ),
    ].join('\n');
    await record('dashboard-front', { machine: startedOn, seconds, rows: all, ratios }, markdown);
    console.log(`\n${markdown}\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
