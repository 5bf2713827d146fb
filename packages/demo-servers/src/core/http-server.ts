import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { DemoServerError } from '../errors.js';
import { createSessionEventStore } from './event-store.js';

/** Options for {@link listenMcpHttp}. */
export interface McpHttpOptions {
  /** Server name shown by `/health`. */
  name: string;
  /** Builds one McpServer with every tool registered (called per session, or per pooled slot). */
  createMcpServer: () => McpServer;
  /** Port; 0 picks an ephemeral one. */
  port: number;
  /** Interface to bind. */
  host: string;
  /** Stateless Streamable HTTP (no `Mcp-Session-Id`) instead of sessions. */
  stateless: boolean;
  /** Extra fields for the `/health` body. */
  health?: () => Record<string, unknown>;
  /** Most live sessions; the least recently used one is closed past it. @default 200 */
  maxSessions?: number;
  /** Idle time after which a session is closed. @default 1_800_000 (30 min) */
  sessionIdleMs?: number;
  /** Largest accepted request body. @default 1_048_576 */
  maxBodyBytes?: number;
}

/** A listening MCP HTTP endpoint. */
export interface McpHttpListener {
  port: number;
  url: string;
  close(): Promise<void>;
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  lastSeen: number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });
}

function isAllowedOrigin(origin: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new DemoServerError('invalid_argument', 'payload too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

async function writeResponse(response: Response, target: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  // Reverse proxies (nginx) buffer SSE unless told not to, which stalls streamed results.
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    headers['x-accel-buffering'] = 'no';
  }
  target.writeHead(response.status, headers);
  if (!response.body) {
    target.end();
    return;
  }
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  target.on('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Flushing per chunk keeps SSE events from sitting in buffers.
      if (!target.write(value)) await new Promise((resolve) => target.once('drain', resolve));
    }
  } catch {
    // The client went away mid-stream; nothing left to deliver.
  } finally {
    target.off('close', cancel);
    target.end();
  }
}

/**
 * Serves MCP over Streamable HTTP on node:http at `/mcp`, plus `GET /health`.
 * Session mode keeps one McpServer + transport per session (closed on DELETE, idle expiry or
 * past the cap); stateless mode reuses a pool of McpServers with a fresh transport per
 * request, because the SDK forbids reusing a stateless transport.
 */
export async function listenMcpHttp(options: McpHttpOptions): Promise<McpHttpListener> {
  const maxSessions = options.maxSessions ?? 200;
  const sessionIdleMs = options.sessionIdleMs ?? 1_800_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const sessions = new Map<string, Session>();
  const idleServers: McpServer[] = [];
  const startedAt = Date.now();
  let closing = false;

  const closeSession = async (sessionId: string): Promise<void> => {
    const session = sessions.get(sessionId);
    if (!session) return;
    sessions.delete(sessionId);
    await session.server.close().catch(() => undefined);
  };

  const sweeper = setInterval(
    () => {
      const cutoff = Date.now() - sessionIdleMs;
      for (const [sessionId, session] of sessions) {
        if (session.lastSeen < cutoff) void closeSession(sessionId);
      }
    },
    Math.min(60_000, sessionIdleMs),
  );
  sweeper.unref();

  const handleSession = async (request: Request, parsedBody: unknown): Promise<Response> => {
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const session = sessions.get(sessionId);
      // Spec: an unknown or expired session gets 404 so the client re-initializes.
      if (!session) return jsonRpcError(404, -32001, 'Session not found');
      session.lastSeen = Date.now();
      return session.transport.handleRequest(request, { parsedBody });
    }
    if (request.method !== 'POST' || !isInitializeRequest(parsedBody)) {
      return jsonRpcError(400, -32000, 'Bad Request: missing Mcp-Session-Id header');
    }
    if (sessions.size >= maxSessions) {
      const oldest = [...sessions.entries()].sort((a, b) => a[1].lastSeen - b[1].lastSeen)[0];
      if (oldest) await closeSession(oldest[0]);
    }
    const server = options.createMcpServer();
    const transport: WebStandardStreamableHTTPServerTransport =
      new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        // Calls' streams can be resumed (a call paused for a question continues after it).
        eventStore: createSessionEventStore(),
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, server, lastSeen: Date.now() });
        },
        onsessionclosed: (id) => {
          void closeSession(id);
        },
      });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody });
  };

  const handleStateless = async (
    request: Request,
    parsedBody: unknown,
    target: ServerResponse,
  ): Promise<void> => {
    const server = idleServers.pop() ?? options.createMcpServer();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      const response = await transport.handleRequest(request, { parsedBody });
      await writeResponse(response, target);
    } finally {
      await transport.close().catch(() => undefined);
      if (!closing && idleServers.length < 16 && !server.isConnected()) idleServers.push(server);
    }
  };

  const handle = async (incoming: IncomingMessage, target: ServerResponse): Promise<void> => {
    const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? 'localhost'}`);
    if (url.pathname === '/health' && incoming.method === 'GET') {
      await writeResponse(
        Response.json({
          status: closing ? 'stopping' : 'ok',
          server: options.name,
          mode: options.stateless ? 'stateless' : 'session',
          sessions: sessions.size,
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          ...options.health?.(),
        }),
        target,
      );
      return;
    }
    if (url.pathname !== '/mcp') {
      await writeResponse(Response.json({ error: 'not found' }, { status: 404 }), target);
      return;
    }
    const origin = incoming.headers.origin;
    // Spec (Streamable HTTP, security): servers MUST validate Origin against DNS rebinding.
    if (origin && !isAllowedOrigin(origin)) {
      await writeResponse(jsonRpcError(403, -32000, 'Forbidden: origin not allowed'), target);
      return;
    }
    let body: Buffer | undefined;
    if (incoming.method === 'POST') {
      try {
        body = await readBody(incoming, maxBodyBytes);
      } catch {
        await writeResponse(jsonRpcError(413, -32000, 'Payload too large'), target);
        return;
      }
    }
    let parsedBody: unknown;
    if (body) {
      try {
        parsedBody = JSON.parse(body.toString('utf8'));
      } catch {
        await writeResponse(jsonRpcError(400, -32700, 'Parse error: invalid JSON'), target);
        return;
      }
    }
    const headers = new Headers();
    for (const [key, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string') headers.set(key, value);
      else if (Array.isArray(value)) headers.set(key, value.join(', '));
    }
    const request = new Request(url, {
      method: incoming.method ?? 'GET',
      headers,
      ...(body ? { body: new Uint8Array(body) } : {}),
    });
    if (options.stateless) {
      // Without sessions there is nothing to stream to later or to delete: a GET stream would
      // only pin a server until the client hangs up (spec: 405 when no SSE stream is offered).
      if (request.method !== 'POST') {
        const refusal = jsonRpcError(405, -32000, 'Method not allowed: stateless server, use POST');
        refusal.headers.set('allow', 'POST');
        await writeResponse(refusal, target);
        return;
      }
      await handleStateless(request, parsedBody, target);
      return;
    }
    await writeResponse(await handleSession(request, parsedBody), target);
  };

  const httpServer = createServer((incoming, target) => {
    handle(incoming, target).catch(() => {
      if (!target.headersSent) {
        target.writeHead(500, { 'content-type': 'application/json' });
        target.end(
          JSON.stringify({
            jsonrpc: '2.0',
            error: { code: -32603, message: 'Internal error' },
            id: null,
          }),
        );
      } else {
        target.end();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new DemoServerError(
          'startup_failed',
          `${options.name}: cannot listen on ${options.host}:${options.port} (${error.code ?? error.message})`,
          { cause: error },
        ),
      );
    };
    httpServer.once('error', onError);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', onError);
      resolve();
    });
  });

  const port = (httpServer.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    port,
    url: `http://${hostForUrl}:${port}/mcp`,
    close: async () => {
      if (closing) return;
      closing = true;
      clearInterval(sweeper);
      await Promise.all([...sessions.keys()].map((sessionId) => closeSession(sessionId)));
      idleServers.length = 0;
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}
