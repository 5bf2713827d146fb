import { McpClientError } from '@tekup/mcp-client-web';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/fake-clock';
import { createTestGateway } from '../../test/harness';
import type { AssistantState } from './state';
import { createStore } from './store';
import { createToolCatalog } from './tool-catalog';

function setup() {
  const fake = createFakeClock();
  const { tools } = createTestGateway([
    { server: 'billy', tool: 'list_invoices', readOnly: true, run: () => ({ content: [] }) },
    { server: 'vault', tool: 'search', readOnly: true, run: () => ({ content: [] }) },
  ]);
  let listings = 0;
  const store = createStore({
    tools: [],
    toolsStatus: 'idle',
    toolsError: undefined,
    toolsListedAt: undefined,
    failures: [],
  } as unknown as AssistantState);
  const catalog = createToolCatalog({
    store,
    clock: fake.clock,
    servers: ['billy'],
    gateway: 'http://gateway.test',
    getClient: () => ({
      listTools: async () => {
        listings++;
        return {
          tools,
          failures: [{ server: 'calendar', error: new McpClientError('timeout', 'slow') }],
        };
      },
      callTool: async () => ({ content: [] }),
    }),
  });
  return { fake, store, catalog, listings: () => listings };
}

describe('createToolCatalog', () => {
  it('offers only the configured servers and says why others are missing', async () => {
    const { store, catalog } = setup();
    const tools = await catalog.load();
    expect(tools.map((tool) => tool.name)).toEqual(['billy_list_invoices']);
    expect(catalog.get('billy_list_invoices')?.server).toBe('billy');
    expect(catalog.get('vault_search')).toBeUndefined();
    expect(store.getState()).toMatchObject({
      toolsStatus: 'ready',
      toolsListedAt: 1_000_000,
      failures: [
        {
          server: 'calendar',
          code: 'timeout',
          message: 'The server "calendar" did not answer in time.',
        },
      ],
    });
  });

  it('lists again for a view only when the listing is over 5 minutes old', async () => {
    const { fake, catalog, listings } = setup();
    catalog.refreshIfStale();
    catalog.refreshIfStale();
    await Promise.resolve();
    await Promise.resolve();
    expect(listings()).toBe(1);
    fake.advance(5 * 60_000);
    catalog.refreshIfStale();
    expect(listings()).toBe(1);
    fake.advance(1);
    catalog.refreshIfStale();
    expect(listings()).toBe(2);
  });

  it('shares one listing between a view and a send', async () => {
    const { catalog, listings } = setup();
    catalog.refreshIfStale();
    const tools = await catalog.ensure();
    expect(tools).toHaveLength(1);
    expect(listings()).toBe(1);
  });
});
