import { serverPolicy, startFleet, TENANTS } from '@tekup/demo-servers';
import { createGateway } from '@tekup/mcp-gateway';
import { createGatewayClient, type ToolSpec, toolSpecs } from '@tekup/mcp-client-web';
import type { UIMessage, UIMessageChunk } from 'ai';

/** The tools of the demo fleet's billy, calendar and knowledge servers, as a browser sends them. */
async function listDemoTools(): Promise<ToolSpec[]> {
  const servers = ['billy', 'calendar', 'knowledge'] as const;
  const fleet = await startFleet({ basePort: 0, servers: [...servers], stateless: true });
  const gateway = createGateway({
    servers: Object.fromEntries(
      servers.map((name) => [name, { instances: fleet.urls[name], ...serverPolicy(name) }]),
    ),
    healthChecks: false,
    authenticate: async () => ({
      id: '10000000-0000-4000-8000-000000000002',
      kind: 'user',
      role: 'member',
      tenantId: TENANTS[0].id,
    }),
  });
  const client = createGatewayClient({
    gateway: 'http://gateway.test',
    servers: [...servers],
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) =>
      gateway.fetch(new Request(input, init))) as typeof fetch,
  });
  try {
    return toolSpecs((await client.listTools()).tools);
  } finally {
    await client.close();
    await gateway.close();
    await fleet.close();
  }
}

/** The real demo fleet's tool list (billy, calendar, knowledge), listed once per test file. */
export const DEMO_TOOL_SPECS = await listDemoTools();

/** Reads a UI message stream response (SSE) into its chunks. */
export async function readChunks(response: Response): Promise<UIMessageChunk[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .map((event) => event.trim())
    .filter((event) => event.startsWith('data: ') && event !== 'data: [DONE]')
    .map((event) => JSON.parse(event.slice('data: '.length)) as UIMessageChunk);
}

/** The text of all text deltas in a chunk list. */
export function textOf(chunks: UIMessageChunk[]): string {
  return chunks.map((chunk) => (chunk.type === 'text-delta' ? chunk.delta : '')).join('');
}

export function userMessage(text: string, id = 'u1'): UIMessage {
  return { id, role: 'user', parts: [{ type: 'text', text }] };
}

export function chatRequest(body: unknown, init: RequestInit = {}): Request {
  return new Request('http://127.0.0.1/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
}

export const INVOICES = [
  { id: 'INV-1001', customer: 'Acme ApS', total: 12500, currency: 'DKK', status: 'paid' },
  { id: 'INV-1002', customer: 'Acme ApS', total: 4250, currency: 'DKK', status: 'paid' },
  { id: 'INV-1003', customer: 'Acme ApS', total: 800, currency: 'DKK', status: 'paid' },
];
