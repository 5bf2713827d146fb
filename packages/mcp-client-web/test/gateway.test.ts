import { type RunningServer, startServer } from '@tekup/demo-servers';
import { DEMO_MEMBER } from './demo-member';
import { createGateway, type Gateway } from '@tekup/mcp-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayClient } from '../src/index';
import { type ServedHandler, serveHandler } from './http-server';

let fleet: RunningServer[] = [];
let gateway: Gateway;
let served: ServedHandler;

beforeAll(async () => {
  fleet = await Promise.all([
    startServer('billy', { port: 0 }),
    startServer('calendar', { port: 0 }),
  ]);
  gateway = createGateway({
    servers: Object.fromEntries(fleet.map((server) => [server.name, { instances: [server.url] }])),
    healthChecks: false,
    // A member of the first demo organization: billy and calendar keep books per organization.
    authenticate: async () => DEMO_MEMBER,
  });
  served = await serveHandler((request) => gateway.fetch(request));
}, 60_000);

afterAll(async () => {
  await served?.close();
  await gateway?.close();
  await Promise.all(fleet.map((server) => server.close()));
});

const clients: GatewayClient[] = [];
function connect(
  options: { protocolVersion?: string; inProcess?: boolean; servers?: string[] } = {},
) {
  const client = createGatewayClient({
    gateway: served.origin,
    servers: options.servers ?? ['billy', 'calendar'],
    ...(options.protocolVersion ? { protocolVersion: options.protocolVersion } : {}),
    ...(options.inProcess
      ? {
          fetch: (input: RequestInfo | URL, init?: RequestInit) =>
            gateway.fetch(new Request(input, init)),
        }
      : {}),
  });
  clients.push(client);
  return client;
}

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
});

describe.each([
  { label: 'negotiated, over HTTP', options: {} },
  { label: 'pinned 2025-11-25, over HTTP', options: { protocolVersion: '2025-11-25' } },
  { label: 'negotiated, in-process gateway.fetch', options: { inProcess: true } },
])('the real gateway and demo fleet ($label)', ({ options }) => {
  it('lists the fleet tools with safety hints and calls them', async () => {
    const client = connect(options);
    const { tools, failures } = await client.listTools();
    expect(failures).toEqual([]);
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('billy__list_invoices');
    expect(names).toContain('calendar__create_event');
    for (const tool of tools) expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    const listInvoices = tools.find((tool) => tool.name === 'billy__list_invoices');
    expect(listInvoices?.annotations.readOnly).toBe(true);
    const createEvent = tools.find((tool) => tool.name === 'calendar__create_event');
    expect(createEvent?.annotations.readOnly).toBe(false);

    const result = await client.callTool('billy__list_invoices', {});
    expect(result.isError).not.toBe(true);
    expect(
      result.content.length + Object.keys(result.structuredContent ?? {}).length,
    ).toBeGreaterThan(0);
    const status = client.server('billy').status();
    expect(status.era).toBe(options.protocolVersion ? 'legacy' : 'modern');
  });
});

describe('gateway errors', () => {
  it('reports an unknown server as a failure with the gateway code, without hiding the others', async () => {
    const client = connect({ servers: ['billy', 'nonexistent'] });
    const { tools, failures } = await client.listTools();
    expect(tools.some((tool) => tool.server === 'billy')).toBe(true);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ server: 'nonexistent' });
    expect(failures[0]?.error).toMatchObject({
      code: 'http',
      status: 404,
      gatewayCode: 'unknown_server',
    });
  });
});
