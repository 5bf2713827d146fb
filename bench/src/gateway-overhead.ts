/**
 * What the gateway adds to one MCP hop: the same `tools/call` (`echo` on the smallest SDK
 * server) sent straight to the upstream and through the standalone gateway's node:http server,
 * at 1, 50 and 500 connections; upstream and gateway each in their own process. Also the
 * gateway core alone in process (an upstream `fetch` that answers at once, no HTTP), and the
 * policy stages' own cost (`packages/mcp-gateway/bench/stages.ts`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGateway } from '@tekup/mcp-gateway';
import { type LoadResult, measureLoad } from './load.js';
import { describeMachine, machine } from './machine.js';
import { root } from './paths.js';
import { startProcess } from './processes.js';
import { ms, record, signedMs, table } from './report.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const levels = (process.env.BENCH_LEVELS ?? '1,50,500').split(',').map(Number);
const here = join(root, 'bench', 'src', 'gateway-overhead');

const children: ChildProcess[] = [];

/** Starts a child with IPC (for its CPU usage) and resolves to the URL it prints. */
function child(
  script: string,
  env: Record<string, string> = {},
): Promise<{ url: string; process: ChildProcess }> {
  const started = spawn(process.execPath, ['--import', 'tsx', join(here, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  children.push(started);
  return new Promise((resolve, reject) => {
    started.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    createInterface({ input: started.stdout as NonNullable<typeof started.stdout> }).once(
      'line',
      (url) => resolve({ url, process: started }),
    );
  });
}

/** CPU time (user + system, µs) a child has used so far. */
function cpuOf(target: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    target.once('message', (usage: { user: number; system: number }) =>
      resolve(usage.user + usage.system),
    );
    target.send('cpu');
  });
}

const call = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'echo', arguments: { text: 'hello' } },
});
const jsonHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

async function initialize(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: jsonHeaders,
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
    headers: { ...jsonHeaders, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  }).then((reply) => reply.text());
  return sessionId;
}

/** The core alone, in process: `gateway.fetch` over an upstream `fetch` that answers at once. */
async function measureCore(): Promise<{ cpuMicros: number; wallMicros: number }> {
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
    servers: { core: { instances: ['http://127.0.0.1:9/mcp'], tenancy: 'shared' } },
    healthChecks: false,
    fetch: instant,
  });
  const send = () =>
    gateway
      .fetch(
        new Request('http://localhost/mcp/core', {
          method: 'POST',
          headers: jsonHeaders,
          body: call,
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
    cpuMicros: (used.user + used.system) / total,
    wallMicros: ((performance.now() - started) * 1000) / total,
  };
}

interface Row {
  connections: number;
  direct: LoadResult & { cpuMicros: number };
  gateway: LoadResult & { cpuMicros: number; gatewayOnlyCpuMicros: number };
}

/** Runs the comparison (and the stages' microbenchmark) and records them. */
export async function benchGatewayOverhead(): Promise<void> {
  const startedOn = machine();
  try {
    const upstream = await child('upstream-process.ts');
    const gateway = await child('gateway-process.ts', { UPSTREAM_URL: upstream.url });
    const sessionId = await initialize(upstream.url);
    const direct = {
      url: upstream.url,
      method: 'POST' as const,
      body: call,
      headers: {
        ...jsonHeaders,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-06-18',
      },
    };
    const through = { url: gateway.url, method: 'POST' as const, body: call, headers: jsonHeaders };
    await measureLoad(direct, 10, 2);
    await measureLoad(through, 10, 2);
    const rows: Row[] = [];
    for (const connections of levels) {
      let upstreamCpu = await cpuOf(upstream.process);
      const straight = await measureLoad(direct, connections, seconds);
      const straightCpu =
        ((await cpuOf(upstream.process)) - upstreamCpu) / Math.max(1, straight.total);
      upstreamCpu = await cpuOf(upstream.process);
      const gatewayCpu = await cpuOf(gateway.process);
      const relayed = await measureLoad(through, connections, seconds);
      const gatewayOnly =
        ((await cpuOf(gateway.process)) - gatewayCpu) / Math.max(1, relayed.total);
      const upstreamShare =
        ((await cpuOf(upstream.process)) - upstreamCpu) / Math.max(1, relayed.total);
      rows.push({
        connections,
        direct: { ...straight, cpuMicros: straightCpu },
        gateway: {
          ...relayed,
          cpuMicros: gatewayOnly + upstreamShare,
          gatewayOnlyCpuMicros: gatewayOnly,
        },
      });
      console.log(
        `${connections} conns: direct ${straight.requestsPerSecond} req/s p50 ${ms(straight.p50)} ms; gateway ${relayed.requestsPerSecond} req/s p50 ${ms(relayed.p50)} ms (${((100 * relayed.requestsPerSecond) / straight.requestsPerSecond).toFixed(0)} %)`,
      );
    }
    const core = await measureCore();
    const stages = startProcess(process.execPath, ['--import', 'tsx', 'bench/stages.ts'], {
      cwd: join(root, 'packages', 'mcp-gateway'),
    });
    await new Promise<void>((resolve) => stages.child.once('exit', () => resolve()));
    const stagesTable = stages.output().trim();
    const markdown = [
      `Latest run: ${describeMachine(startedOn)}; ${seconds} s per row after a 2 s warm-up, closed loop on keep-alive connections opened beforehand (undici). Upstream, gateway and load generator share the two cores; "server CPU" is the measured processes' CPU per request, steadier than wall-clock figures on a shared machine.`,
      '',
      table(
        ['conns', 'path', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', 'errors', 'server CPU µs/req'],
        rows.flatMap((row) => [
          [
            row.connections,
            'direct',
            ms(row.direct.p50),
            ms(row.direct.p95),
            ms(row.direct.p99),
            row.direct.requestsPerSecond,
            row.direct.errors,
            row.direct.cpuMicros.toFixed(0),
          ],
          [
            row.connections,
            'gateway',
            ms(row.gateway.p50),
            ms(row.gateway.p95),
            ms(row.gateway.p99),
            row.gateway.requestsPerSecond,
            row.gateway.errors,
            `${row.gateway.cpuMicros.toFixed(0)} (gateway alone ${row.gateway.gatewayOnlyCpuMicros.toFixed(0)})`,
          ],
          [
            '',
            '**added / ratio**',
            `**${signedMs(row.gateway.p50 - row.direct.p50)}**`,
            `**${signedMs(row.gateway.p95 - row.direct.p95)}**`,
            `**${signedMs(row.gateway.p99 - row.direct.p99)}**`,
            `**${((100 * row.gateway.requestsPerSecond) / row.direct.requestsPerSecond).toFixed(0)} %**`,
            '',
            '',
          ],
        ]),
      ),
      '',
      `Gateway core alone (in process, instant upstream): **${core.cpuMicros.toFixed(0)} µs CPU, ${core.wallMicros.toFixed(0)} µs wall per request**.`,
      '',
      'Policy stages, each awaited alone with a no-op `next` (`packages/mcp-gateway/bench/stages.ts`):',
      '',
      '```',
      stagesTable,
      '```',
    ].join('\n');
    await record('gateway-overhead', { machine: startedOn, seconds, rows, core }, markdown);
    console.log(`\n${markdown}\n`);
  } finally {
    for (const started of children) started.kill('SIGTERM');
  }
}
