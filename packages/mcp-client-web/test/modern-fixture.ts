import { type ServedHandler, serveHandler } from './http-server';

/** One request the modern fixture received. */
export interface ModernRequest {
  headers: Headers;
  body: { id?: number; method: string; params?: Record<string, unknown> };
}

const META = 'io.modelcontextprotocol/';

function decodeHeader(value: string | null): string | null {
  if (value === null) return null;
  const match = /^=\?base64\?(.*)\?=$/.exec(value);
  if (!match) return value;
  return new TextDecoder().decode(
    Uint8Array.from(atob(match[1]!), (character) => character.charCodeAt(0)),
  );
}

const TOOLS = [
  {
    name: 'run_query',
    description: 'Runs a query in a region',
    inputSchema: {
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        query: { type: 'string' },
      },
    },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'bad_header_tool',
    description: 'Its x-mcp-header is on a number, which the spec forbids',
    inputSchema: { type: 'object', properties: { n: { type: 'number', 'x-mcp-header': 'N' } } },
  },
  { name: 'stream_tool', description: 'Streams progress', inputSchema: { type: 'object' } },
  { name: 'needs_input', description: 'Asks for elicitation', inputSchema: { type: 'object' } },
];

/**
 * A hand-written 2026-07-28 (stateless) Streamable HTTP server that validates the standard and
 * custom headers against the body, as the spec requires of servers. With `supported` listing only
 * legacy versions it rejects modern requests with UnsupportedProtocolVersionError and answers
 * `initialize`, like a dual-era server that has switched modern support off.
 */
export async function startModernServer(
  supported: string[] = ['2026-07-28'],
): Promise<ServedHandler & { gateway: string; requests: ModernRequest[] }> {
  const requests: ModernRequest[] = [];
  const error = (id: unknown, status: number, code: number, message: string, data?: unknown) =>
    Response.json({ jsonrpc: '2.0', id: id ?? null, error: { code, message, data } }, { status });
  const served = await serveHandler(async (request) => {
    if (request.method !== 'POST') return new Response(null, { status: 405 });
    const body = (await request.json()) as ModernRequest['body'];
    requests.push({ headers: request.headers, body });
    const { id, method, params = {} } = body;
    if (method === 'initialize') {
      const legacy = supported.find((version) => version < '2026');
      if (!legacy) return error(id, 400, -32022, 'Unsupported protocol version', { supported });
      return Response.json({
        jsonrpc: '2.0',
        id,
        result: {
          protocolVersion: legacy,
          capabilities: { tools: {} },
          serverInfo: { name: 'dual', version: '1' },
        },
      });
    }
    if (id === undefined) return new Response(null, { status: 202 });
    const version = request.headers.get('mcp-protocol-version');
    if (version === null) return error(id, 400, -32020, 'Missing MCP-Protocol-Version');
    if (!supported.includes(version)) {
      return error(id, 400, -32022, 'Unsupported protocol version', {
        supported,
        requested: version,
      });
    }
    const modern = version >= '2026';
    const meta = (params._meta ?? {}) as Record<string, unknown>;
    if (modern && meta[`${META}protocolVersion`] !== version)
      return error(id, 400, -32020, 'Version mismatch');
    if (modern && typeof meta[`${META}clientInfo`] !== 'object')
      return error(id, 400, -32020, 'No clientInfo');
    if (modern && request.headers.get('mcp-method') !== method)
      return error(id, 400, -32020, 'Mcp-Method mismatch');
    const name = params.name ?? params.uri;
    if (modern && ['tools/call', 'resources/read', 'prompts/get'].includes(method)) {
      if (decodeHeader(request.headers.get('mcp-name')) !== name)
        return error(id, 400, -32020, 'Mcp-Name mismatch');
    }
    const result = (value: Record<string, unknown>) =>
      Response.json({ jsonrpc: '2.0', id, result: { resultType: 'complete', ...value } });
    switch (method) {
      case 'server/discover':
        return result({
          supportedVersions: supported,
          capabilities: { tools: {} },
          ttlMs: 0,
          cacheScope: 'public',
          _meta: { [`${META}serverInfo`]: { name: 'modern-fixture', version: '1.0.0' } },
        });
      case 'tools/list':
        return result({ tools: TOOLS, ttlMs: 0, cacheScope: 'public' });
      case 'tools/call': {
        const args = (params.arguments ?? {}) as Record<string, unknown>;
        if (name === 'run_query' && modern) {
          const header = decodeHeader(request.headers.get('mcp-param-region'));
          const expected =
            args.region === undefined || args.region === null ? null : String(args.region);
          if (header !== expected) return error(id, 400, -32020, 'Mcp-Param-Region mismatch');
          return result({
            content: [{ type: 'text', text: `${String(args.query)} in ${String(args.region)}` }],
          });
        }
        if (name === 'stream_tool') {
          const token = meta.progressToken;
          const events = [
            {
              jsonrpc: '2.0',
              method: 'notifications/progress',
              params: { progressToken: token, progress: 1, total: 2 },
            },
            {
              jsonrpc: '2.0',
              method: 'notifications/progress',
              params: { progressToken: token, progress: 2, total: 2 },
            },
            {
              jsonrpc: '2.0',
              id,
              result: { resultType: 'complete', content: [{ type: 'text', text: 'streamed' }] },
            },
          ];
          return new Response(
            events.map((event) => `event: message\ndata: ${JSON.stringify(event)}\n\n`).join(''),
            {
              headers: { 'content-type': 'text/event-stream' },
            },
          );
        }
        if (name === 'needs_input') {
          return Response.json({
            jsonrpc: '2.0',
            id,
            result: {
              resultType: 'input_required',
              inputRequests: { ask: { method: 'elicitation/create', params: {} } },
            },
          });
        }
        return error(id, 200, -32602, `Unknown tool ${String(name)}`);
      }
      default:
        return error(id, 404, -32601, 'Method not found');
    }
  });
  return { ...served, gateway: served.origin, requests };
}
