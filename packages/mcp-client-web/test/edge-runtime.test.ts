// @vitest-environment edge-runtime
import { describe, expect, inject, it } from 'vitest';
import { createGatewayClient } from '../src/index';

describe('in the Vercel edge runtime', () => {
  it('runs inside the edge VM', () => {
    expect(typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe('string');
  });

  it('talks to official SDK servers with sessions, SSE and progress', async () => {
    const client = createGatewayClient({
      gateway: inject('sdkGateway'),
      servers: ['alpha', 'beta'],
    });
    const { tools, failures } = await client.listTools();
    expect(failures).toEqual([]);
    expect(tools.map((tool) => tool.name)).toContain('beta__echo');
    await expect(client.callTool('beta__echo', { text: 'edge' })).resolves.toMatchObject({
      content: [{ type: 'text', text: 'beta: edge' }],
    });
    const progress: number[] = [];
    await client.callTool(
      'alpha__slow',
      { steps: 2, ms: 0 },
      { onProgress: (update) => progress.push(update.progress) },
    );
    expect(progress).toEqual([1, 2]);
    const timeout = await client
      .callTool('alpha__slow', { ms: 60_000 }, { timeoutMs: 100 })
      .catch((error) => error);
    expect(timeout).toMatchObject({ code: 'timeout' });
    await client.close();
  });

  it('talks to a 2026-07-28 server with x-mcp-header parameters', async () => {
    const client = createGatewayClient({ gateway: inject('modernGateway'), servers: ['db'] });
    await client.listTools();
    const result = await client.callTool('db__run_query', { region: 'Ærø', query: 'q' });
    expect(result.content).toEqual([{ type: 'text', text: 'q in Ærø' }]);
    expect(client.server('db').status().era).toBe('modern');
    await client.close();
  });

  it('lists and calls demo fleet tools through the real gateway', async () => {
    const client = createGatewayClient({
      gateway: inject('fleetGateway'),
      servers: ['billy', 'calendar'],
    });
    const { tools, failures } = await client.listTools();
    expect(failures).toEqual([]);
    expect(tools.map((tool) => tool.name)).toContain('calendar__list_events');
    const result = await client.callTool('billy__list_invoices', {});
    expect(result.isError).not.toBe(true);
    expect(client.server('billy').status().era).toBe('modern');
    await client.close();
  });
});
