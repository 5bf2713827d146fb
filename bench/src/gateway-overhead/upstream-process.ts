/**
 * Benchmark child process: the smallest real MCP server — the official SDK's McpServer over
 * Streamable HTTP with sessions and JSON responses, one read-only `echo` tool. Prints its URL;
 * answers `cpu` on IPC with its CPU usage.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const sessions = new Map<string, StreamableHTTPServerTransport>();

function createMcp(): McpServer {
  const server = new McpServer({ name: 'bench-upstream', version: '1.0.0' });
  server.registerTool(
    'echo',
    {
      description: 'Echoes its text',
      inputSchema: { text: z.string() },
      annotations: { readOnlyHint: true },
    },
    async ({ text }) => ({ content: [{ type: 'text' as const, text }] }),
  );
  return server;
}

const http = createServer((request, response) => {
  const id = request.headers['mcp-session-id'];
  const known = typeof id === 'string' ? sessions.get(id) : undefined;
  if (known) {
    void known.handleRequest(request, response);
    return;
  }
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    enableJsonResponse: true,
    onsessioninitialized: (sessionId) => {
      sessions.set(sessionId, transport);
    },
  });
  void createMcp()
    .connect(transport)
    .then(() => transport.handleRequest(request, response));
});
http.keepAliveTimeout = 65_000;
http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp\n`);
});
process.on('SIGTERM', () => http.close(() => process.exit(0)));
process.on('message', () => process.send?.(process.cpuUsage()));
