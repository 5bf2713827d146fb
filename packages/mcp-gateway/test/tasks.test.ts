/**
 * MCP tasks through two gateway instances: vault's sync created as a task on one, polled,
 * fetched and cancelled through the other, by its creator only.
 */
import { OPERATOR_TENANTS, type RunningServer, startServer } from '@tekup/demo-servers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGateway, type Gateway, type Principal } from '../src/index.js';
import { errorCode, post, rpc } from './helpers.js';

const operator = OPERATOR_TENANTS[0] as string;
const users: Record<string, Principal> = {
  anna: { id: 'anna', kind: 'user', role: 'admin', tenantId: operator },
  bo: { id: 'bo', kind: 'user', role: 'admin', tenantId: operator },
};

let vault: RunningServer;
let first: Gateway;
let second: Gateway;

function instance(): Gateway {
  return createGateway({
    servers: { vault: { instances: [vault.url], tenancy: 'internal' } },
    operators: { tenants: [operator] },
    sessionSecret: 'the secret two gateway instances share',
    authenticate: async (request) =>
      users[request.headers.get('x-test-user') ?? 'anna'] as Principal,
    healthChecks: false,
  });
}

beforeAll(async () => {
  vault = await startServer('vault', { port: 0, embeddings: 'off' });
  first = instance();
  second = instance();
}, 60_000);

afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
  await vault.close();
});

async function call(
  gateway: Gateway,
  method: string,
  params: Record<string, unknown>,
  user = 'anna',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await post(gateway, 'vault', rpc(method, params), {
    headers: { accept: 'application/json', 'x-test-user': user },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Task {
  taskId: string;
  status: string;
  statusMessage?: string;
  pollInterval?: number;
}

async function startSync(): Promise<Task> {
  const created = await call(first, 'tools/call', {
    name: 'trigger_sync',
    arguments: {},
    task: { ttl: 60_000 },
  });
  const task = (created.body.result as { task: Task }).task;
  expect(task.status).toBe('working');
  return task;
}

it('offers task-augmented tool calls and cancellation, not a listing of a shared session', async () => {
  const { body } = await call(first, 'initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 't', version: '1' },
  });
  expect((body.result as { capabilities: Record<string, unknown> }).capabilities.tasks).toEqual({
    requests: { tools: { call: {} } },
    cancel: {},
  });
});

it('creates a task on one instance; the other polls it to its end and fetches the result', async () => {
  const task = await startSync();
  // The upstream's own id stays inside the gateway's.
  expect(task.taskId.length).toBeGreaterThan(100);
  let current: Task = task;
  const messages = new Set<string>();
  while (current.status === 'working') {
    // The protocol polls at the interval the server asks for.
    await new Promise((resolve) => setTimeout(resolve, Math.min(task.pollInterval ?? 100, 250)));
    current = (await call(second, 'tasks/get', { taskId: task.taskId })).body.result as Task;
    if (current.statusMessage) messages.add(current.statusMessage);
    expect(current.taskId).toBe(task.taskId);
  }
  expect(current.status).toBe('completed');
  expect([...messages].some((message) => message.startsWith('Synced '))).toBe(true);
  const result = await call(second, 'tasks/result', { taskId: task.taskId });
  const synced = (result.body.result as { structuredContent: { synced: string[] } })
    .structuredContent.synced;
  expect(synced.length).toBeGreaterThan(1);
});

it('cancels a task part way; nobody else can see or cancel it', async () => {
  const task = await startSync();
  const foreign = await call(second, 'tasks/get', { taskId: task.taskId }, 'bo');
  expect(foreign.status).toBe(410);
  expect(errorCode(foreign.body)).toBe('continuation_expired');
  const forged = await call(second, 'tasks/cancel', { taskId: 'not-a-task' });
  expect(errorCode(forged.body)).toBe('continuation_expired');
  const cancelled = await call(second, 'tasks/cancel', { taskId: task.taskId });
  expect((cancelled.body.result as Task).status).toBe('cancelled');
  expect((cancelled.body.result as Task).taskId).toBe(task.taskId);
});
