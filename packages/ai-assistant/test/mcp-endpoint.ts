import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

/** One tool of an in-test MCP server. */
export interface EndpointTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  run: (args: Record<string, unknown>) => {
    content: Array<{ type: 'text'; text: string }>;
    structuredContent?: Record<string, unknown>;
    isError?: boolean;
  };
}

/**
 * A real Streamable HTTP MCP server (the official SDK, stateless) answering `Request`s
 * in-process, so the browser client speaks the real protocol without a socket.
 */
export function createMcpEndpoint(name: string, tools: EndpointTool[]) {
  const calls: Array<{ name: string; args: Record<string, unknown> }> = [];
  return {
    calls,
    async handle(request: Request): Promise<Response> {
      const server = new Server({ name, version: '1.0.0' }, { capabilities: { tools: {} } });
      server.setRequestHandler(ListToolsRequestSchema, async () => ({
        tools: tools.map(({ run: _run, ...tool }) => tool),
      }));
      server.setRequestHandler(CallToolRequestSchema, async (call) => {
        const tool = tools.find((item) => item.name === call.params.name);
        const args = (call.params.arguments ?? {}) as Record<string, unknown>;
        calls.push({ name: call.params.name, args });
        if (!tool) return { content: [{ type: 'text', text: 'unknown tool' }], isError: true };
        return tool.run(args);
      });
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      await server.connect(transport);
      return transport.handleRequest(request);
    },
  };
}
