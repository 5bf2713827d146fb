/**
 * Fuzzing the dashboard's front doors with hostile requests (fast-check): the gateway front
 * (`/api/gateway/*`, with a session and with an API key) and the JSON routes (keys, chat, AI
 * query, sign-in). Every answer must be a typed error or a valid result — never a 500 or a
 * stack trace — and no fleet instance may be ejected. Prints the answers by status and code.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkAnswer,
  createTally,
  deepJson,
  hostileRequest,
} from '../../../packages/mcp-gateway/test/hostile';
import { cookieFrom, dashboardRequest, ORIGIN, prepareTestEnvironment } from './setup-env';

prepareTestEnvironment({
  TEKUP_CHAT_RATE_PER_MINUTE: '100000',
  TEKUP_GATEWAY_RATE_PER_MINUTE: '100000',
});

const RUNS = 1000;
const login = await import('@/app/api/auth/login/route');
const keys = await import('@/app/api/keys/route');
const chat = await import('@/app/api/chat/route');
const query = await import('@/app/api/ai/query/route');
const gatewayRoute = await import('@/app/api/gateway/[...path]/route');
const { runtime } = await import('@/server/gateway');

let cookie = '';
let key = '';

beforeAll(async () => {
  cookie = cookieFrom(
    await login.POST(
      dashboardRequest('/api/auth/login', {
        body: { email: 'admin@tekup.dk', password: 'tekup-demo' },
      }),
    ),
  );
  const created = await keys.POST(
    dashboardRequest('/api/keys', { cookie, body: { name: 'fuzz', access: 'read-write' } }),
  );
  key = ((await created.json()) as { key: string }).key;
  // Open the stores before the run: their start-up must not be what the run measures.
  const { auditStore } = await runtime();
  await auditStore.stats();
}, 120_000);

afterAll(async () => {
  await (await runtime()).close();
});

function noInstanceEjected(gateway: Awaited<ReturnType<typeof runtime>>['gateway']): void {
  for (const server of gateway.status()) {
    for (const instance of server.instances) {
      expect(instance.state, `${server.name} ${instance.url}`).not.toBe('ejected');
    }
  }
}

describe('fuzzing the dashboard', () => {
  it(`answers ${RUNS} hostile requests to the gateway front with typed errors or results`, async () => {
    const tally = createTally();
    const servers = ['billy', 'calendar', 'knowledge', 'database', 'vault'];
    await fc.assert(
      fc.asyncProperty(hostileRequest(servers), fc.boolean(), async (hostile, useKey) => {
        const headers = new Headers(hostile.headers);
        if (useKey) headers.set('authorization', `Bearer ${key}`);
        else headers.set('cookie', cookie);
        const method = hostile.method;
        const request = new Request(`${ORIGIN}/api/gateway${hostile.path}`, {
          method,
          headers,
          ...(hostile.body === undefined || method === 'GET' ? {} : { body: hostile.body }),
        });
        const handler =
          method === 'GET'
            ? gatewayRoute.GET
            : method === 'DELETE'
              ? gatewayRoute.DELETE
              : method === 'OPTIONS'
                ? gatewayRoute.OPTIONS
                : gatewayRoute.POST;
        const response = await handler(request);
        const text = await response.text();
        tally.add(
          response.status,
          checkAnswer(response.status, text, response.headers.get('content-type') ?? ''),
        );
      }),
      { numRuns: RUNS },
    );
    tally.print('dashboard gateway front');
    expect(tally.total()).toBe(RUNS);
    noInstanceEjected((await runtime()).gateway);
  }, 600_000);

  it(`answers ${RUNS} hostile bodies to the JSON routes with typed errors`, async () => {
    const tally = createTally();
    const body = fc.oneof(
      deepJson,
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        '{}',
        '[]',
        'null',
        '{"name":{"__proto__":{"x":1}}}',
        '{"query":1e400}',
        '{"query":"x","context":{"clientId":[[[[[]]]]]}}',
        '{"messages":[{"id":"1","role":"system","parts":[]}]}',
        '{"messages":"x","tools":{}}',
        '{"email":"a@b.dk","password":{"$ne":null}}',
        '{"name":"k","access":"root"}',
      ),
      fc
        .integer({ min: 70_000, max: 1_200_000 })
        .map((size) => JSON.stringify({ name: 'x'.repeat(size) })),
    );
    const routes = [
      ['/api/keys', keys.POST],
      ['/api/chat', chat.POST],
      ['/api/ai/query', query.POST],
      ['/api/auth/login', login.POST],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: routes.length - 1 }),
        body,
        fc.boolean(),
        async (index, text, asKey) => {
          const [path, handler] = routes[index] as (typeof routes)[number];
          const headers = new Headers({ 'content-type': 'application/json', origin: ORIGIN });
          if (path === '/api/ai/query' && asKey) headers.set('authorization', `Bearer ${key}`);
          else if (path !== '/api/auth/login') headers.set('cookie', cookie);
          const response = await handler(
            new Request(`${ORIGIN}${path}`, { method: 'POST', headers, body: text }),
          );
          const answer = await response.text();
          expect(response.status, `${path} ${answer.slice(0, 200)}`).not.toBe(500);
          expect(answer).not.toMatch(/\n\s+at .+:\d+:\d+/);
          let code = 'stream';
          if ((response.headers.get('content-type') ?? '').includes('json')) {
            const parsed = JSON.parse(answer) as { error?: { code?: unknown } };
            if (response.status >= 400)
              expect(typeof parsed.error?.code, answer.slice(0, 200)).toBe('string');
            code = String(parsed.error?.code ?? 'ok');
          }
          tally.add(response.status, `${path} ${code}`);
        },
      ),
      { numRuns: RUNS },
    );
    tally.print('dashboard JSON routes');
    expect(tally.total()).toBe(RUNS);
  }, 600_000);
});
