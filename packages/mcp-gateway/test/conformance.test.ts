/**
 * Runs the official MCP conformance suite (`conformance server`, active scenarios) against
 * the gateway fronting the fixture server. Scenarios that cannot pass through a gateway are
 * listed, with reasons, in conformance/expected-failures.yml; the suite fails on any other
 * failure and on a listed scenario that starts passing.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGateway } from '../src/index.js';
import { type GatewayServer, serve } from '../src/node/index.js';
import { type FixtureServer, startFixtureServer } from './fixtures/fixture-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cli = join(
  dirname(require.resolve('@modelcontextprotocol/conformance/package.json')),
  'dist/index.js',
);

let upstream: FixtureServer;
let server: GatewayServer;

beforeAll(async () => {
  upstream = await startFixtureServer({ name: 'conformance' });
  const gateway = createGateway({
    servers: { conformance: { instances: [upstream.url], tenancy: 'shared' } },
    healthChecks: false,
  });
  server = await serve(gateway, { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server.close();
  await upstream.stop();
});

it('passes the MCP conformance server suite through the gateway (expected failures listed)', async () => {
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        cli,
        'server',
        '--url',
        `${server.url}/mcp/conformance`,
        '--expected-failures',
        join(here, 'conformance/expected-failures.yml'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('close', resolve);
  });
  const text = output.join('');
  const summary = text.slice(text.indexOf('=== SUMMARY ==='));
  expect(summary, summary).toContain('Baseline check passed');
  expect(code, summary).toBe(0);
  const passed = /Total: (\d+) passed/.exec(summary);
  expect(Number(passed?.[1])).toBeGreaterThanOrEqual(24);
}, 120_000);
