import { type ServedHandler, serveHandler } from './http-server';

/** A JSON-RPC request as the scripted server received it. */
export interface ScriptedRequest {
  id?: number | string;
  method: string;
  params?: Record<string, unknown>;
}

/** A legacy (2025-11-25, stateless) MCP endpoint whose non-handshake answers come from `answer`. */
export async function startScriptedServer(
  answer: (message: ScriptedRequest, request: Request) => Response | Promise<Response>,
): Promise<ServedHandler & { gateway: string; methods: string[] }> {
  const methods: string[] = [];
  const served = await serveHandler(async (request) => {
    if (request.method !== 'POST') return new Response(null, { status: 405 });
    const message = (await request.json()) as ScriptedRequest;
    methods.push(message.method);
    if (message.method === 'server/discover') {
      return Response.json(
        {
          jsonrpc: '2.0',
          id: null,
          error: { code: -32000, message: 'Bad Request: Unsupported protocol version' },
        },
        { status: 400 },
      );
    }
    if (message.method === 'initialize') {
      return Response.json({
        jsonrpc: '2.0',
        id: message.id,
        result: {
          protocolVersion: '2025-11-25',
          capabilities: { tools: {} },
          serverInfo: { name: 'scripted', version: '1.0.0' },
        },
      });
    }
    if (message.id === undefined) return new Response(null, { status: 202 });
    return answer(message, request);
  });
  return { ...served, gateway: served.origin, methods };
}

/** A `text/event-stream` response whose body is exactly `text`. */
export function eventStream(text: string, init: ResponseInit = {}): Response {
  return new Response(text, {
    ...init,
    headers: { 'content-type': 'text/event-stream', ...(init.headers as Record<string, string>) },
  });
}
