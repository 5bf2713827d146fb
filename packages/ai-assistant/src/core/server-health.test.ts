import type { GatewayTool } from '@tekup/mcp-client-web';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/fake-clock';
import {
  createServerHealthMonitor,
  describeServerHealth,
  parseServersResponse,
} from './server-health';
import type { AssistantState } from './state';
import { createStore } from './store';

describe('parseServersResponse', () => {
  it('reads arrays, { servers: [] } and { servers: {} } with status words, flags or instances', () => {
    expect([...parseServersResponse([{ name: 'a', status: 'healthy' }])]).toEqual([['a', 'up']]);
    expect([...parseServersResponse({ servers: [{ server: 'b', healthy: false }] })]).toEqual([
      ['b', 'down'],
    ]);
    expect([
      ...parseServersResponse({
        servers: {
          c: { instances: [{ healthy: true }, { healthy: false }] },
          d: { status: 'weird' },
        },
      }),
    ]).toEqual([
      ['c', 'degraded'],
      ['d', 'unknown'],
    ]);
    expect([...parseServersResponse('nonsense')]).toEqual([]);
  });
});

function setup(options: { gateway?: string; respond?: () => Response } = {}) {
  const fake = createFakeClock();
  const store = createStore({ serverStatus: undefined } as unknown as AssistantState);
  const requests: string[] = [];
  const monitor = createServerHealthMonitor({
    store,
    clock: fake.clock,
    gateway: 'gateway' in options ? options.gateway : 'http://gateway.test/',
    credentials: 'include',
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(`${String(input)} ${init?.credentials}`);
      return options.respond?.() ?? Response.json({ servers: [{ name: 'billy', status: 'ok' }] });
    }) as typeof fetch,
  });
  return { fake, store, requests, monitor };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('server health monitor', () => {
  it('reads {gateway}/servers when watched and every 30 s until the last watcher leaves', async () => {
    const { fake, store, requests, monitor } = setup();
    const stopFirst = monitor.watch();
    const stopSecond = monitor.watch();
    await settled();
    expect(requests).toEqual(['http://gateway.test/servers include']);
    expect([...(store.getState().serverStatus ?? [])]).toEqual([['billy', 'up']]);
    fake.advance(29_999);
    expect(requests).toHaveLength(1);
    fake.advance(1);
    expect(requests).toHaveLength(2);
    stopFirst();
    fake.advance(30_000);
    expect(requests).toHaveLength(3);
    stopSecond();
    stopSecond();
    fake.advance(90_000);
    expect(requests).toHaveLength(3);
    expect(fake.pending).toBe(0);
  });

  it('skips the polls of a page in the background', async () => {
    const { fake, requests, monitor } = setup();
    const page = globalThis as { document?: unknown };
    const stop = monitor.watch();
    page.document = { visibilityState: 'hidden' };
    try {
      fake.advance(60_000);
      expect(requests).toHaveLength(1);
      page.document = { visibilityState: 'visible' };
      fake.advance(30_000);
      expect(requests).toHaveLength(2);
    } finally {
      delete page.document;
      stop();
    }
  });

  it('keeps what the last good answer said when a check fails', async () => {
    let healthy = true;
    const { store, monitor } = setup({
      respond: () =>
        healthy
          ? Response.json([{ name: 'billy', status: 'degraded' }])
          : new Response('no', { status: 503 }),
    });
    await monitor.check();
    healthy = false;
    await monitor.check();
    expect(store.getState().serverStatus?.get('billy')).toBe('degraded');
  });

  it('does nothing without a gateway', async () => {
    const { fake, requests, monitor } = setup({ gateway: undefined });
    const stop = monitor.watch();
    await monitor.check();
    fake.advance(60_000);
    stop();
    expect(requests).toEqual([]);
  });
});

describe('describeServerHealth', () => {
  const tool = { server: 'calendar' } as GatewayTool;
  it.each([
    ['a failed listing is down, with its message', 'billy', 'down'],
    ['a reported status wins over listed tools', 'knowledge', 'degraded'],
    ['a server that listed tools is up', 'calendar', 'up'],
    ['anything else is unknown', 'vault', 'unknown'],
  ])('%s', (_case, server, status) => {
    const [health] = describeServerHealth([server], {
      failures: [{ server: 'billy', message: 'The server "billy" is unavailable right now.' }],
      tools: [tool],
      reported: new Map([
        ['knowledge', 'degraded'],
        ['calendar', 'unknown'],
      ]),
    });
    expect(health?.status).toBe(status);
    if (status === 'down') expect(health?.message).toContain('unavailable');
  });
});
