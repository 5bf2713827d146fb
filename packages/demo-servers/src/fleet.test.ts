import { createConnection } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { startFleet } from './fleet.js';
import { DEFAULT_PORTS, SERVER_NAMES } from './manifest.js';
import { startServer } from './start-server.js';
import { connectTestClient, TEKUP_CALLER } from './test-client.js';

const TOOL_COUNTS = {
  billy: 14,
  database: 3,
  knowledge: 3,
  'code-intelligence': 3,
  vault: 6,
  calendar: 6,
} as const;

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of process.getActiveResourcesInfo())
    counts[resource] = (counts[resource] ?? 0) + 1;
  return counts;
}

describe('fleet', () => {
  it('starts every server (two billy instances), lists their tools and shuts down cleanly', async () => {
    const baseline = resourceCounts();
    const fleet = await startFleet({
      basePort: 0,
      instances: { billy: 2 },
      now: new Date('2026-03-04T09:30:00Z'),
    });
    expect(fleet.servers).toHaveLength(SERVER_NAMES.length + 1);
    expect(fleet.urls.billy).toHaveLength(2);
    const ports = fleet.servers.map((server) => server.port);
    expect(new Set(ports).size).toBe(ports.length);

    for (const server of fleet.servers) {
      const health = await fetch(server.url.replace('/mcp', '/health'));
      expect(((await health.json()) as { status: string }).status).toBe('ok');
      const client = await connectTestClient(server.url, { caller: TEKUP_CALLER });
      const { tools } = await client.client.listTools();
      expect(tools.length, server.name).toBe(TOOL_COUNTS[server.name]);
      expect(client.client.getServerVersion()?.name).toBe(`tekup-${server.name}`);
      await client.close();
    }

    await fleet.close();
    for (const port of ports) expect(await refused(port)).toBe(true);
    // Client-side keep-alive sockets close when they read the server's FIN, a tick later.
    await vi.waitFor(
      () => {
        const after = resourceCounts();
        for (const kind of ['TCPServerWrap', 'TCPSocketWrap', 'MessagePort', 'Worker']) {
          expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(baseline[kind] ?? 0);
        }
      },
      { timeout: 3000, interval: 20 },
    );
    // Checked after waitFor has cleared its own timers: no session sweeper or keep-alive left.
    expect(resourceCounts().Timeout ?? 0).toBeLessThanOrEqual(baseline.Timeout ?? 0);
  }, 60_000);

  it('shares state between instances of one server, like replicas over one database', async () => {
    const fleet = await startFleet({ basePort: 0, servers: ['billy'], instances: { billy: 2 } });
    const [first, second] = fleet.urls.billy;
    const one = await connectTestClient(first as string, { caller: TEKUP_CALLER });
    const two = await connectTestClient(second as string, { caller: TEKUP_CALLER });
    try {
      const created = await one.call('create_invoice', {
        customer: 'Nordlys Rengøring',
        lines: [{ description: 'Window cleaning', quantity: 2, unitPrice: 400 }],
      });
      expect(created.isError).toBeFalsy();
      const { id } = (created.structuredContent as { invoice: { id: string } }).invoice;
      const fetched = await two.call('get_invoice', { invoiceId: id });
      expect(fetched.isError).toBeFalsy();
      expect((fetched.structuredContent as { invoice: { total: number } }).invoice.total).toBe(
        1000,
      );
    } finally {
      await one.close();
      await two.close();
      await fleet.close();
    }
  }, 60_000);

  it('puts instance k of a server on its port + 10k and refuses unknown names', async () => {
    const fleet = await startFleet({
      servers: ['calendar'],
      instances: { calendar: 2 },
      basePort: 24_101,
    });
    expect(fleet.urls.calendar).toEqual([
      `http://127.0.0.1:${24_101 + DEFAULT_PORTS.calendar - DEFAULT_PORTS.billy}/mcp`,
      `http://127.0.0.1:${24_111 + DEFAULT_PORTS.calendar - DEFAULT_PORTS.billy}/mcp`,
    ]);
    expect(fleet.urls.billy).toEqual([]);
    await fleet.close();
    await expect(startFleet({ servers: ['nope' as 'billy'] })).rejects.toThrow(
      /unknown server "nope"/,
    );
    await expect(startServer('billy', { port: -1 })).rejects.toMatchObject({
      code: 'invalid_argument',
      field: 'port',
    });
    await expect(startServer('billy', { port: 0, now: new Date('nope') })).rejects.toThrow(
      /^now: /,
    );
  });

  it('stops the servers it started when one port is taken', async () => {
    const blocker = await startServer('vault', { port: 0, embeddings: 'off' });
    const base = blocker.port - (DEFAULT_PORTS.vault - DEFAULT_PORTS.billy);
    await expect(startFleet({ servers: ['billy', 'vault'], basePort: base })).rejects.toThrow(
      /cannot listen/,
    );
    expect(await refused(base)).toBe(true);
    await blocker.close();
  });
});
