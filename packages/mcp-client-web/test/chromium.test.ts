import { existsSync } from 'node:fs';
import { type RunningServer, startServer } from '@tekup/demo-servers';
import { DEMO_MEMBER } from './demo-member';
import { createGateway, type Gateway } from '@tekup/mcp-gateway';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs helper shared with `pnpm size`
import { measureBundle } from '../scripts/measure.mjs';
import { type ServedHandler, serveHandler } from './http-server';
import { type SdkFixture, startSdkFixture } from './sdk-fixture';

const CHROMIUM = '/usr/bin/chromium';

let fleet: RunningServer[] = [];
let gateway: Gateway;
let page: ServedHandler;
let crossOrigin: ServedHandler;
let browser: Browser;
let legacy: SdkFixture;
let legacyCors: ServedHandler;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const bundle = (await measureBundle({ entry: 'src/index.ts' })) as { code: string };
  fleet = await Promise.all([
    startServer('billy', { port: 0 }),
    startServer('calendar', { port: 0 }),
  ]);
  gateway = createGateway({
    basePath: '/api/gateway',
    servers: Object.fromEntries(fleet.map((server) => [server.name, { instances: [server.url] }])),
    healthChecks: false,
    // A member of the first demo organization: billy and calendar keep books per organization.
    authenticate: async () => DEMO_MEMBER,
  });
  // A strict CSP without 'unsafe-eval': the client must not need eval or new Function.
  const csp = "default-src 'self'; script-src 'self'; connect-src 'self' http://127.0.0.1:*";
  page = await serveHandler((request) => {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/api/gateway/')) return gateway.fetch(request);
    if (path === '/client.js') {
      return new Response(bundle.code, {
        headers: { 'content-type': 'text/javascript', 'content-security-policy': csp },
      });
    }
    return new Response('<!doctype html><title>mcp-client-web</title>', {
      headers: { 'content-type': 'text/html', 'content-security-policy': csp },
    });
  });
  crossOrigin = await serveHandler((request) => gateway.fetch(request));
  // A cross-origin 2025 server whose CORS allows only the headers that era defines.
  legacy = await startSdkFixture({ mode: 'session' });
  legacyCors = await serveHandler(async (request) => {
    const cors = {
      'access-control-allow-origin': page.origin,
      'access-control-expose-headers': 'mcp-session-id',
    };
    if (request.method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: {
          ...cors,
          'access-control-allow-methods': 'GET, POST, DELETE',
          'access-control-allow-headers':
            'content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id',
        },
      });
    }
    const url = new URL(request.url);
    const upstream = await fetch(`${legacy.gateway}${url.pathname}`, {
      method: request.method,
      headers: request.headers,
      body: request.method === 'POST' ? await request.arrayBuffer() : undefined,
    });
    const headers = new Headers(upstream.headers);
    for (const [key, value] of Object.entries(cors)) headers.set(key, value);
    return new Response(upstream.body, { status: upstream.status, headers });
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await legacyCors?.close();
  await legacy?.close();
  await page?.close();
  await crossOrigin?.close();
  await gateway?.close();
  await Promise.all(fleet.map((server) => server.close()));
});

it('runs the bundled root entry in Chromium under a strict CSP, same-origin and cross-origin', async () => {
  const tab = await browser.newPage();
  const violations: string[] = [];
  tab.on('console', (message) => {
    if (/Content Security Policy|unsafe-eval/i.test(message.text()))
      violations.push(message.text());
  });
  await tab.goto(`${page.origin}/`);
  // A string, not a function: vitest would rewrite import() inside a function it transforms.
  const script = `(async (crossOriginGateway) => {
    const { createGatewayClient } = await import('/client.js');
    const sameOrigin = createGatewayClient({ gateway: '/api/gateway', servers: ['billy', 'calendar'] });
    const listing = await sameOrigin.listTools();
    const result = await sameOrigin.callTool('billy__list_invoices', {});
    const aborted = await sameOrigin
      .callTool('billy__list_invoices', {}, { signal: AbortSignal.abort() })
      .catch((error) => \`\${error.name}:\${error.code}\`);
    const status = sameOrigin.server('billy').status();
    await sameOrigin.close();

    const remote = createGatewayClient({
      gateway: crossOriginGateway,
      servers: ['calendar'],
      protocolVersion: '2025-11-25',
    });
    const remoteTools = await remote.listTools();
    const remoteStatus = remote.server('calendar').status();
    await remote.close();
    return {
      names: listing.tools.map((tool) => tool.name),
      failures: listing.failures.length,
      isError: result.isError === true,
      contentTypes: result.content.map((block) => block.type),
      aborted,
      era: status.era,
      remoteCount: remoteTools.tools.length,
      remoteFailures: remoteTools.failures.map((failure) => failure.error.message),
      remoteSession: typeof remoteStatus.sessionId,
    };
  })(${JSON.stringify(`${crossOrigin.origin}/api/gateway`)})`;
  const outcome = (await tab.evaluate(script)) as {
    names: string[];
    failures: number;
    isError: boolean;
    contentTypes: string[];
    aborted: string;
    era: string;
    remoteCount: number;
    remoteFailures: string[];
    remoteSession: string;
  };
  expect(outcome.failures).toBe(0);
  expect(outcome.names).toContain('billy__list_invoices');
  expect(outcome.names).toContain('calendar__find_free_slots');
  expect(outcome.isError).toBe(false);
  expect(outcome.contentTypes.length).toBeGreaterThan(0);
  expect(outcome.aborted).toBe('McpClientError:aborted');
  expect(outcome.era).toBe('modern');
  expect(outcome.remoteFailures).toEqual([]);
  expect(outcome.remoteCount).toBeGreaterThan(0);
  expect(outcome.remoteSession).toBe('string');
  expect(violations).toEqual([]);
  await tab.close();
}, 60_000);

it('falls back to a session with a cross-origin 2025 server whose CORS refuses the 2026 headers', async () => {
  const tab = await browser.newPage();
  await tab.goto(`${page.origin}/`);
  const script = `(async (gateway) => {
    const { createGatewayClient } = await import('/client.js');
    const client = createGatewayClient({ gateway, servers: ['alpha'] });
    const result = await client.callTool('alpha__echo', { text: 'cors' });
    const progress = [];
    await client.callTool('alpha__slow', { steps: 2, ms: 0 }, { onProgress: (update) => progress.push(update.progress) });
    const status = client.server('alpha').status();
    await client.close();
    return { text: result.content[0].text, era: status.era, session: typeof status.sessionId, progress };
  })(${JSON.stringify(legacyCors.origin)})`;
  const outcome = await tab.evaluate(script);
  expect(outcome).toEqual({
    text: 'alpha: cors',
    era: 'legacy',
    session: 'string',
    progress: [1, 2],
  });
  expect(legacy.requests.some((request) => request.rpcMethod === 'server/discover')).toBe(false);
  expect(legacy.requests.filter((request) => request.rpcMethod === 'initialize')).toHaveLength(1);
  await tab.close();
}, 60_000);
