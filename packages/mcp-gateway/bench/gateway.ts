/**
 * `pnpm bench`: the same `tools/call` sent straight to an upstream MCP server and through
 * the gateway, at 1, 50 and 500 concurrent connections (autocannon, bounded in time).
 * Upstream and gateway run in their own processes; prints p50/p95/p99 latency, requests/s
 * and the ratios, and writes them as JSON to bench/results.json.
 *
 * Env: BENCH_SECONDS (default 8), BENCH_LEVELS (default "1,50,500").
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createGateway } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const levels = (process.env.BENCH_LEVELS ?? '1,50,500').split(',').map(Number);

const children: ChildProcess[] = [];

/** CPU time (user + system, µs) a child process has used so far, asked over IPC. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (usage: { user: number; system: number }) =>
      resolve(usage.user + usage.system),
    );
    child.send('cpu');
  });
}

function start(script: string, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }).once(
      'line',
      resolve,
    );
  });
}

async function initialize(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    }),
  });
  await response.text();
  const sessionId = response.headers.get('mcp-session-id');
  if (sessionId === null) throw new Error(`no session from ${url}`);
  await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  }).then((reply) => reply.text());
  return sessionId;
}

interface Measurement {
  connections: number;
  /** CPU time the measured server process(es) spent per request, µs (load-independent). */
  cpuMicrosPerRequest?: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  total: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}

async function measure(
  url: string,
  headers: Record<string, string>,
  connections: number,
  duration: number,
): Promise<Measurement> {
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'hello' } },
    }),
    connections,
    duration,
  });
  instance.on(
    'response',
    (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
    },
  );
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  return {
    connections,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    errors: result.errors + result.timeouts + result.non2xx,
    total: result.requests.total,
  };
}

const format = (value: number) => value.toFixed(2).padStart(8);

/**
 * The gateway core alone, in process: `gateway.fetch` with an upstream `fetch` that answers
 * instantly, so no HTTP hop and no other process is measured. CPU µs per request.
 */
async function measureCore(): Promise<{
  cpuMicrosPerRequest: number;
  wallMicrosPerRequest: number;
}> {
  const reply = (id: unknown, result: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify({ jsonrpc: '2.0', id, result }), {
      headers: { 'content-type': 'application/json', ...headers },
    });
  const instant: typeof fetch = async (_input, init) => {
    const message = JSON.parse(String(init?.body)) as { id?: unknown; method: string };
    if (message.id === undefined) return new Response(null, { status: 202 });
    if (message.method === 'initialize') {
      return reply(
        message.id,
        {
          protocolVersion: '2025-11-25',
          capabilities: { tools: {} },
          serverInfo: { name: 'core', version: '1' },
        },
        { 'mcp-session-id': 'core' },
      );
    }
    if (message.method === 'tools/list') {
      return reply(message.id, {
        tools: [
          { name: 'echo', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } },
        ],
      });
    }
    return reply(message.id, { content: [{ type: 'text', text: 'hello' }] });
  };
  const gateway = createGateway({
    servers: { core: { instances: ['http://127.0.0.1:9/mcp'] } },
    healthChecks: false,
    fetch: instant,
  });
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'echo', arguments: { text: 'hello' } },
  });
  const send = () =>
    gateway
      .fetch(
        new Request('http://localhost/mcp/core', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body,
        }),
      )
      .then((response) => response.text());
  for (let index = 0; index < 2_000; index++) await send();
  const total = 20_000;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let done = 0; done < total; done += 50) await Promise.all(Array.from({ length: 50 }, send));
  const used = process.cpuUsage(cpu);
  await gateway.close();
  return {
    cpuMicrosPerRequest: (used.user + used.system) / total,
    wallMicrosPerRequest: ((performance.now() - started) * 1000) / total,
  };
}

try {
  const upstreamUrl = await start('upstream-process.ts');
  const gatewayUrl = await start('gateway-process.ts', { UPSTREAM_URL: upstreamUrl });
  const sessionId = await initialize(upstreamUrl);
  const directHeaders = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
  // Warm both paths (JIT, connection pools, the gateway's tool-annotation cache).
  await measure(upstreamUrl, directHeaders, 10, 2);
  await measure(gatewayUrl, {}, 10, 2);

  const [upstreamChild, gatewayChild] = children as [ChildProcess, ChildProcess];
  const rows: { direct: Measurement; gateway: Measurement; gatewayCpuMicrosPerRequest: number }[] =
    [];
  for (const connections of levels) {
    let upstreamCpu = await cpuOf(upstreamChild);
    const direct = await measure(upstreamUrl, directHeaders, connections, seconds);
    direct.cpuMicrosPerRequest = ((await cpuOf(upstreamChild)) - upstreamCpu) / direct.total;
    upstreamCpu = await cpuOf(upstreamChild);
    const gatewayCpu = await cpuOf(gatewayChild);
    const gateway = await measure(gatewayUrl, {}, connections, seconds);
    const gatewayOnly = ((await cpuOf(gatewayChild)) - gatewayCpu) / gateway.total;
    gateway.cpuMicrosPerRequest =
      gatewayOnly + ((await cpuOf(upstreamChild)) - upstreamCpu) / gateway.total;
    rows.push({ direct, gateway, gatewayCpuMicrosPerRequest: gatewayOnly });
  }

  const machine = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    secondsPerRun: seconds,
    date: new Date().toISOString(),
  };
  console.log(
    `\nGateway benchmark — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${seconds}s per run`,
  );
  console.log(
    'conns | path    |   p50 ms |   p95 ms |   p99 ms |    req/s | server CPU µs/req | errors',
  );
  for (const { direct, gateway, gatewayCpuMicrosPerRequest } of rows) {
    for (const [label, row] of [
      ['direct', direct],
      ['gateway', gateway],
    ] as const) {
      console.log(
        `${String(row.connections).padStart(5)} | ${label.padEnd(7)} | ${format(row.p50)} | ${format(row.p95)} | ${format(row.p99)} | ${String(row.requestsPerSecond).padStart(8)} | ${format(row.cpuMicrosPerRequest ?? Number.NaN).padStart(17)} | ${row.errors}`,
      );
    }
    console.log(
      `      | added   | ${format(gateway.p50 - direct.p50)} | ${format(gateway.p95 - direct.p95)} | ${format(gateway.p99 - direct.p99)} | ${((100 * gateway.requestsPerSecond) / direct.requestsPerSecond).toFixed(0).padStart(7)}% | gateway alone ${gatewayCpuMicrosPerRequest.toFixed(0)} µs |`,
    );
  }
  const core = await measureCore();
  console.log(
    `core only (in process, instant upstream): ${core.cpuMicrosPerRequest.toFixed(0)} µs CPU, ${core.wallMicrosPerRequest.toFixed(0)} µs wall per request`,
  );
  await writeFile(
    join(here, 'results.json'),
    `${JSON.stringify({ machine, rows, core }, null, 2)}\n`,
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
}
