import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayClient, McpClientError } from '../src/index';
import { type SdkFixture, startSdkFixture } from './sdk-fixture';

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

let fixture: SdkFixture | undefined;
let client: GatewayClient | undefined;

afterEach(async () => {
  await client?.close();
  await fixture?.close();
  client = undefined;
  fixture = undefined;
});

const modes = [
  { mode: 'session', json: false },
  { mode: 'session', json: true },
  { mode: 'stateless', json: false },
  { mode: 'stateless', json: true },
] as const;

describe.each(modes)('official SDK server, $mode mode, json=$json', ({ mode, json }) => {
  const start = async () => {
    fixture = await startSdkFixture({ mode, json });
    client = createGatewayClient({ gateway: fixture.gateway, servers: ['alpha', 'beta'] });
    return { fixture, client };
  };

  it('lists namespaced tools across servers and maps every name back', async () => {
    const { client } = await start();
    const { tools, failures } = await client.listTools();
    expect(failures).toEqual([]);
    expect(tools).toHaveLength(14);
    expect(new Set(tools.map((tool) => tool.name)).size).toBe(14);
    for (const tool of tools) {
      expect(tool.name).toMatch(NAME_PATTERN);
      expect(client.resolveTool(tool.name)).toEqual({ server: tool.server, tool: tool.tool });
    }
    const echo = tools.find((tool) => tool.name === 'beta__echo');
    expect(echo).toMatchObject({ server: 'beta', tool: 'echo', description: 'Echoes text back' });
    expect(echo?.annotations).toEqual({
      readOnly: true,
      destructive: false,
      idempotent: true,
      openWorld: true,
    });
    const remove = tools.find((tool) => tool.name === 'alpha__delete_record');
    expect(remove?.annotations).toEqual({
      readOnly: false,
      destructive: true,
      idempotent: true,
      openWorld: true,
    });
    const dotted = tools.find((tool) => tool.server === 'alpha' && tool.tool === 'lookup.v2');
    expect(dotted?.name).toMatch(/^alpha__lookup_v2_[0-9a-z]{7}$/);
    expect(client.server('alpha').status()).toMatchObject({
      era: 'legacy',
      protocolVersion: '2025-11-25',
    });
  });

  it('calls tools by namespaced name, with structured content', async () => {
    const { client } = await start();
    await expect(client.callTool('beta__echo', { text: 'hi' })).resolves.toEqual({
      content: [{ type: 'text', text: 'beta: hi' }],
    });
    const sum = await client.callTool('alpha__add', { a: 2, b: 3 });
    expect(sum.structuredContent).toEqual({ sum: 5 });
    const { tools } = await client.listTools();
    const dotted = tools.find((tool) => tool.tool === 'lookup.v2' && tool.server === 'beta')!;
    await expect(client.callTool(dotted.name)).resolves.toMatchObject({
      content: [{ text: 'v2' }],
    });
  });

  it('sends the protocol headers of the negotiated era', async () => {
    const { client, fixture } = await start();
    await client.callTool('alpha__echo', { text: 'x' });
    const call = fixture.requests.find((request) => request.rpcMethod === 'tools/call')!;
    // 2026-07-28 request metadata headers are not sent to legacy servers (CORS-safe).
    expect(call.headers.get('mcp-method')).toBeNull();
    expect(call.headers.get('mcp-name')).toBeNull();
    const probe = fixture.requests.find((request) => request.rpcMethod === 'server/discover')!;
    expect(probe.headers.get('mcp-method')).toBe('server/discover');
    expect(probe.headers.get('mcp-protocol-version')).toBe('2026-07-28');
    expect(call.headers.get('mcp-protocol-version')).toBe('2025-11-25');
    expect(call.headers.get('accept')).toContain('text/event-stream');
    if (mode === 'session') expect(call.headers.get('mcp-session-id')).toBeTruthy();
    const initialize = fixture.requests.find((request) => request.rpcMethod === 'initialize')!;
    expect(initialize.body?.params).toMatchObject({
      protocolVersion: '2025-11-25',
      clientInfo: { name: '@tekup/mcp-client-web' },
    });
  });

  it('reads resources and prompts and pings', async () => {
    const { client } = await start();
    const alpha = client.server('alpha');
    await expect(alpha.listResources()).resolves.toEqual([
      { uri: 'note://welcome', name: 'welcome', mimeType: 'text/plain' },
    ]);
    const read = await alpha.readResource('note://welcome');
    expect(read.contents[0]).toMatchObject({ text: 'hello from alpha' });
    await expect(alpha.listPrompts()).resolves.toHaveLength(1);
    const prompt = await alpha.getPrompt('greet', { who: 'Ada' });
    expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Hello Ada' });
    await expect(alpha.ping()).resolves.toBeUndefined();
  });

  it('fails calls after close', async () => {
    const { client, fixture } = await start();
    await client.callTool('alpha__echo', { text: 'x' });
    await client.close();
    if (mode === 'session')
      expect(fixture.requests.some((request) => request.httpMethod === 'DELETE')).toBe(true);
    await expect(client.callTool('alpha__echo', { text: 'x' })).rejects.toMatchObject({
      code: 'not_connected',
    });
  });
});

describe.each(['session', 'stateless'] as const)('official SDK server streams, %s mode', (mode) => {
  it('delivers progress and list_changed from SSE streams', async () => {
    fixture = await startSdkFixture({ mode });
    client = createGatewayClient({ gateway: fixture.gateway, servers: ['alpha', 'beta'] });
    const progress: unknown[] = [];
    await client.callTool(
      'alpha__slow',
      { steps: 3, ms: 0 },
      { onProgress: (update) => progress.push(update) },
    );
    expect(progress).toEqual([
      { progress: 1, total: 3, message: 'step 1' },
      { progress: 2, total: 3, message: 'step 2' },
      { progress: 3, total: 3, message: 'step 3' },
    ]);
    await client.listTools();
    const changed: string[] = [];
    client.onToolsChanged((server) => changed.push(server));
    await client.callTool('beta__announce_change');
    expect(changed).toEqual(['beta']);
    const before = fixture.requests.filter((request) => request.rpcMethod === 'tools/list').length;
    await client.listTools();
    const after = fixture.requests.filter((request) => request.rpcMethod === 'tools/list');
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)?.server).toBe('beta');
  });
});

describe('failures against official SDK servers', () => {
  it('re-initializes once when the session is lost and retries the call', async () => {
    fixture = await startSdkFixture({ mode: 'session' });
    client = createGatewayClient({ gateway: fixture.gateway, servers: ['alpha'] });
    await client.callTool('alpha__echo', { text: 'one' });
    const firstSession = client.server('alpha').status().sessionId;
    fixture.dropSessions();
    await expect(client.callTool('alpha__echo', { text: 'two' })).resolves.toMatchObject({
      content: [{ text: 'alpha: two' }],
    });
    expect(fixture.requests.filter((request) => request.rpcMethod === 'initialize')).toHaveLength(
      2,
    );
    expect(client.server('alpha').status().sessionId).not.toBe(firstSession);
    const calls = fixture.requests.filter((request) => request.rpcMethod === 'tools/call');
    expect(calls.map((request) => request.headers.get('mcp-session-id') === firstSession)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('times out, sends notifications/cancelled, and keeps working', async () => {
    fixture = await startSdkFixture({ mode: 'session' });
    client = createGatewayClient({ gateway: fixture.gateway, servers: ['alpha'] });
    const error = await client
      .callTool('alpha__slow', { ms: 60_000 }, { timeoutMs: 200 })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(McpClientError);
    expect(error).toMatchObject({ code: 'timeout', server: 'alpha' });
    const cancelled = await fixture.waitForRequest(
      (request) => request.rpcMethod === 'notifications/cancelled',
    );
    const call = fixture.requests.find((request) => request.rpcMethod === 'tools/call')!;
    expect(cancelled.body?.params).toMatchObject({ requestId: call.body?.id });
    await expect(client.callTool('alpha__echo', { text: 'after' })).resolves.toBeDefined();
  });

  it('aborts with the caller signal mid-stream', async () => {
    fixture = await startSdkFixture({ mode: 'stateless' });
    client = createGatewayClient({ gateway: fixture.gateway, servers: ['alpha'] });
    const controller = new AbortController();
    const error = await client
      .callTool(
        'alpha__slow',
        { steps: 1, ms: 60_000 },
        { signal: controller.signal, onProgress: () => controller.abort() },
      )
      .catch((caught) => caught);
    expect(error).toMatchObject({ code: 'aborted', server: 'alpha' });
    const already = await client
      .callTool('alpha__echo', { text: 'x' }, { signal: AbortSignal.abort() })
      .catch((caught) => caught);
    expect(already).toMatchObject({ code: 'aborted' });
  });

  it('resumes a dropped SSE stream with Last-Event-ID', async () => {
    fixture = await startSdkFixture({ mode: 'session', resumable: true });
    client = createGatewayClient({ gateway: fixture.gateway, servers: ['alpha'] });
    await expect(client.callTool('alpha__drop_stream')).resolves.toMatchObject({
      content: [{ text: 'resumed' }],
    });
    const resume = fixture.requests.find((request) => request.httpMethod === 'GET');
    expect(resume?.headers.get('last-event-id')).toBeTruthy();
  });

  it('reports a server that is down without hiding the others', async () => {
    fixture = await startSdkFixture({
      mode: 'stateless',
      intercept: (_request, server) =>
        server === 'down'
          ? Response.json(
              {
                jsonrpc: '2.0',
                id: null,
                error: {
                  code: -32000,
                  message: 'Upstream unavailable',
                  data: { code: 'upstream_unavailable' },
                },
              },
              { status: 503 },
            )
          : undefined,
    });
    client = createGatewayClient({ gateway: fixture.gateway, servers: ['alpha', 'down'] });
    const { tools, failures } = await client.listTools();
    expect(tools.every((tool) => tool.server === 'alpha')).toBe(true);
    expect(tools).toHaveLength(7);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.server).toBe('down');
    expect(failures[0]?.error).toMatchObject({
      code: 'http',
      status: 503,
      gatewayCode: 'upstream_unavailable',
    });
  });

  it('throws unknown_tool for names it cannot map', async () => {
    fixture = await startSdkFixture({ mode: 'stateless' });
    client = createGatewayClient({ gateway: fixture.gateway, servers: ['alpha'] });
    await expect(client.callTool('gamma__echo')).rejects.toMatchObject({ code: 'unknown_tool' });
    await expect(client.callTool('alpha__nope')).rejects.toMatchObject({ code: 'unknown_tool' });
  });
});
