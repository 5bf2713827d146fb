/** Tool calls run as MCP tasks, through the real gateway to vault's sync, in both eras. */
import { type RunningServer, startServer } from '@tekup/demo-servers';
import { createGateway, type Gateway } from '@tekup/mcp-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayClient, type McpTask } from '../src/index';
import { DEMO_MEMBER } from './demo-member';

let vault: RunningServer;
let gateway: Gateway;
const clients: GatewayClient[] = [];

beforeAll(async () => {
  vault = await startServer('vault', { port: 0, embeddings: 'off' });
  gateway = createGateway({
    servers: { vault: { instances: [vault.url], tenancy: 'internal' } },
    operators: { tenants: [DEMO_MEMBER.tenantId as string] },
    healthChecks: false,
    authenticate: async () => DEMO_MEMBER,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await gateway.close();
  await vault.close();
});

function connect(protocolVersion: string | undefined): GatewayClient {
  const client = createGatewayClient({
    gateway: 'http://gateway.test',
    servers: ['vault'],
    fetch: (input, init) => gateway.fetch(new Request(input, init)),
    ...(protocolVersion ? { protocolVersion } : {}),
  });
  clients.push(client);
  return client;
}

describe.each([
  { era: 'negotiated', version: undefined },
  { era: '2025-11-25', version: '2025-11-25' },
])('tasks ($era)', ({ version }) => {
  it('lists the sync as able to run as a task, runs it, polls it and fetches its result', async () => {
    const client = connect(version);
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.tool === 'trigger_sync')?.taskSupport).toBe('optional');
    const { server, task } = await client.startTask('vault__trigger_sync', {});
    expect(server).toBe('vault');
    let current: McpTask = task;
    while (current.status === 'working') {
      // Polled at the server's interval: tasks have no push.
      await new Promise((resolve) => setTimeout(resolve, Math.min(task.pollInterval ?? 100, 250)));
      current = await client.getTask(server, task.taskId);
    }
    expect(current.status).toBe('completed');
    const result = await client.taskResult(server, task.taskId);
    expect((result.structuredContent as { synced: string[] }).synced.length).toBeGreaterThan(1);
  });

  it('cancels a running task', async () => {
    const client = connect(version);
    const { server, task } = await client.startTask('vault__trigger_sync', {});
    expect((await client.cancelTask(server, task.taskId)).status).toBe('cancelled');
    expect((await client.getTask(server, task.taskId)).status).toBe('cancelled');
  });
});
