import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../start-server.js';
import { connectTestClient } from '../test-client.js';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '0' },
  },
};
const headers = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

let servers: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function start(stateless = false, maxSessions?: number): Promise<RunningServer> {
  const server = await startServer('knowledge', {
    port: 0,
    stateless,
    ...(maxSessions ? { maxSessions } : {}),
  });
  servers.push(server);
  return server;
}

describe('Streamable HTTP serving', () => {
  it('answers /health with JSON', async () => {
    const server = await start();
    const response = await fetch(server.url.replace('/mcp', '/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      server: 'knowledge',
      mode: 'session',
      sessions: 0,
    });
  });

  it('creates a session per client, 404s unknown sessions and forgets a session on DELETE', async () => {
    const server = await start();
    const first = await connectTestClient(server.url);
    const second = await connectTestClient(server.url);
    const health = async () =>
      (await (await fetch(server.url.replace('/mcp', '/health'))).json()) as { sessions: number };
    expect((await health()).sessions).toBe(2);

    const unknown = await fetch(server.url, {
      method: 'POST',
      headers: {
        ...headers,
        'mcp-session-id': 'not-a-session',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(unknown.status).toBe(404);
    const noSession = await fetch(server.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(noSession.status).toBe(400);

    const sessionId = (first.client.transport as { sessionId?: string } | undefined)?.sessionId;
    expect(sessionId).toBeTruthy();
    await first.close();
    expect((await health()).sessions).toBe(1);
    const gone = await fetch(server.url, {
      method: 'POST',
      headers: {
        ...headers,
        'mcp-session-id': sessionId ?? '',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
    });
    expect(gone.status).toBe(404);
    expect((await second.client.listTools()).tools.length).toBe(3);
    await second.close();
  });

  it('closes the least recently used session past the cap', async () => {
    const server = await start(false, 2);
    const first = await connectTestClient(server.url);
    const second = await connectTestClient(server.url);
    await first.client.listTools();
    const third = await connectTestClient(server.url);
    const health = (await (await fetch(server.url.replace('/mcp', '/health'))).json()) as {
      sessions: number;
    };
    expect(health.sessions).toBe(2);
    expect((await first.client.listTools()).tools).toHaveLength(3);
    expect((await third.client.listTools()).tools).toHaveLength(3);
    await expect(second.client.listTools()).rejects.toThrow();
    await Promise.all([first.close(), second.close(), third.close()]);
  });

  it('rejects foreign Origins, bad JSON and unknown paths', async () => {
    const server = await start();
    const foreign = await fetch(server.url, {
      method: 'POST',
      headers: { ...headers, origin: 'https://evil.example' },
      body: JSON.stringify(initialize),
    });
    expect(foreign.status).toBe(403);
    const local = await fetch(server.url, {
      method: 'POST',
      headers: { ...headers, origin: 'http://localhost:3000' },
      body: JSON.stringify(initialize),
    });
    expect(local.status).toBe(200);
    await local.body?.cancel();
    const broken = await fetch(server.url, { method: 'POST', headers, body: '{not json' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: number } }).error.code).toBe(-32700);
    const missing = await fetch(server.url.replace('/mcp', '/nope'));
    expect(missing.status).toBe(404);
    const huge = await fetch(server.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...initialize, padding: 'x'.repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
  });

  it('serves stateless mode without session ids, for many and concurrent clients', async () => {
    const server = await start(true);
    const raw = await fetch(server.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(initialize),
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('mcp-session-id')).toBeNull();
    await raw.body?.cancel();
    const stream = await fetch(server.url, { headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(405);
    expect(stream.headers.get('allow')).toBe('POST');
    const clients = await Promise.all(
      Array.from({ length: 5 }, () => connectTestClient(server.url)),
    );
    const results = await Promise.all(
      clients.flatMap((client) => [
        client.call('search_docs', { query: 'invoice approve' }),
        client.call('search_docs', { query: 'gateway cache' }),
      ]),
    );
    for (const [index, result] of results.entries()) {
      expect(result.isError).toBeFalsy();
      const first = (result.structuredContent as { results: { path: string }[] }).results[0]?.path;
      expect(first).toBe(index % 2 === 0 ? 'billy/invoicing.md' : 'platform/gateway.md');
    }
    await Promise.all(clients.map((client) => client.close()));
    const health = (await (await fetch(server.url.replace('/mcp', '/health'))).json()) as {
      mode: string;
      sessions: number;
    };
    expect(health).toMatchObject({ mode: 'stateless', sessions: 0 });
  });
});
