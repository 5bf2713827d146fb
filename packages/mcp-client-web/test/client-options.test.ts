import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayClient } from '../src/index';
import { type SdkFixture, startSdkFixture } from './sdk-fixture';
import { eventStream, startScriptedServer } from './scripted-server';

let fixture: SdkFixture | undefined;
let client: GatewayClient | undefined;
let stop: (() => Promise<void>) | undefined;

afterEach(async () => {
  await client?.close();
  await fixture?.close();
  await stop?.();
  client = undefined;
  fixture = undefined;
  stop = undefined;
});

describe('client options and concurrency', () => {
  it('merges headers, getHeaders (per request) and per-call headers, protocol headers last', async () => {
    fixture = await startSdkFixture({ mode: 'stateless' });
    let token = 0;
    client = createGatewayClient({
      gateway: fixture.gateway,
      servers: ['alpha'],
      headers: { authorization: 'Bearer static', 'x-team': 'static' },
      getHeaders: () => ({ authorization: `Bearer ${++token}`, accept: 'text/plain' }),
    });
    await client.callTool('alpha__echo', { text: 'a' }, { headers: { 'x-team': 'call' } });
    const calls = fixture.requests.filter((request) => request.rpcMethod === 'tools/call');
    const call = calls.at(-1)!;
    expect(call.headers.get('authorization')).toBe(`Bearer ${token}`);
    expect(token).toBeGreaterThan(1);
    expect(call.headers.get('x-team')).toBe('call');
    expect(call.headers.get('accept')).toBe('application/json, text/event-stream');
    // A plain namespaced name resolves without a listing; the handshake carried the static header.
    expect(fixture.requests.some((request) => request.rpcMethod === 'tools/list')).toBe(false);
    const handshake = fixture.requests.find((request) => request.rpcMethod === 'initialize');
    expect(handshake?.headers.get('x-team')).toBe('static');
  });

  it('shares one handshake between concurrent first calls', async () => {
    fixture = await startSdkFixture({ mode: 'session' });
    client = createGatewayClient({ gateway: fixture.gateway, servers: ['alpha'] });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        client!.server('alpha').callTool('echo', { text: String(index) }),
      ),
    );
    expect(results.map((result) => result.content[0])).toEqual(
      Array.from({ length: 12 }, (_, index) => ({ type: 'text', text: `alpha: ${index}` })),
    );
    expect(
      fixture.requests.filter((request) => request.rpcMethod === 'server/discover'),
    ).toHaveLength(1);
    expect(fixture.requests.filter((request) => request.rpcMethod === 'initialize')).toHaveLength(
      1,
    );
  });

  it('lets one caller of a shared tool listing give up without failing the others', async () => {
    fixture = await startSdkFixture({ mode: 'session' });
    client = createGatewayClient({ gateway: fixture.gateway, servers: ['alpha'] });
    const impatient = new AbortController();
    const first = client.listTools({ signal: impatient.signal });
    const second = client.listTools();
    impatient.abort();
    // Listing failures are reported per server, not thrown.
    expect((await first).failures.map((failure) => failure.error.code)).toEqual(['aborted']);
    const listing = await second;
    expect(listing.failures).toEqual([]);
    expect(listing.tools.map((tool) => tool.name)).toContain('alpha__echo');
    expect(fixture.requests.filter((request) => request.rpcMethod === 'tools/list')).toHaveLength(
      1,
    );
  });

  it('recovers concurrent calls from one lost session with one new handshake', async () => {
    fixture = await startSdkFixture({ mode: 'session' });
    client = createGatewayClient({ gateway: fixture.gateway, servers: ['alpha'] });
    await client.server('alpha').ping();
    fixture.dropSessions();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        client!.server('alpha').callTool('echo', { text: String(index) }),
      ),
    );
    expect(results).toHaveLength(6);
    expect(fixture.requests.filter((request) => request.rpcMethod === 'initialize')).toHaveLength(
      2,
    );
  });

  it('closes when the client signal aborts', async () => {
    fixture = await startSdkFixture({ mode: 'session' });
    const controller = new AbortController();
    client = createGatewayClient({
      gateway: fixture.gateway,
      servers: ['alpha'],
      signal: controller.signal,
    });
    const pending = client.callTool('alpha__slow', { ms: 60_000 });
    await fixture.waitForRequest((request) => request.rpcMethod === 'tools/call');
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'not_connected' });
    await fixture.waitForRequest((request) => request.httpMethod === 'DELETE');
    await expect(client.listTools()).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('refuses a relative gateway without location.origin', () => {
    expect(() => createGatewayClient({ gateway: '/api/gateway', servers: ['billy'] })).toThrow(
      TypeError,
    );
  });

  it('reports a refused SSE resumption as invalid_response without hanging', async () => {
    const server = await startScriptedServer(() => eventStream('id: e1\nretry: 5\ndata: \n\n'));
    stop = server.close;
    client = createGatewayClient({ gateway: server.gateway, servers: ['billy'] });
    const error = await client
      .server('billy')
      .callTool('anything')
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_response', status: 405 });
  });
});
