import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CALLER_META_KEY, type Caller } from './core/caller.js';
import { TENANTS } from './demo-data.js';

/** A member of the first demo organization (Tekup Demo ApS, the operator). */
export const TEKUP_CALLER: Caller = {
  userId: '10000000-0000-4000-8000-000000000001',
  role: 'admin',
  tenantId: TENANTS[0].id,
};

/** A member of the second demo organization (Nordlys Rengøring ApS). */
export const NORDLYS_CALLER: Caller = {
  userId: '10000000-0000-4000-8000-000000000003',
  role: 'member',
  tenantId: TENANTS[1].id,
};

/** A connected SDK client plus a typed call helper (test support, not exported). */
export interface TestClient {
  client: Client;
  call(name: string, args?: Record<string, unknown>, caller?: Caller): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * Connects the SDK's real Client over Streamable HTTP. Calls carry `options.caller` (as the
 * gateway would forward it) unless a call names its own; `null` sends none.
 */
export async function connectTestClient(
  url: string,
  options: { caller?: Caller } = {},
): Promise<TestClient> {
  const client = new Client({ name: 'demo-servers-test', version: '0.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return {
    client,
    call: async (name, args = {}, caller = options.caller) =>
      (await client.callTool({
        name,
        arguments: args,
        ...(caller ? { _meta: { [CALLER_META_KEY]: caller } } : {}),
      })) as CallToolResult,
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}

/** The text of a tool result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first && first.type === 'text' ? first.text : '';
}
