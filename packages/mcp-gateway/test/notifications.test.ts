/**
 * What an upstream announces outside any request, through the gateway to 2025-era clients on
 * their sessions' GET streams: resource updates to the sessions subscribed to that resource
 * only, list changes to every client of the server; subscriptions refused where an update
 * could not be told to the right organization.
 */
import { type RunningServer, startServer } from '@tekup/demo-servers';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGateway, type Gateway, type Principal } from '../src/index.js';
import { type FixtureServer, startFixtureServer } from './fixtures/fixture-server.js';
import { errorCode, post, rpc } from './helpers.js';

const tenantId = '00000000-0000-4000-8000-000000000001';
const users: Record<string, Principal> = {
  anna: { id: 'anna', kind: 'user', role: 'member', tenantId },
  bo: { id: 'bo', kind: 'user', role: 'member', tenantId },
};

let upstream: FixtureServer;
let billy: RunningServer;
let gateway: Gateway;

beforeAll(async () => {
  upstream = await startFixtureServer({ name: 'notifications' });
  billy = await startServer('billy', { port: 0 });
  gateway = createGateway({
    servers: {
      docs: { instances: [upstream.url], tenancy: 'shared' },
      billy: { instances: [billy.url], tenancy: 'tenant' },
    },
    authenticate: async (request) =>
      users[request.headers.get('x-test-user') ?? 'anna'] as Principal,
    healthChecks: false,
  });
}, 60_000);

afterAll(async () => {
  await gateway.close();
  await upstream.stop();
  await billy.close();
});

/** An official SDK client of `server` as `user`; it opens its session's GET stream itself. */
async function connect(user: string, server = 'docs') {
  const heard: { method: string; uri?: string }[] = [];
  const waiters: Array<() => void> = [];
  const hear = (item: { method: string; uri?: string }) => {
    heard.push(item);
    for (const waiter of waiters.splice(0)) waiter();
  };
  /** Resolves once something heard matches (the test's timeout bounds the wait). */
  const until = async (match: (item: { method: string; uri?: string }) => boolean) => {
    while (!heard.some(match)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const client = new Client({ name: `notifications-${user}`, version: '1.0.0' });
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, async (notification) => {
    hear({ method: notification.method, uri: notification.params.uri });
  });
  client.setNotificationHandler(ToolListChangedNotificationSchema, async (notification) => {
    hear({ method: notification.method });
  });
  // The SDK opens the session's GET stream after connecting, without waiting: wait for it here.
  let listening: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    listening = resolve;
  });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://gateway/mcp/${server}`), {
      fetch: async (url, init) => {
        const headers = new Headers(init?.headers);
        headers.set('x-test-user', user);
        const response = await gateway.fetch(new Request(url, { ...init, headers }));
        if (init?.method === 'GET') listening();
        return response;
      },
    }),
  );
  await opened;
  return { client, heard, until };
}

it('sends a resource update to the subscribed session only, and stops after unsubscribe', async () => {
  const anna = await connect('anna');
  const bo = await connect('bo');
  expect(anna.client.getServerCapabilities()?.resources?.subscribe).toBe(true);
  await anna.client.subscribeResource({ uri: 'test://watched-resource' });
  await anna.client.callTool({
    name: 'touch_resource',
    arguments: { uri: 'test://watched-resource' },
  });
  await anna.until((item) => item.uri === 'test://watched-resource');
  expect(bo.heard.filter((item) => item.uri !== undefined)).toEqual([]);

  await anna.client.unsubscribeResource({ uri: 'test://watched-resource' });
  const before = anna.heard.length;
  const touched = await anna.client.callTool({
    name: 'touch_resource',
    arguments: { uri: 'test://watched-resource' },
  });
  // The upstream was unsubscribed with the last subscriber: it has nobody to announce to.
  expect(JSON.stringify(touched)).toContain('nobody subscribed');
  expect(anna.heard.length).toBe(before);
  await Promise.all([anna.client.close(), bo.client.close()]);
});

it('keeps the upstream subscribed while another session still wants the resource', async () => {
  const anna = await connect('anna');
  const bo = await connect('bo');
  await anna.client.subscribeResource({ uri: 'test://shared' });
  await bo.client.subscribeResource({ uri: 'test://shared' });
  await anna.client.unsubscribeResource({ uri: 'test://shared' });
  await anna.client.callTool({ name: 'touch_resource', arguments: { uri: 'test://shared' } });
  await bo.until((item) => item.uri === 'test://shared');
  expect(anna.heard.some((item) => item.uri === 'test://shared')).toBe(false);
  await Promise.all([anna.client.close(), bo.client.close()]);
});

it('tells every client of the server that its tools changed', async () => {
  const anna = await connect('anna');
  const bo = await connect('bo');
  await anna.client.callTool({ name: 'add_tool', arguments: {} });
  const changed = (item: { method: string }) => item.method === 'notifications/tools/list_changed';
  await Promise.all([anna.until(changed), bo.until(changed)]);
  await Promise.all([anna.client.close(), bo.client.close()]);
});

it('refuses subscriptions on a server that keeps books per organization, and without a session', async () => {
  const anna = await connect('anna', 'billy');
  expect(anna.client.getServerCapabilities()?.resources?.subscribe).toBeUndefined();
  await anna.client.close();
  const sessionless = await post(
    gateway,
    'docs',
    rpc('resources/subscribe', { uri: 'test://watched-resource' }),
  );
  expect(errorCode(await sessionless.json())).toBe('invalid_request');
});
