import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { type ServedHandler, serveHandler } from './http-server';

/** How the fixture serves MCP: one session per client, or a fresh server per request. */
type FixtureMode = 'session' | 'stateless';

/** One HTTP request the fixture received. */
interface RecordedRequest {
  server: string;
  httpMethod: string;
  rpcMethod?: string;
  headers: Headers;
  body?: Record<string, unknown>;
}

/** Options of {@link startSdkFixture}. */
export interface SdkFixtureOptions {
  mode: FixtureMode;
  /** Answer with application/json instead of SSE. */
  json?: boolean;
  /** Keep an event store so SSE streams can be resumed with Last-Event-ID. */
  resumable?: boolean;
  /** Answers a request itself when it returns a Response. */
  intercept?: (request: Request, server: string) => Response | Promise<Response> | undefined;
}

/** A running fixture: official SDK servers behind `{gateway}/mcp/{server}`. */
export interface SdkFixture {
  gateway: string;
  requests: RecordedRequest[];
  /** Forgets every session, as a restarted server would. */
  dropSessions(): void;
  /** Resolves with the first recorded request (past or future) that matches. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean): Promise<RecordedRequest>;
  close(): Promise<void>;
}

const TOOLS = [
  {
    name: 'echo',
    description: 'Echoes text back',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'add',
    description: 'Adds two numbers',
    inputSchema: {
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    },
    outputSchema: { type: 'object', properties: { sum: { type: 'number' } } },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: 'slow',
    description: 'Reports progress, then finishes after `ms`',
    inputSchema: {
      type: 'object',
      properties: { ms: { type: 'number' }, steps: { type: 'number' } },
    },
  },
  {
    name: 'delete_record',
    description: 'Deletes a record',
    inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
    annotations: { idempotentHint: true },
  },
  {
    name: 'announce_change',
    description: 'Reports that the tool list changed',
    inputSchema: { type: 'object', properties: {} },
  },
  {
    name: 'drop_stream',
    description: 'Closes its SSE stream before answering, so the client must resume',
    inputSchema: { type: 'object', properties: {} },
  },
  {
    name: 'lookup.v2',
    description: 'A tool whose name needs sanitizing',
    inputSchema: { type: 'object', properties: {} },
  },
];

function createMcpServer(name: string): Server {
  const server = new Server(
    { name: `fixture-${name}`, version: '1.0.0' },
    { capabilities: { tools: { listChanged: true }, resources: {}, prompts: {} } },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const progressToken = request.params._meta?.progressToken;
    switch (request.params.name) {
      case 'echo':
        return { content: [{ type: 'text', text: `${name}: ${String(args.text)}` }] };
      case 'add': {
        const sum = Number(args.a) + Number(args.b);
        return { content: [{ type: 'text', text: String(sum) }], structuredContent: { sum } };
      }
      case 'slow': {
        const steps = Number(args.steps ?? 0);
        for (let step = 1; step <= steps; step++) {
          if (progressToken !== undefined) {
            await extra.sendNotification({
              method: 'notifications/progress',
              params: { progressToken, progress: step, total: steps, message: `step ${step}` },
            });
          }
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Number(args.ms ?? 0));
          extra.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        return { content: [{ type: 'text', text: 'done' }] };
      }
      case 'delete_record':
        return { content: [{ type: 'text', text: `deleted ${String(args.id)}` }] };
      case 'announce_change':
        await extra.sendNotification({ method: 'notifications/tools/list_changed' });
        return { content: [{ type: 'text', text: 'changed' }] };
      case 'drop_stream':
        // The result goes to the event store and reaches the client on its resumed stream.
        extra.closeSSEStream?.();
        return { content: [{ type: 'text', text: 'resumed' }] };
      case 'lookup.v2':
        return { content: [{ type: 'text', text: 'v2' }] };
      default:
        return { content: [{ type: 'text', text: 'unknown tool' }], isError: true };
    }
  });
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: [{ uri: 'note://welcome', name: 'welcome', mimeType: 'text/plain' }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => ({
    contents: [{ uri: request.params.uri, mimeType: 'text/plain', text: `hello from ${name}` }],
  }));
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: [{ name: 'greet', arguments: [{ name: 'who', required: true }] }],
  }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => ({
    messages: [
      { role: 'user', content: { type: 'text', text: `Hello ${request.params.arguments?.who}` } },
    ],
  }));
  return server;
}

/**
 * An in-memory event store whose ids order by a counter. (The SDK's example store orders by
 * `<stream>_<Date.now()>_<random>`: two events of one millisecond replay in random order, so a
 * resumed stream can skip the result.)
 */
function createOrderedEventStore(): EventStore {
  const events: Array<{ id: string; streamId: string; message: JSONRPCMessage }> = [];
  let counter = 0;
  return {
    async storeEvent(streamId, message) {
      counter++;
      const id = `${streamId}_${String(counter).padStart(10, '0')}`;
      events.push({ id, streamId, message });
      return id;
    },
    async getStreamIdForEventId(eventId) {
      return events.find((event) => event.id === eventId)?.streamId;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const index = events.findIndex((event) => event.id === lastEventId);
      if (index === -1) return '';
      const { streamId } = events[index] as { streamId: string };
      for (const event of events.slice(index + 1)) {
        if (event.streamId === streamId) await send(event.id, event.message);
      }
      return streamId;
    },
  };
}

/** Starts official SDK servers (session or stateless) at `{gateway}/mcp/{server}` on a random port. */
export async function startSdkFixture(options: SdkFixtureOptions): Promise<SdkFixture> {
  const requests: RecordedRequest[] = [];
  const waiters: Array<{
    predicate: (request: RecordedRequest) => boolean;
    resolve: (request: RecordedRequest) => void;
  }> = [];
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
  const transportOptions = () => ({
    enableJsonResponse: options.json === true,
    ...(options.resumable ? { eventStore: createOrderedEventStore(), retryInterval: 30 } : {}),
  });

  const handle = async (request: Request): Promise<Response> => {
    const match = /^\/mcp\/([^/]+)$/.exec(new URL(request.url).pathname);
    if (!match) return new Response('not found', { status: 404 });
    const server = decodeURIComponent(match[1]!);
    let body: Record<string, unknown> | undefined;
    if (request.method === 'POST') {
      try {
        body = (await request.clone().json()) as Record<string, unknown>;
      } catch {
        body = undefined;
      }
    }
    const recorded: RecordedRequest = {
      server,
      httpMethod: request.method,
      headers: request.headers,
    };
    if (body) recorded.body = body;
    if (typeof body?.method === 'string') recorded.rpcMethod = body.method;
    requests.push(recorded);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(recorded)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(recorded);
      }
    }
    const intercepted = await options.intercept?.(request, server);
    if (intercepted) return intercepted;

    if (options.mode === 'stateless') {
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        ...transportOptions(),
      });
      await createMcpServer(server).connect(transport);
      return transport.handleRequest(request, body ? { parsedBody: body } : {});
    }
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId !== null) {
      const transport = sessions.get(sessionId);
      if (!transport) {
        return Response.json(
          { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } },
          { status: 404 },
        );
      }
      return transport.handleRequest(request, body ? { parsedBody: body } : {});
    }
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
      onsessionclosed: (id) => void sessions.delete(id),
      ...transportOptions(),
    });
    await createMcpServer(server).connect(transport);
    return transport.handleRequest(request, body ? { parsedBody: body } : {});
  };

  const served: ServedHandler = await serveHandler(handle);
  return {
    gateway: served.origin,
    requests,
    dropSessions: () => sessions.clear(),
    waitForRequest(predicate) {
      const found = requests.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    close: () => served.close(),
  };
}
