/**
 * Fuzzing the gateway with hostile requests (fast-check): through the core (`gateway.fetch`)
 * and through the Node adapter over real HTTP, with the real policy stages in front of two
 * upstream instances. Every answer must be a typed JSON-RPC error or a valid result, the
 * process must stay up, and no instance may be ejected — bad input is the caller's, never an
 * instance's. Prints the answers it saw by status and code.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/index.js';
import {
  createFileAuditSpool,
  createStagesFromConfig,
  type GatewayServer,
  serve,
} from '../src/node/index.js';
import { generateApiKey, type PolicyStages } from '../src/policies/index.js';
import { startChild } from './fixtures/child.js';
import { type FixtureServer, startFixtureServer } from './fixtures/fixture-server.js';
import { checkAnswer, createTally, hostileRequest } from './hostile.js';

const RUNS = 1000;
const TENANT = '00000000-0000-4000-8000-000000000001';

let upstreams: FixtureServer[] = [];
let gateway: Gateway;
let policies: PolicyStages;
let served: GatewayServer;
let key = '';

beforeAll(async () => {
  upstreams = await Promise.all([
    startFixtureServer({ name: 'a' }),
    startFixtureServer({ name: 'b' }),
  ]);
  const { key: generated, record } = await generateApiKey({
    ownerId: 'fuzzer',
    role: 'admin',
    tenantId: TENANT,
  });
  key = generated;
  const dataDir = await mkdtemp(join(tmpdir(), 'gateway-fuzz-'));
  const config = {
    servers: {
      billy: { instances: upstreams.map((upstream) => upstream.url) },
      knowledge: {
        instances: upstreams.map((upstream) => upstream.url),
        tenancy: 'shared' as const,
      },
    },
    operators: { tenants: [TENANT] },
  };
  policies = await createStagesFromConfig(
    {
      ...config,
      auth: { keys: [record] },
      rateLimit: { default: { points: 100_000, durationSeconds: 60 } },
      audit: { dataDir },
    },
    { auditSpool: createFileAuditSpool({ dir: join(dataDir, 'spool') }) },
  );
  gateway = createGateway({
    ...config,
    healthChecks: false,
    timeouts: { toolCallMs: 2000, requestMs: 2000 },
    authenticate: policies.authenticate,
    stages: policies.stages,
  });
  served = await serve(gateway, { port: 0, requestTimeoutMs: 5000, headersTimeoutMs: 2000 });
  // The embedded audit database is created on first use, on this thread; open it before the
  // run so its start-up does not stall the upstream answers the run is timing.
  await policies.auditStore?.stats();
}, 60_000);

afterAll(async () => {
  await served?.close();
  await policies?.close();
  await Promise.all(upstreams.map((upstream) => upstream.stop()));
});

const authorization = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | undefined>('valid') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<string | undefined>(
      undefined,
      'Bearer tk_live_0000000000000000_notarealkeynotarealkey',
      'Basic Zm9vOmJhcg==',
      `Bearer ${'x'.repeat(5000)}`,
    ),
  },
);

function noInstanceEjected(): void {
  for (const server of gateway.status()) {
    for (const instance of server.instances) {
      expect(instance.state, `${server.name} ${instance.url}`).not.toBe('ejected');
    }
  }
}

describe('fuzzing the gateway', () => {
  it(`answers ${RUNS} hostile requests through the core with typed errors or results`, async () => {
    const tally = createTally();
    await fc.assert(
      fc.asyncProperty(
        hostileRequest(['billy', 'knowledge']),
        authorization,
        async (hostile, auth) => {
          const headers = new Headers(hostile.headers);
          if (auth === 'valid') headers.set('authorization', `Bearer ${key}`);
          else if (auth !== undefined) headers.set('authorization', auth);
          const response = await gateway.fetch(
            new Request(`http://localhost${hostile.path}`, {
              method: hostile.method,
              headers,
              ...(hostile.body === undefined || hostile.method === 'GET'
                ? {}
                : { body: hostile.body }),
            }),
            { remoteAddress: '203.0.113.9' },
          );
          const text = await response.text();
          tally.add(
            response.status,
            checkAnswer(response.status, text, response.headers.get('content-type') ?? ''),
          );
        },
      ),
      { numRuns: RUNS },
    );
    tally.print('gateway core');
    expect(tally.total()).toBe(RUNS);
    noInstanceEjected();
  }, 300_000);

  it(`answers ${RUNS} hostile requests over HTTP through the Node adapter`, async () => {
    const tally = createTally();
    await fc.assert(
      fc.asyncProperty(
        hostileRequest(['billy', 'knowledge']),
        authorization,
        async (hostile, auth) => {
          const headers: Record<string, string> = { ...hostile.headers };
          if (auth === 'valid') headers.authorization = `Bearer ${key}`;
          else if (auth !== undefined) headers.authorization = auth;
          let response: Response;
          try {
            response = await fetch(`${served.url}${hostile.path}`, {
              method: hostile.method,
              headers,
              ...(hostile.body === undefined || hostile.method === 'GET'
                ? {}
                : { body: hostile.body }),
            });
          } catch (error) {
            // The adapter may close a connection after answering an oversized upload.
            if (hostile.body !== undefined && hostile.body.length > 1_000_000) {
              tally.add(0, 'closed');
              return;
            }
            throw error;
          }
          const text = await response.text();
          tally.add(
            response.status,
            checkAnswer(response.status, text, response.headers.get('content-type') ?? ''),
          );
        },
      ),
      { numRuns: RUNS },
    );
    tally.print('node adapter');
    expect(tally.total()).toBe(RUNS);
    noInstanceEjected();
    // Still serving.
    const health = await fetch(`${served.url}/health`);
    expect(health.status).toBe(200);
  }, 300_000);
});

describe('the standalone process', () => {
  it('keeps serving after poisoned requests: nothing a request does ends it', async () => {
    const { writeFile } = await import('node:fs/promises');
    const folder = await mkdtemp(join(tmpdir(), 'gateway-poison-'));
    const file = join(folder, 'gateway.json');
    await writeFile(
      file,
      JSON.stringify({
        servers: {
          billy: { instances: upstreams.map((upstream) => upstream.url), tenancy: 'shared' },
        },
        audit: { dataDir: folder },
      }),
    );
    const child = startChild(
      new URL('../src/node/bin.ts', import.meta.url),
      ['--config', file, '--port', '0'],
      { LOG_LEVEL: 'info', DATABASE_URL: undefined, REDIS_URL: undefined },
    );
    try {
      const [, url] = await child.waitFor(/"url":"(http:\/\/[^"]+)"/);
      const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const poisons = [
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":${deep(10_000)}}}`,
        `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"},"_meta":${deep(10_000)}}}`,
        `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":${deep(50_000)}}`,
        `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
        '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"__proto__","arguments":{"__proto__":{"x":1}}}}',
      ];
      for (const body of poisons) {
        const response = await fetch(`${url}/mcp/billy`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body,
        });
        expect(response.status).toBeLessThan(500);
        await response.text();
      }
      expect(child.process.exitCode).toBeNull();
      const after = await fetch(`${url}/mcp/billy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"echo","arguments":{"text":"still here"}}}',
      });
      expect(JSON.stringify(await after.json())).toContain('still here');
    } finally {
      await child.kill('SIGTERM');
    }
  }, 60_000);
});
