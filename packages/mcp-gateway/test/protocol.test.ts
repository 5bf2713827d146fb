import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/index.js';
import { type FixtureServer, startFixtureServer } from './fixtures/fixture-server.js';
import { callTool, errorCode, post, resultText, rpc } from './helpers.js';

let upstream: FixtureServer;
let gateway: Gateway;

const initializeParams = {
  protocolVersion: '2025-06-18',
  capabilities: {},
  clientInfo: { name: 'test', version: '1' },
};

beforeAll(async () => {
  upstream = await startFixtureServer({ name: 'solo' });
  gateway = createGateway({
    servers: { billy: { instances: [upstream.url], tenancy: 'shared' } },
    bodyLimitBytes: 4096,
    allowedOrigins: ['https://app.tekup.dk'],
    healthChecks: false,
  });
});

afterAll(async () => {
  await gateway.close();
  await upstream.stop();
});

async function initialize(): Promise<string> {
  const response = await post(gateway, 'billy', rpc('initialize', initializeParams));
  expect(response.status).toBe(200);
  const sessionId = response.headers.get('mcp-session-id');
  expect(sessionId).toBeTruthy();
  return sessionId as string;
}

describe('lifecycle', () => {
  it('answers initialize with the negotiated version, upstream identity and a session id', async () => {
    const response = await post(gateway, 'billy', rpc('initialize', initializeParams));
    const body = (await response.json()) as { result: Record<string, unknown> };
    expect(body.result.protocolVersion).toBe('2025-06-18');
    expect(body.result.serverInfo).toEqual({ name: 'fixture-solo', version: '1.0.0' });
    expect(body.result.capabilities).toMatchObject({ tools: {}, logging: {} });
    expect(response.headers.get('mcp-session-id')).toMatch(/^[\x21-\x7e]+$/);
  });

  it('falls back to the latest legacy version for an unknown requested version', async () => {
    const response = await post(
      gateway,
      'billy',
      rpc('initialize', { ...initializeParams, protocolVersion: '1999-01-01' }),
    );
    const body = (await response.json()) as { result: { protocolVersion: string } };
    expect(body.result.protocolVersion).toBe('2025-11-25');
  });

  it('serves a session on later requests and accepts notifications with 202', async () => {
    const sessionId = await initialize();
    const notification = await post(
      gateway,
      'billy',
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { sessionId },
    );
    expect(notification.status).toBe(202);
    const list = await post(gateway, 'billy', rpc('tools/list'), { sessionId });
    const body = (await list.json()) as { result: { tools: { name: string }[] } };
    expect(body.result.tools.map((tool) => tool.name)).toContain('echo');
    const ping = await post(gateway, 'billy', rpc('ping'), { sessionId });
    expect(((await ping.json()) as { result: unknown }).result).toEqual({});
  });

  it('answers 404 to an unknown, forged or deleted session so the client re-initializes', async () => {
    const forged = await post(gateway, 'billy', rpc('tools/list'), { sessionId: 'abc.def' });
    expect(forged.status).toBe(404);
    expect(errorCode(await forged.json())).toBe('session_not_found');

    const sessionId = await initialize();
    const [payload, signature] = sessionId.split('.') as [string, string];
    const tampered = `${payload.slice(0, -2)}AA.${signature}`;
    expect((await post(gateway, 'billy', rpc('ping'), { sessionId: tampered })).status).toBe(404);

    const deleted = await gateway.fetch(
      new Request('http://localhost/mcp/billy', {
        method: 'DELETE',
        headers: { 'mcp-session-id': sessionId },
      }),
    );
    expect(deleted.status).toBe(200);
    expect((await post(gateway, 'billy', rpc('ping'), { sessionId })).status).toBe(404);
  });

  it('refuses a session issued for another server', async () => {
    const other = createGateway({
      servers: {
        billy: { instances: [upstream.url], tenancy: 'shared' },
        vault: { instances: [upstream.url], tenancy: 'shared' },
      },
      sessionSecret: 'a-shared-secret-of-enough-length',
      healthChecks: false,
    });
    const response = await post(other, 'billy', rpc('initialize', initializeParams));
    const sessionId = response.headers.get('mcp-session-id') as string;
    expect((await post(other, 'vault', rpc('ping'), { sessionId })).status).toBe(404);
    // Another gateway instance with the same secret accepts it: no shared session store.
    const sibling = createGateway({
      servers: { billy: { instances: [upstream.url], tenancy: 'shared' } },
      sessionSecret: 'a-shared-secret-of-enough-length',
      healthChecks: false,
    });
    expect((await post(sibling, 'billy', rpc('ping'), { sessionId })).status).toBe(200);
    await other.close();
    await sibling.close();
  });
});

describe('relaying', () => {
  it('calls tools, reads resources and gets prompts upstream', async () => {
    const call = await callTool(gateway, 'billy', 'echo', { text: 'hej' });
    expect(call.status).toBe(200);
    expect(resultText(call.body)).toBe('solo:hej');

    const read = await post(gateway, 'billy', rpc('resources/read', { uri: 'test://static-text' }));
    expect(
      ((await read.json()) as { result: { contents: { text: string }[] } }).result.contents[0]
        ?.text,
    ).toContain('static text');
    const prompt = await post(
      gateway,
      'billy',
      rpc('prompts/get', {
        name: 'test_prompt_with_arguments',
        arguments: { arg1: 'a', arg2: 'b' },
      }),
    );
    expect(JSON.stringify(await prompt.json())).toContain("arg1='a'");
    const templates = await post(gateway, 'billy', rpc('resources/templates/list'));
    expect(JSON.stringify(await templates.json())).toContain('test://template/{id}/data');
    const completion = await post(
      gateway,
      'billy',
      rpc('completion/complete', {
        ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' },
        argument: { name: 'arg1', value: 'x' },
      }),
    );
    expect(
      ((await completion.json()) as { result: { completion: unknown } }).result.completion,
    ).toBeDefined();
  });

  it('relays an upstream JSON-RPC error (unknown prompt) with its code and HTTP 200', async () => {
    const response = await post(gateway, 'billy', rpc('prompts/get', { name: 'no_such_prompt' }));
    expect(response.status).toBe(200);
    const error = ((await response.json()) as { error: { code: number; data: { code: string } } })
      .error;
    expect(error.code).toBe(-32602);
    expect(error.data.code).toBe('upstream_rpc_error');
  });

  it('relays a tool result flagged isError untouched', async () => {
    const call = await callTool(gateway, 'billy', 'test_error_handling');
    expect(call.status).toBe(200);
    expect((call.body.result as { isError: boolean }).isError).toBe(true);
  });

  it('forwards the caller identity and strips a spoofed one', async () => {
    const trusted = createGateway({
      servers: { billy: { instances: [upstream.url], tenancy: 'shared' } },
      authenticate: async () => ({ id: 'u-1', kind: 'user', role: 'member', tenantId: 't-9' }),
      healthChecks: false,
    });
    const response = await post(
      trusted,
      'billy',
      rpc('tools/call', {
        name: 'whoami',
        arguments: {},
        _meta: { 'dk.tekup/caller': { userId: 'admin', role: 'admin' } },
      }),
      { headers: { accept: 'application/json', authorization: 'Bearer secret-token' } },
    );
    const body = (await response.json()) as Record<string, unknown>;
    expect(JSON.parse(resultText(body) as string)).toEqual({
      userId: 'u-1',
      role: 'member',
      tenantId: 't-9',
    });
    await trusted.close();
  });

  it('cancels an in-flight call on notifications/cancelled and tells the upstream', async () => {
    const sessionId = await initialize();
    const body = rpc('tools/call', { name: 'slow', arguments: { ms: 10_000 } });
    const started = performance.now();
    const call = post(gateway, 'billy', body, {
      sessionId,
      headers: { accept: 'application/json' },
    });
    await upstream.waitForCall('slow');
    const cancelled = await post(
      gateway,
      'billy',
      {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: body.id, reason: 'user' },
      },
      { sessionId },
    );
    expect(cancelled.status).toBe(202);
    const response = await call;
    expect(response.status).toBe(499);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('answers logging/setLevel locally', async () => {
    const response = await post(gateway, 'billy', rpc('logging/setLevel', { level: 'debug' }));
    expect(((await response.json()) as { result: unknown }).result).toEqual({});
  });
});

describe('streaming', () => {
  it('streams progress notifications then the result over SSE when the client accepts it', async () => {
    const response = await post(
      gateway,
      'billy',
      rpc('tools/call', {
        name: 'test_tool_with_progress',
        arguments: {},
        _meta: { progressToken: 'token-7' },
      }),
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const events = (await response.text())
      .split('\n\n')
      .filter((chunk) => chunk.startsWith('event: message'))
      .map(
        (chunk) => JSON.parse(chunk.slice(chunk.indexOf('data: ') + 6)) as Record<string, unknown>,
      );
    const progress = events.filter((event) => event.method === 'notifications/progress');
    expect(progress.map((event) => (event.params as { progress: number }).progress)).toEqual([
      0, 50, 100,
    ]);
    expect((progress[0] as { params: { progressToken: string } }).params.progressToken).toBe(
      'token-7',
    );
    expect(resultText(events.at(-1) as Record<string, unknown>)).toBe('token-7');
  });

  it('passes logging notifications through on the call stream', async () => {
    const response = await post(
      gateway,
      'billy',
      rpc('tools/call', { name: 'test_tool_with_logging', arguments: {} }),
    );
    const text = await response.text();
    expect(text.match(/notifications\/message/g)).toHaveLength(3);
    expect(text).toContain('Tool with logging executed successfully');
  });

  it('answers plain JSON when the client does not accept SSE', async () => {
    const call = await callTool(
      gateway,
      'billy',
      'test_tool_with_progress',
      {},
      {
        headers: { accept: 'application/json' },
      },
    );
    expect(resultText(call.body)).toBe('0');
  });
});

describe('typed errors', () => {
  it('malformed JSON → 400 -32700', async () => {
    const response = await post(gateway, 'billy', '{"jsonrpc": "2.0", "id": 1,');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number } };
    expect(body.error.code).toBe(-32700);
    expect(errorCode(body)).toBe('parse_error');
  });

  it.each([
    ['missing jsonrpc', { id: 1, method: 'ping' }],
    ['numeric method', { jsonrpc: '2.0', id: 1, method: 7 }],
    ['array params', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: [1] }],
    ['object id', { jsonrpc: '2.0', id: { a: 1 }, method: 'ping' }],
    ['a string body', 'hello'],
  ])('wrong shape (%s) → 400 -32600', async (_label, body) => {
    const response = await post(gateway, 'billy', JSON.stringify(body));
    expect(response.status).toBe(400);
    const parsed = (await response.json()) as { error: { code: number } };
    expect(parsed.error.code).toBe(-32600);
    expect(errorCode(parsed)).toBe('invalid_request');
  });

  it('a batch → 400 invalid_request with reason batch_not_supported', async () => {
    const response = await post(gateway, 'billy', [rpc('ping'), rpc('ping')]);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { data: { reason: string } } };
    expect(body.error.data.reason).toBe('batch_not_supported');
  });

  it('an unknown method → -32601', async () => {
    const response = await post(gateway, 'billy', rpc('tools/explode'));
    const body = (await response.json()) as { error: { code: number } };
    expect(body.error.code).toBe(-32601);
  });

  it('an unknown server → 404 unknown_server', async () => {
    const response = await post(gateway, 'nope', rpc('ping'));
    expect(response.status).toBe(404);
    expect(errorCode(await response.json())).toBe('unknown_server');
  });

  it('an oversize body → 413, also when streamed without Content-Length', async () => {
    const big = JSON.stringify(
      rpc('tools/call', { name: 'echo', arguments: { text: 'x'.repeat(5000) } }),
    );
    const declared = await post(gateway, 'billy', big);
    expect(declared.status).toBe(413);
    expect(errorCode(await declared.json())).toBe('payload_too_large');

    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        if (pulls > 1000) controller.close();
        else controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
      },
    });
    const streamed = await gateway.fetch(
      new Request('http://localhost/mcp/billy', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    // The gateway stopped reading soon after the limit, not at the end of the stream.
    expect(pulls).toBeLessThan(20);
  });

  it('a bad Origin → 403; localhost and listed origins get CORS headers, never *', async () => {
    const evil = await post(gateway, 'billy', rpc('ping'), {
      headers: { origin: 'http://evil.example.com' },
    });
    expect(evil.status).toBe(403);
    expect(errorCode(await evil.json())).toBe('origin_forbidden');

    for (const origin of ['http://localhost:3000', 'https://app.tekup.dk']) {
      const response = await post(gateway, 'billy', rpc('ping'), { headers: { origin } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-expose-headers')).toContain('Mcp-Session-Id');
    }
    const preflight = await gateway.fetch(
      new Request('http://localhost/mcp/billy', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.tekup.dk',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, mcp-param-region',
        },
      }),
    );
    expect(preflight.status).toBe(204);
    const allowed = preflight.headers.get('access-control-allow-headers') ?? '';
    for (const header of [
      'Mcp-Session-Id',
      'Mcp-Protocol-Version',
      'Mcp-Method',
      'Mcp-Name',
      'Authorization',
      'Last-Event-ID',
      'mcp-param-region',
    ]) {
      expect(allowed).toContain(header);
    }
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.tekup.dk');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('grants credentials to listed origins only: `*` lets others call without them, localhost can be turned off', async () => {
    const open = createGateway({
      servers: { billy: { instances: [upstream.url], tenancy: 'shared' } },
      allowedOrigins: ['*', 'https://app.tekup.dk'],
      allowLocalhostOrigins: false,
      healthChecks: false,
    });
    try {
      const listed = await post(open, 'billy', rpc('ping'), {
        headers: { origin: 'https://app.tekup.dk' },
      });
      expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
      const any = await post(open, 'billy', rpc('ping'), {
        headers: { origin: 'https://elsewhere.example' },
      });
      expect(any.status).toBe(200);
      expect(any.headers.get('access-control-allow-origin')).toBe('https://elsewhere.example');
      expect(any.headers.get('access-control-allow-credentials')).toBeNull();
      // localhost is just another origin here: no credentials either.
      const local = await post(open, 'billy', rpc('ping'), {
        headers: { origin: 'http://localhost:3000' },
      });
      expect(local.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await open.close();
    }
    const strict = createGateway({
      servers: { billy: { instances: [upstream.url], tenancy: 'shared' } },
      allowLocalhostOrigins: false,
      healthChecks: false,
    });
    try {
      const local = await post(strict, 'billy', rpc('ping'), {
        headers: { origin: 'http://localhost:3000' },
      });
      expect(local.status).toBe(403);
    } finally {
      await strict.close();
    }
  });

  it('echoes a sane x-request-id and replaces anything else with a uuid', async () => {
    const id = '3f0e8f5c-1111-4a2b-9c3d-0123456789ab';
    const kept = await post(gateway, 'billy', rpc('nope/nope'), {
      headers: { 'x-request-id': id },
    });
    expect(kept.headers.get('x-request-id')).toBe(id);
    expect(
      ((await kept.json()) as { error: { data: { requestId: string } } }).error.data.requestId,
    ).toBe(id);
    const replaced = await post(gateway, 'billy', rpc('ping'), {
      headers: { 'x-request-id': "'; drop table" },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('GET on the MCP endpoint → 405 (no standalone stream)', async () => {
    const response = await gateway.fetch(
      new Request('http://localhost/mcp/billy', { method: 'GET' }),
    );
    expect(response.status).toBe(405);
  });
});

describe('2026-07-28 stateless requests', () => {
  const modern = (method: string, name?: string) => ({
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...(name === undefined ? {} : { 'mcp-name': name }),
    accept: 'application/json',
  });

  it('serves a request whose headers match the body, without a session', async () => {
    const response = await post(
      gateway,
      'billy',
      rpc('tools/call', { name: 'echo', arguments: { text: 'now' } }),
      {
        headers: modern('tools/call', 'echo'),
      },
    );
    expect(response.status).toBe(200);
    expect(resultText(await response.json())).toBe('solo:now');
    expect(response.headers.get('mcp-session-id')).toBeNull();
  });

  it('decodes a base64 Mcp-Name', async () => {
    const encoded = `=?base64?${btoa('echo')}?=`;
    const response = await post(
      gateway,
      'billy',
      rpc('tools/call', { name: 'echo', arguments: { text: 'b64' } }),
      {
        headers: modern('tools/call', encoded),
      },
    );
    expect(response.status).toBe(200);
  });

  it.each([
    ['Mcp-Method differs', modern('tools/list', 'echo')],
    ['Mcp-Name differs', modern('tools/call', 'delete_everything')],
    ['Mcp-Name missing', modern('tools/call')],
  ])('%s → 400 -32020', async (_label, headers) => {
    const response = await post(
      gateway,
      'billy',
      rpc('tools/call', { name: 'echo', arguments: { text: 'x' } }),
      {
        headers,
      },
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number } };
    expect(body.error.code).toBe(-32020);
    expect(errorCode(body)).toBe('header_mismatch');
  });

  it('an unsupported protocol version → 400 -32022 listing the supported ones', async () => {
    const response = await post(gateway, 'billy', rpc('ping'), {
      headers: { 'mcp-protocol-version': '2031-01-01' },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: number; data: { supported: string[] } };
    };
    expect(body.error.code).toBe(-32022);
    expect(body.error.data.supported).toContain('2026-07-28');
  });

  it('checks Mcp-Param-* headers against x-mcp-header parameters of the tool', async () => {
    const upstreamFetch: typeof fetch = async (_input, init) => {
      const message = JSON.parse(String(init?.body)) as {
        id?: number;
        method: string;
        params?: { arguments?: unknown };
      };
      const reply = (result: unknown) =>
        new Response(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }), {
          headers: { 'content-type': 'application/json', 'mcp-session-id': 's' },
        });
      if (message.id === undefined) return new Response(null, { status: 202 });
      if (message.method === 'initialize') {
        return reply({
          protocolVersion: '2025-11-25',
          capabilities: { tools: {} },
          serverInfo: { name: 'sql', version: '1' },
        });
      }
      if (message.method === 'tools/list') {
        return reply({
          tools: [
            {
              name: 'execute_sql',
              inputSchema: {
                type: 'object',
                properties: { region: { type: 'string', 'x-mcp-header': 'Region' } },
              },
              annotations: { readOnlyHint: true },
            },
          ],
        });
      }
      return reply({
        content: [{ type: 'text', text: JSON.stringify(message.params?.arguments) }],
      });
    };
    const sql = createGateway({
      servers: { sql: { instances: ['http://127.0.0.1:9/mcp'], tenancy: 'shared' } },
      fetch: upstreamFetch,
      healthChecks: false,
    });
    const body = rpc('tools/call', { name: 'execute_sql', arguments: { region: 'us-west1' } });
    const good = await post(sql, 'sql', body, {
      headers: { ...modern('tools/call', 'execute_sql'), 'mcp-param-region': 'us-west1' },
    });
    expect(good.status).toBe(200);
    const bad = await post(sql, 'sql', body, {
      headers: { ...modern('tools/call', 'execute_sql'), 'mcp-param-region': 'eu-north1' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(-32020);
    const missing = await post(sql, 'sql', body, { headers: modern('tools/call', 'execute_sql') });
    expect(missing.status).toBe(400);
    await sql.close();
  });

  it('unknown methods get 404 -32601 in the modern era', async () => {
    const response = await post(gateway, 'billy', rpc('tools/explode'), {
      headers: modern('tools/explode'),
    });
    expect(response.status).toBe(404);
  });
});

describe('status endpoints', () => {
  it('serves /servers, /health and /metrics', async () => {
    const servers = await gateway.fetch(new Request('http://localhost/servers'));
    const status = (await servers.json()) as {
      servers: {
        name: string;
        cacheTtlSeconds: number;
        instances: { url: string; requests: number }[];
      }[];
    };
    expect(status.servers[0]?.name).toBe('billy');
    expect(status.servers[0]?.cacheTtlSeconds).toBe(60);
    expect(status.servers[0]?.instances[0]?.requests).toBeGreaterThan(0);

    const health = await gateway.fetch(new Request('http://localhost/health'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', servers: { billy: 'up' } });

    const metrics = await (await gateway.fetch(new Request('http://localhost/metrics'))).text();
    expect(metrics).toMatch(
      /mcp_gateway_requests_total\{server="billy",method="tools\/call",tool="echo",code="ok"\} \d+/,
    );
    expect(metrics).toContain('mcp_gateway_request_duration_seconds_bucket');
    expect(metrics).toMatch(
      /mcp_gateway_errors_total\{server="billy",tool="",code="parse_error"\}/,
    );
  });

  it('keeps metric labels bounded whatever clients send', async () => {
    await post(gateway, 'random-server-name-1', rpc('ping'));
    await post(gateway, 'billy', rpc('made/up/method-42'));
    await callTool(gateway, 'billy', 'no_such_tool_99');
    const metrics = await (await gateway.fetch(new Request('http://localhost/metrics'))).text();
    expect(metrics).not.toContain('random-server-name-1');
    expect(metrics).not.toContain('made/up/method-42');
    expect(metrics).not.toContain('no_such_tool_99');
    expect(metrics).toContain('server="unknown"');
    expect(metrics).toContain('method="other"');
    expect(metrics).toContain('tool="unknown"');
  });

  it('mounts under a basePath', async () => {
    const mounted = createGateway({
      basePath: '/api/gateway',
      servers: { billy: { instances: [upstream.url], tenancy: 'shared' } },
      healthChecks: false,
    });
    expect((await post(mounted, 'billy', rpc('ping'))).status).toBe(200);
    const outside = await mounted.fetch(
      new Request('http://localhost/mcp/billy', { method: 'POST', body: '{}' }),
    );
    expect(outside.status).toBe(404);
    await mounted.close();
  });
});
