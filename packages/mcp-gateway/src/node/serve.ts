/**
 * node:http adapter: turns IncomingMessage/ServerResponse into Request/Response for
 * `gateway.fetch`, with graceful shutdown.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from '../gateway.js';
import { peekTextBody } from '../http/body-cache.js';

/** Options of {@link serve}. */
export interface ServeOptions {
  /** @default 8080 (0 picks a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** How long shutdown waits for in-flight requests. @default 10000 */
  shutdownDeadlineMs?: number;
  /** A client must send its request headers within this. @default 10000 */
  headersTimeoutMs?: number;
  /** A client must send its whole request (headers and body) within this. @default 30000 */
  requestTimeoutMs?: number;
  /** Open connections at most; more are refused at accept. @default 10000 */
  maxConnections?: number;
}

/** A listening gateway server. */
export interface GatewayServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Stops accepting, lets in-flight requests finish within the deadline, closes upstreams. */
  close(): Promise<void>;
}

/**
 * Reads the body into memory, but never more than `limit + 1` bytes: the gateway then
 * answers 413 itself (errors become responses in one place) without this adapter buffering
 * an unbounded upload.
 */
function readIncoming(
  incoming: IncomingMessage,
  limit: number,
): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const finish = (truncated: boolean) => {
      if (settled) return;
      settled = true;
      resolve({
        body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
        truncated,
      });
    };
    incoming.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.byteLength;
      chunks.push(chunk);
      if (total > limit) {
        incoming.pause();
        finish(true);
      }
    });
    incoming.on('end', () => finish(false));
    incoming.on('error', (error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
    // A client that hangs up (or is cut off by the request timeout) mid-body ends the read.
    incoming.on('close', () => {
      if (!settled && !incoming.complete) {
        settled = true;
        reject(new Error('client closed the connection before the body ended'));
      }
    });
  });
}

async function toRequest(
  incoming: IncomingMessage,
  fallbackHost: string,
  limit: number,
): Promise<{ request: Request; truncated: boolean }> {
  const host = incoming.headers.host ?? fallbackHost;
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    headers.append(raw[index] as string, raw[index + 1] as string);
  }
  const method = incoming.method ?? 'GET';
  // The signal goes to the gateway through RequestInfo: a Request following a signal costs more.
  const init: RequestInit = { method, headers };
  let truncated = false;
  if (method !== 'GET' && method !== 'HEAD') {
    const read = await readIncoming(incoming, limit);
    init.body = new Uint8Array(
      read.body.buffer as ArrayBuffer,
      read.body.byteOffset,
      read.body.byteLength,
    );
    truncated = read.truncated;
  }
  return { request: new Request(`http://${host}${incoming.url ?? '/'}`, init), truncated };
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    headers[key] = key === 'set-cookie' ? response.headers.getSetCookie() : value;
  });
  const body = response.body;
  if (body === null) {
    outgoing.writeHead(response.status, headers).end();
    return;
  }
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const text = peekTextBody(response);
    const buffer =
      text === undefined ? Buffer.from(await response.arrayBuffer()) : Buffer.from(text);
    headers['content-length'] = String(buffer.byteLength);
    outgoing.writeHead(response.status, headers).end(buffer);
    return;
  }
  outgoing.writeHead(response.status, headers);
  outgoing.flushHeaders();
  const reader = body.getReader();
  outgoing.on('close', () => {
    reader.cancel().catch(() => undefined);
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!outgoing.write(value)) {
        await new Promise<void>((resolve) => {
          outgoing.once('drain', resolve);
          outgoing.once('close', resolve);
        });
      }
    }
  } catch {
    // The client went away mid-stream.
  }
  outgoing.end();
}

/** Options of {@link createNodeHandler}. */
export interface NodeHandlerOptions {
  /** The `Host` a request without one is taken to have been sent to. @default 'localhost' */
  fallbackHost?: string;
}

/** A node:http request listener. */
export type NodeHandler = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

/**
 * The gateway as a node:http request listener: what {@link serve} listens with, and what a host
 * server (a framework's custom server) mounts to answer `{basePath}/*` itself. The body is read
 * within the gateway's limit, a client hanging up aborts the call, SSE streams with back-pressure.
 *
 * @example
 * createServer((incoming, outgoing) =>
 *   incoming.url?.startsWith('/mcp-gateway/') ? handler(incoming, outgoing) : app(incoming, outgoing));
 */
export function createNodeHandler(gateway: Gateway, options: NodeHandlerOptions = {}): NodeHandler {
  const fallbackHost = options.fallbackHost ?? 'localhost';
  return (incoming, outgoing) => {
    const controller = new AbortController();
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) controller.abort();
    });
    toRequest(incoming, fallbackHost, gateway.config.bodyLimitBytes)
      .then(async ({ request, truncated }) => {
        // An oversized upload was not read to its end: close the connection after answering.
        if (truncated) outgoing.shouldKeepAlive = false;
        const response = await gateway.fetch(request, {
          remoteAddress: incoming.socket.remoteAddress,
          signal: controller.signal,
        });
        await writeResponse(response, outgoing);
      })
      .catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(400).end();
        else outgoing.end();
      });
  };
}

/**
 * Serves a gateway over node:http.
 *
 * @example
 * const server = await serve(createGateway(config), { port: 8080 });
 * process.on('SIGTERM', () => server.close());
 */
export async function serve(gateway: Gateway, options: ServeOptions = {}): Promise<GatewayServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(
    createNodeHandler(gateway, { fallbackHost: `${host}:${options.port ?? 8080}` }),
  );
  server.keepAliveTimeout = 65_000;
  // Slow-loris bounds: headers, then the whole request, must arrive in time.
  server.headersTimeout = options.headersTimeoutMs ?? 10_000;
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.maxConnections = options.maxConnections ?? 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const displayHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${displayHost}:${port}`,
    port,
    server,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await gateway.close(
          options.shutdownDeadlineMs === undefined
            ? {}
            : { deadlineMs: options.shutdownDeadlineMs },
        );
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
