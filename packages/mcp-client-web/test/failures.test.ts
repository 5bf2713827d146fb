import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayClient, McpClientError } from '../src/index';
import { serveHandler } from './http-server';
import { eventStream, type ScriptedRequest, startScriptedServer } from './scripted-server';

let stop: (() => Promise<void>) | undefined;
let client: GatewayClient | undefined;

afterEach(async () => {
  await client?.close();
  await stop?.();
  client = undefined;
  stop = undefined;
});

async function callWith(
  answer: (message: ScriptedRequest, request: Request) => Response | Promise<Response>,
): Promise<unknown> {
  const server = await startScriptedServer(answer);
  stop = server.close;
  client = createGatewayClient({ gateway: server.gateway, servers: ['billy'], timeoutMs: 5_000 });
  return client
    .server('billy')
    .callTool('list_invoices', {})
    .catch((error: unknown) => error);
}

describe('typed failures', () => {
  it('429 carries status, retryAfter from the header and the gateway code', async () => {
    const error = await callWith((message) =>
      Response.json(
        {
          jsonrpc: '2.0',
          id: message.id,
          error: {
            code: -32000,
            message: 'Too many requests',
            data: { code: 'rate_limited', retryAfter: 3 },
          },
        },
        { status: 429, headers: { 'retry-after': '7' } },
      ),
    );
    expect(error).toBeInstanceOf(McpClientError);
    expect(error).toMatchObject({
      code: 'http',
      status: 429,
      retryAfter: 7,
      gatewayCode: 'rate_limited',
      rpcCode: -32000,
      server: 'billy',
    });
    expect((error as McpClientError).url).toMatch(/\/mcp\/billy$/);
  });

  it('429 without a header falls back to error.data.retryAfter', async () => {
    const error = await callWith((message) =>
      Response.json(
        {
          jsonrpc: '2.0',
          id: message.id,
          error: { code: -32000, message: 'slow down', data: { retryAfter: 3 } },
        },
        { status: 429 },
      ),
    );
    expect(error).toMatchObject({ code: 'http', status: 429, retryAfter: 3 });
  });

  it('a JSON-RPC error in a 200 is a protocol error with the server code', async () => {
    const error = await callWith((message) =>
      Response.json({
        jsonrpc: '2.0',
        id: message.id,
        error: { code: -32602, message: 'Unknown tool' },
      }),
    );
    expect(error).toMatchObject({ code: 'protocol', rpcCode: -32602 });
    expect((error as Error).message).toContain('Unknown tool');
  });

  it('malformed JSON is invalid_response', async () => {
    const error = await callWith(
      () =>
        new Response('{"jsonrpc": "2.0", "id": ', {
          headers: { 'content-type': 'application/json' },
        }),
    );
    expect(error).toMatchObject({ code: 'invalid_response' });
  });

  it('a response to another id is invalid_response', async () => {
    const error = await callWith(() =>
      Response.json({ jsonrpc: '2.0', id: 999, result: { content: [] } }),
    );
    expect(error).toMatchObject({ code: 'invalid_response' });
  });

  it('an unexpected content type is invalid_response', async () => {
    const error = await callWith(
      () => new Response('<html></html>', { headers: { 'content-type': 'text/html' } }),
    );
    expect(error).toMatchObject({ code: 'invalid_response' });
  });

  it('a tool result without content is invalid_response', async () => {
    const error = await callWith((message) =>
      Response.json({ jsonrpc: '2.0', id: message.id, result: { nope: 1 } }),
    );
    expect(error).toMatchObject({ code: 'invalid_response' });
  });

  it('an SSE stream that ends before the response is invalid_response, not a hang', async () => {
    const error = await callWith(() =>
      eventStream(
        'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}}\n\n',
      ),
    );
    expect(error).toMatchObject({ code: 'invalid_response' });
    expect((error as Error).message).toContain('ended before the response');
  });

  it('an SSE stream cut in the middle of the response event is invalid_response', async () => {
    const error = await callWith((message) =>
      eventStream(
        `event: message\ndata: {"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":{"content":[]}}`,
      ),
    );
    expect(error).toMatchObject({ code: 'invalid_response' });
  });

  it('malformed JSON inside an SSE event is invalid_response', async () => {
    const error = await callWith(() => eventStream('event: message\ndata: {not json\n\n'));
    expect(error).toMatchObject({ code: 'invalid_response' });
  });

  it('an SSE response split into CRLF chunks and comments still parses', async () => {
    const result = await callWith((message) => {
      const payload = JSON.stringify({
        jsonrpc: '2.0',
        id: message.id,
        result: { content: [{ type: 'text', text: 'ok' }] },
      });
      const chunks = [
        ': keep-alive\r\n\r',
        '\nevent: message\r\nda',
        `ta: ${payload.slice(0, 10)}`,
        `${payload.slice(10)}\r\n\r\n`,
      ];
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
          controller.close();
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    expect(result).toEqual({ content: [{ type: 'text', text: 'ok' }] });
  });

  it('an unreachable gateway is a network error', async () => {
    const served = await serveHandler(() => new Response(null));
    await served.close();
    client = createGatewayClient({ gateway: served.origin, servers: ['billy'] });
    const error = await client
      .server('billy')
      .ping()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'network', server: 'billy' });
  });

  it('a server stream that never answers times out', async () => {
    let release: (() => void) | undefined;
    const server = await startScriptedServer(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode(': waiting\n\n'));
              release = () => controller.close();
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    );
    stop = async () => {
      release?.();
      await server.close();
    };
    client = createGatewayClient({ gateway: server.gateway, servers: ['billy'] });
    const error = await client
      .server('billy')
      .callTool('wait', {}, { timeoutMs: 150 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'timeout' });
  });

  it('HTTP errors without a JSON body still carry status and url', async () => {
    const error = await callWith(() => new Response('Bad gateway', { status: 502 }));
    expect(error).toMatchObject({ code: 'http', status: 502 });
    expect((error as McpClientError).rpcCode).toBeUndefined();
  });
});
