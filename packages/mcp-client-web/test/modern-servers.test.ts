import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayClient } from '../src/index';
import { startModernServer } from './modern-fixture';

let stop: (() => Promise<void>) | undefined;
let client: GatewayClient | undefined;

afterEach(async () => {
  await client?.close();
  await stop?.();
  client = undefined;
  stop = undefined;
});

describe('2026-07-28 (stateless) servers', () => {
  it('negotiates the modern era with server/discover and never initializes', async () => {
    const server = await startModernServer();
    stop = server.close;
    client = createGatewayClient({ gateway: server.gateway, servers: ['db'] });
    const { tools, failures } = await client.listTools();
    expect(failures).toEqual([]);
    expect(tools.map((tool) => tool.name)).toEqual([
      'db__run_query',
      'db__stream_tool',
      'db__needs_input',
    ]);
    expect(client.server('db').status()).toMatchObject({
      era: 'modern',
      protocolVersion: '2026-07-28',
      serverInfo: { name: 'modern-fixture' },
    });
    expect(server.requests.map((request) => request.body.method)).toEqual([
      'server/discover',
      'tools/list',
    ]);
    for (const request of server.requests) {
      expect(request.headers.get('mcp-session-id')).toBeNull();
      expect(request.headers.get('mcp-protocol-version')).toBe('2026-07-28');
    }
  });

  it('mirrors x-mcp-header parameters and encodes non-ASCII names and values', async () => {
    const server = await startModernServer();
    stop = server.close;
    client = createGatewayClient({ gateway: server.gateway, servers: ['db'] });
    await client.listTools();
    const result = await client.callTool('db__run_query', {
      region: 'Hello, 世界',
      query: 'select 1',
    });
    expect(result.content).toEqual([{ type: 'text', text: 'select 1 in Hello, 世界' }]);
    const call = server.requests.at(-1)!;
    expect(call.headers.get('mcp-param-region')).toBe('=?base64?SGVsbG8sIOS4lueVjA==?=');
    expect(call.headers.get('mcp-name')).toBe('run_query');
    await client.callTool('db__run_query', { region: 'us-west1', query: 'q' });
    expect(server.requests.at(-1)!.headers.get('mcp-param-region')).toBe('us-west1');
  });

  it('re-lists tools and retries once when the server reports a header mismatch', async () => {
    const server = await startModernServer();
    stop = server.close;
    client = createGatewayClient({ gateway: server.gateway, servers: ['db'] });
    const result = await client.server('db').callTool('run_query', { region: 'eu', query: 'q' });
    expect(result.content).toEqual([{ type: 'text', text: 'q in eu' }]);
    expect(server.requests.map((request) => request.body.method)).toEqual([
      'server/discover',
      'tools/call',
      'tools/list',
      'tools/call',
    ]);
  });

  it('delivers progress on a modern SSE response', async () => {
    const server = await startModernServer();
    stop = server.close;
    client = createGatewayClient({ gateway: server.gateway, servers: ['db'] });
    const progress: number[] = [];
    const result = await client
      .server('db')
      .callTool('stream_tool', {}, { onProgress: (update) => progress.push(update.progress) });
    expect(result.content).toEqual([{ type: 'text', text: 'streamed' }]);
    expect(progress).toEqual([1, 2]);
  });

  it('reports input_required results as protocol errors', async () => {
    const server = await startModernServer();
    stop = server.close;
    client = createGatewayClient({ gateway: server.gateway, servers: ['db'] });
    await expect(client.server('db').callTool('needs_input')).rejects.toMatchObject({
      code: 'protocol',
    });
  });

  it('pings with server/discover, which replaced ping', async () => {
    const server = await startModernServer();
    stop = server.close;
    client = createGatewayClient({ gateway: server.gateway, servers: ['db'] });
    await client.server('db').ping();
    await client.server('db').ping();
    expect(server.requests.map((request) => request.body.method)).toEqual([
      'server/discover',
      'server/discover',
      'server/discover',
    ]);
  });

  it('falls back to the legacy handshake when UnsupportedProtocolVersion lists only legacy versions', async () => {
    const server = await startModernServer(['2025-11-25']);
    stop = server.close;
    client = createGatewayClient({ gateway: server.gateway, servers: ['db'] });
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(3);
    expect(client.server('db').status()).toMatchObject({
      era: 'legacy',
      protocolVersion: '2025-11-25',
    });
    const initialize = server.requests.find((request) => request.body.method === 'initialize');
    expect(initialize?.body.params).toMatchObject({ protocolVersion: '2025-11-25' });
  });

  it('uses a pinned modern version without probing', async () => {
    const server = await startModernServer();
    stop = server.close;
    client = createGatewayClient({
      gateway: server.gateway,
      servers: ['db'],
      protocolVersion: '2026-07-28',
    });
    await client.listTools();
    expect(server.requests.map((request) => request.body.method)).toEqual(['tools/list']);
  });
});
