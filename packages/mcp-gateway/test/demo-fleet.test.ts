/**
 * The gateway in front of the real demo fleet (@tekup/demo-servers): two billy instances
 * behind one endpoint, tenant identity forwarded per request, failover when one stops.
 */
import {
  OPERATOR_TENANTS,
  type RunningServer,
  SERVER_NAMES,
  serverPolicy,
  startServer,
} from '@tekup/demo-servers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGateway, type Gateway, parseConfigText } from '../src/index.js';
import { callTool, post, rpc } from './helpers.js';

let instances: RunningServer[] = [];
let gateway: Gateway;

beforeAll(async () => {
  instances = await Promise.all([
    startServer('billy', { port: 0 }),
    startServer('billy', { port: 0 }),
  ]);
  gateway = createGateway({
    servers: { billy: { instances: instances.map((instance) => instance.url) } },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    authenticate: async () => ({
      id: 'user-1',
      kind: 'user',
      role: 'member',
      tenantId: '00000000-0000-4000-8000-000000000001',
    }),
    healthChecks: false,
  });
}, 60_000);

afterAll(async () => {
  await gateway.close();
  await Promise.all(instances.map((instance) => instance.close().catch(() => undefined)));
});

it('lists billy tools with their annotations through the gateway', async () => {
  const response = await post(gateway, 'billy', rpc('tools/list'));
  const tools = (
    (await response.json()) as {
      result: { tools: { name: string; annotations?: { readOnlyHint?: boolean } }[] };
    }
  ).result.tools;
  const listCustomers = tools.find((tool) => tool.name === 'list_customers');
  expect(listCustomers?.annotations?.readOnlyHint).toBe(true);
});

it('calls a read-only billy tool on both instances (round-robin)', async () => {
  for (let index = 0; index < 4; index++) {
    const call = await callTool(gateway, 'billy', 'list_customers', { limit: 5 });
    expect(call.status).toBe(200);
    const result = call.body.result as { structuredContent: { customers: unknown[] } };
    expect(result.structuredContent.customers.length).toBeGreaterThan(0);
  }
  const counts = gateway.status()[0]?.instances.map((instance) => instance.requests) ?? [];
  expect(counts.every((count) => (count ?? 0) >= 2)).toBe(true);
});

it('keeps read-only calls working when one instance stops', async () => {
  await instances[1]?.close();
  for (let index = 0; index < 6; index++) {
    const call = await callTool(gateway, 'billy', 'list_customers', { limit: 1 });
    expect(call.status).toBe(200);
  }
});

it('deploy/gateway.config.yaml declares the tenancy and data feeds of the fleet manifest', async () => {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(
    new URL('../../../deploy/gateway.config.yaml', import.meta.url),
    'utf8',
  );
  const env = {
    DEMO_FLEET_HOST: 'fleet.internal',
    MCP_GATEWAY_SESSION_SECRET: 'a-session-secret-for-this-check',
    DASHBOARD_KEY_ID: '0123456789abcdef',
    DASHBOARD_KEY_SHA256: 'a'.repeat(64),
  };
  const config = parseConfigText(text, 'yaml', env);
  for (const name of SERVER_NAMES) {
    const server = config.servers[name];
    expect(server?.tenancy, name).toBe(serverPolicy(name).tenancy);
    expect([...(server?.invalidates ?? [])].sort(), name).toEqual(
      [...serverPolicy(name).invalidates].sort(),
    );
  }
  expect(config.operators.tenants).toEqual([...OPERATOR_TENANTS]);
});
