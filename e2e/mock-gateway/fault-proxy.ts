/**
 * A reverse proxy in front of one MCP server instance that the e2e tests can make misbehave:
 * fail, hang, go down, slow a tool, make a tool error, or replace a tool's result.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** How an instance behaves. */
interface InstanceFaults {
  /** `fail`: HTTP 500 to everything; `hang`: never answers; `down`: drops connections. */
  mode: 'ok' | 'fail' | 'hang' | 'down';
}

/** Tool-level faults, shared by all instances of a server. */
export interface ToolFaults {
  /** Milliseconds to wait before forwarding a call to the tool. */
  delayMs: Record<string, number>;
  /** Tools whose calls return an `isError` result with this message. */
  errors: Record<string, string>;
  /** Tools whose calls return this result instead of the real one. */
  payloads: Record<string, unknown>;
}

/** A running fault proxy. */
export interface FaultProxy {
  url: string;
  upstream: string;
  faults: InstanceFaults;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function toolCall(body: Buffer): { id: unknown; name: string } | undefined {
  try {
    const message = JSON.parse(body.toString('utf8')) as {
      method?: string;
      id?: unknown;
      params?: { name?: unknown };
    };
    if (message.method === 'tools/call' && typeof message.params?.name === 'string') {
      return { id: message.id, name: message.params.name };
    }
  } catch {
    // Not JSON: forward untouched and let the upstream answer.
  }
  return undefined;
}

function answer(response: ServerResponse, id: unknown, result: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ jsonrpc: '2.0', id, result }));
}

/** Starts a fault proxy on an ephemeral loopback port in front of `upstream` (an MCP endpoint URL). */
export async function startFaultProxy(upstream: string, tools: ToolFaults): Promise<FaultProxy> {
  const faults: InstanceFaults = { mode: 'ok' };
  const hanging = new Set<ServerResponse>();
  const target = new URL(upstream);
  const server = createServer(async (request, response) => {
    if (faults.mode === 'down') {
      request.socket.destroy();
      return;
    }
    if (faults.mode === 'hang') {
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
      return;
    }
    if (faults.mode === 'fail') {
      response.writeHead(500, { 'content-type': 'text/plain' }).end('instance failure (injected)');
      return;
    }
    const body = await readBody(request);
    const call = toolCall(body);
    if (call) {
      const delay = tools.delayMs[call.name];
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      if (response.destroyed) return;
      const error = tools.errors[call.name];
      if (error !== undefined) {
        answer(response, call.id, { content: [{ type: 'text', text: error }], isError: true });
        return;
      }
      if (call.name in tools.payloads) {
        answer(response, call.id, tools.payloads[call.name]);
        return;
      }
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (
        typeof value === 'string' &&
        name !== 'host' &&
        name !== 'content-length' &&
        name !== 'connection'
      ) {
        headers.set(name, value);
      }
    }
    const abort = new AbortController();
    response.on('close', () => abort.abort());
    try {
      const upstreamResponse = await fetch(upstream, {
        method: request.method,
        headers,
        body:
          request.method === 'GET' || request.method === 'HEAD' ? undefined : new Uint8Array(body),
        signal: abort.signal,
      });
      const outHeaders: Record<string, string> = {};
      upstreamResponse.headers.forEach((value, name) => {
        if (
          name !== 'content-length' &&
          name !== 'content-encoding' &&
          name !== 'transfer-encoding'
        )
          outHeaders[name] = value;
      });
      response.writeHead(upstreamResponse.status, outHeaders);
      if (upstreamResponse.body) {
        // The client may go away mid-stream (a gateway shutting down, a cancelled call): that ends
        // the copy quietly instead of crashing the proxy.
        await pipeline(
          Readable.fromWeb(upstreamResponse.body as import('node:stream/web').ReadableStream),
          response,
        ).catch(() => response.destroy());
      } else {
        response.end();
      }
    } catch {
      if (!response.headersSent) response.writeHead(502).end('upstream unreachable');
      else response.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    upstream,
    faults,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
