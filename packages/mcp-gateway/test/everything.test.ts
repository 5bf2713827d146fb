/**
 * An official example server from the registry behind the gateway, unchanged:
 * `@modelcontextprotocol/server-everything` over Streamable HTTP. It registers its elicitation
 * and sampling tools only for sessions whose client declared those capabilities — the gateway
 * lists and calls them on the upstream session for exactly the client's capabilities, and
 * relays their questions to the official SDK client.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/index.js';

const require = createRequire(import.meta.url);
const entry = join(
  dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist/index.js',
);

let child: ChildProcess;
let gateway: Gateway;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  child = spawn(process.execPath, [entry, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server-everything exited (${code})`)));
    child.stderr?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening on port')) resolve();
    });
  });
  gateway = createGateway({
    servers: { everything: { instances: [`http://127.0.0.1:${port}/mcp`], tenancy: 'shared' } },
    healthChecks: false,
  });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  child?.kill();
});

async function connect(capabilities: Record<string, unknown>) {
  const client = new Client({ name: 'everything-test', version: '1.0.0' }, { capabilities });
  if ('elicitation' in capabilities) {
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: 'accept',
      content: { name: 'Mette Admin' },
    }));
  }
  if ('sampling' in capabilities) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
      role: 'assistant',
      content: { type: 'text', text: `sampled: ${JSON.stringify(request.params.messages).length}` },
      model: 'gateway-test-model',
      stopReason: 'endTurn',
    }));
  }
  await client.connect(
    new StreamableHTTPClientTransport(new URL('http://gateway/mcp/everything'), {
      fetch: (url, init) => gateway.fetch(new Request(url, init)),
    }),
  );
  return client;
}

function textOf(result: unknown): string {
  return ((result as { content: { type: string; text?: string }[] }).content ?? [])
    .map((item) => item.text ?? '')
    .join('\n');
}

it('lists and calls its tools through the gateway', async () => {
  const client = await connect({});
  const { tools } = await client.listTools();
  const names = tools.map((tool) => tool.name);
  expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum']));
  // A client that can be asked nothing is not offered the tools that ask.
  expect(names).not.toContain('trigger-elicitation-request');
  expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'hej' } }))).toContain(
    'hej',
  );
  await client.close();
});

it('offers a client that can be asked its elicitation and sampling tools, and relays their questions', async () => {
  const client = await connect({ elicitation: { form: {} }, sampling: {} });
  const names = (await client.listTools()).tools.map((tool) => tool.name);
  expect(names).toEqual(
    expect.arrayContaining(['trigger-elicitation-request', 'trigger-sampling-request']),
  );
  const elicited = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
  expect(textOf(elicited)).toContain('Mette Admin');
  const sampled = await client.callTool({
    name: 'trigger-sampling-request',
    arguments: { prompt: 'Say hello', maxTokens: 50 },
  });
  expect(textOf(sampled)).toContain('sampled:');
  await client.close();
});
