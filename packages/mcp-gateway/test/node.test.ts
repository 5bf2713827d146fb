import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway, GatewayError, silentLogger } from '../src/index.js';
import { loadConfig, runCli, serve } from '../src/node/index.js';
import { generateApiKey } from '../src/policies/index.js';
import { type FixtureServer, startFixtureServer } from './fixtures/fixture-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function fixture(name = 'n'): Promise<FixtureServer> {
  const upstream = await startFixtureServer({ name });
  cleanups.push(() => upstream.stop());
  return upstream;
}

describe('serve', () => {
  it('serves the SDK client end to end over real HTTP, progress included', async () => {
    const upstream = await fixture();
    const server = await serve(
      createGateway({
        servers: { billy: { instances: [upstream.url], tenancy: 'shared' } },
        healthChecks: false,
      }),
      { port: 0 },
    );
    cleanups.push(() => server.close());
    const client = new Client({ name: 'sdk-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp/billy`)));
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name)).toContain('echo');
    const progress: number[] = [];
    const result = await client.callTool(
      { name: 'test_tool_with_progress', arguments: {} },
      undefined,
      {
        onprogress: (update) => progress.push(update.progress),
      },
    );
    expect(progress).toEqual([0, 50, 100]);
    expect(result.isError).toBeFalsy();
    const echoed = await client.callTool({ name: 'echo', arguments: { text: 'via sdk' } });
    expect(echoed.content).toEqual([{ type: 'text', text: 'n:via sdk' }]);
    await client.close();
  });

  it('shuts down gracefully: in-flight calls finish, then the port closes', async () => {
    const upstream = await fixture();
    const server = await serve(
      createGateway({
        servers: { billy: { instances: [upstream.url], tenancy: 'shared' } },
        healthChecks: false,
      }),
      { port: 0 },
    );
    const slow = fetch(`${server.url}/mcp/billy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'slow', arguments: { ms: 300 } },
      }),
    });
    await upstream.waitForCall('slow');
    await server.close();
    const response = await slow;
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain('slept 300');
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});

describe('config files and the CLI', () => {
  it('loads YAML and names the bad key of a broken file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gateway-config-'));
    const good = join(folder, 'gateway.yaml');
    await writeFile(good, 'servers:\n  billy:\n    instances: ["http://127.0.0.1:4101/mcp"]\n');
    expect((await loadConfig(good, {})).servers.billy?.instances).toHaveLength(1);
    const bad = join(folder, 'bad.json');
    await writeFile(bad, JSON.stringify({ servers: { billy: { instances: ['nope'] } } }));
    await expect(loadConfig(bad, {})).rejects.toThrow(
      'servers.billy.instances[0]: must be an http(s) URL',
    );
    await expect(loadConfig(join(folder, 'missing.json'), {})).rejects.toBeInstanceOf(GatewayError);
  });

  it('starts from a config file on loopback when there is no auth section', async () => {
    const upstream = await fixture();
    const folder = await mkdtemp(join(tmpdir(), 'gateway-cli-'));
    const file = join(folder, 'gateway.json');
    await writeFile(
      file,
      JSON.stringify({ servers: { billy: { instances: [upstream.url], tenancy: 'shared' } } }),
    );
    const server = await runCli(['--config', file, '--port', '0', '--host', '0.0.0.0'], {
      env: {},
      logger: silentLogger,
    });
    cleanups.push(() => server.close());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/mcp/billy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'cli' } },
      }),
    });
    expect(response.status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain(
      'mcp_gateway_requests_total{server="billy",method="tools/call",tool="echo",code="ok"} 1',
    );
    expect(metrics).toContain('process_cpu_user_seconds_total');
    // The policy stages report into the same registry.
    expect(metrics).toContain(
      'mcp_gateway_tool_call_duration_seconds_count{server="billy",tool="echo",outcome="success"} 1',
    );
    expect(metrics).toContain('mcp_gateway_cache_lookups_total{server="billy",result="miss"} 1');
  });

  it('reads auth keys from environment references in the config file', async () => {
    const upstream = await fixture();
    const { key, record } = await generateApiKey({ ownerId: 'ops', role: 'ops' });
    const folder = await mkdtemp(join(tmpdir(), 'gateway-cli-'));
    const file = join(folder, 'gateway.yaml');
    await writeFile(
      file,
      [
        'servers:',
        `  billy: { instances: ["${upstream.url}"], tenancy: shared }`,
        'auth:',
        '  keys:',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's own ${VAR} syntax
        '    - { id: "${KEY_ID}", hash: "${KEY_HASH}", ownerId: ops, role: ops }',
        'rbac:',
        '  roles: { ops: { allow: ["*"] } }',
        'audit: { enabled: false }',
      ].join('\n'),
    );
    const server = await runCli(['--config', file, '--port', '0'], {
      env: { KEY_ID: record.id, KEY_HASH: record.hash },
      logger: silentLogger,
    });
    cleanups.push(() => server.close());
    const call = (authorization?: string) =>
      fetch(`${server.url}/mcp/billy`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    expect((await call()).status).toBe(401);
    expect((await call(`Bearer ${key}`)).status).toBe(200);
  });

  it('refuses bad arguments with a usage message', async () => {
    await expect(runCli([], { env: {}, logger: silentLogger })).rejects.toThrow(
      /Usage: mcp-gateway/,
    );
    await expect(
      runCli(['--config', 'x.json', '--port', 'abc'], { env: {}, logger: silentLogger }),
    ).rejects.toThrow('--port');
  });
});
