import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieFrom, dashboardRequest, prepareTestEnvironment } from './setup-env';

prepareTestEnvironment({ TEKUP_CHAT_RATE_PER_MINUTE: '3' });

const login = await import('@/app/api/auth/login/route');
const keys = await import('@/app/api/keys/route');
const keyById = await import('@/app/api/keys/[id]/route');
const audit = await import('@/app/api/audit/route');
const gatewayRoute = await import('@/app/api/gateway/[...path]/route');
const chat = await import('@/app/api/chat/route');
const { runtime } = await import('@/server/gateway');
const ready = await import('@/app/api/ready/route');
const live = await import('@/app/api/live/route');

async function signIn(email: string, password = 'tekup-demo'): Promise<string> {
  const response = await login.POST(
    dashboardRequest('/api/auth/login', { body: { email, password } }),
  );
  expect(response.status).toBe(200);
  return cookieFrom(response);
}

function mcp(
  path: string,
  message: Record<string, unknown>,
  init: { cookie?: string; headers?: Record<string, string> } = {},
) {
  return gatewayRoute.POST(
    dashboardRequest(`/api/gateway/mcp/${path}`, {
      ...init,
      body: { jsonrpc: '2.0', id: 1, ...message },
      headers: { accept: 'application/json, text/event-stream', ...init.headers },
    }),
  );
}

let admin: string;
let member: string;

beforeAll(async () => {
  admin = await signIn('admin@tekup.dk');
  member = await signIn('member@tekup.dk');
});

afterAll(async () => {
  await (await runtime()).close();
});

describe('sign-in', () => {
  it('refuses a wrong password with 401 and no session', async () => {
    const response = await login.POST(
      dashboardRequest('/api/auth/login', { body: { email: 'admin@tekup.dk', password: 'nope' } }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('issues an httpOnly SameSite session cookie', async () => {
    const response = await login.POST(
      dashboardRequest('/api/auth/login', {
        body: { email: 'member@tekup.dk', password: 'tekup-demo' },
      }),
    );
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
  });
});

describe('authorization', () => {
  it('answers 401 to signed-out callers', async () => {
    expect((await audit.GET(dashboardRequest('/api/audit'))).status).toBe(401);
    expect((await keys.GET(dashboardRequest('/api/keys'))).status).toBe(401);
    const response = await mcp('billy', { method: 'tools/list' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { data: { code: string } } }).error.data.code).toBe(
      'unauthorized',
    );
  });

  it('keeps members out of admin APIs', async () => {
    const response = await keys.GET(dashboardRequest('/api/keys', { cookie: member }));
    expect(response.status).toBe(403);
  });

  it('rejects cross-site state changes (CSRF)', async () => {
    const foreign = await keys.POST(
      dashboardRequest('/api/keys', {
        cookie: admin,
        body: { name: 'x' },
        origin: 'https://evil.example',
      }),
    );
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe(
      'csrf_rejected',
    );
    const missing = await keys.POST(
      dashboardRequest('/api/keys', { cookie: admin, body: { name: 'x' }, origin: null }),
    );
    expect(missing.status).toBe(403);
  });
});

describe('liveness and readiness', () => {
  it('is live at once, ready once started, and hands the gateway front to the server then', async () => {
    expect(live.GET().status).toBe(200);
    const answer = await ready.GET();
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ready: true });
    // server.mjs finds the front here and answers /api/gateway/* with it directly.
    const front = (globalThis as Record<symbol, unknown>)[
      Symbol.for('tekup.dashboard.gateway-front')
    ] as { basePath: string; handle: unknown } | undefined;
    expect(front?.basePath).toBe('/api/gateway/');
    expect(typeof front?.handle).toBe('function');
  });
});

describe('API keys', () => {
  it('authenticate server-to-server gateway calls until revoked', async () => {
    const created = await keys.POST(
      dashboardRequest('/api/keys', {
        cookie: admin,
        body: { name: 'route test', role: 'member' },
      }),
    );
    expect(created.status).toBe(201);
    const { key, summary } = (await created.json()) as {
      key: string;
      summary: { id: string; prefix: string };
    };
    expect(key.startsWith(summary.prefix)).toBe(true);
    const listed = (await (
      await keys.GET(dashboardRequest('/api/keys', { cookie: admin }))
    ).json()) as { keys: Array<{ id: string }> };
    expect(JSON.stringify(listed)).not.toContain(key);

    const headers = { authorization: `Bearer ${key}` };
    const tools = await mcp('billy', { method: 'tools/list' }, { headers });
    expect(tools.status).toBe(200);
    const names = (
      (await tools.json()) as { result: { tools: Array<{ name: string }> } }
    ).result.tools.map((tool) => tool.name);
    expect(names).toContain('list_invoices');
    // Members may draft but not approve: RBAC filters what the key's role may call.
    expect(names).not.toContain('approve_invoice');

    const revoked = await keyById.DELETE(
      dashboardRequest(`/api/keys/${summary.id}`, { method: 'DELETE', cookie: admin }),
      { params: Promise.resolve({ id: summary.id }) },
    );
    expect(revoked.status).toBe(200);
    expect((await mcp('billy', { method: 'tools/list' }, { headers })).status).toBe(401);
  });
});

describe('gateway front', () => {
  it('writes exactly one audit row per tool call, readable on the audit API', async () => {
    const before = (await (
      await audit.GET(dashboardRequest('/api/audit?tool=list_invoices', { cookie: member }))
    ).json()) as { total: number };
    const call = await mcp(
      'billy',
      {
        method: 'tools/call',
        params: { name: 'list_invoices', arguments: { customer: 'Nordlys', limit: 3 } },
      },
      { cookie: member },
    );
    expect(call.status).toBe(200);
    const result = (await call.json()) as {
      result: { structuredContent: { invoices: unknown[] } };
    };
    expect(result.result.structuredContent.invoices.length).toBeGreaterThan(0);
    const after = (await (
      await audit.GET(dashboardRequest('/api/audit?tool=list_invoices', { cookie: member }))
    ).json()) as {
      total: number;
      rows: Array<{ tool: string; outcome: string; principalId: string }>;
    };
    expect(after.total).toBe(before.total + 1);
    expect(after.rows[0]).toMatchObject({
      tool: 'list_invoices',
      outcome: 'success',
      principalId: '10000000-0000-4000-8000-000000000002',
    });
  });

  it('refuses a member an admin-only tool with 403 and audits the denial', async () => {
    const response = await mcp(
      'billy',
      {
        method: 'tools/call',
        params: { name: 'approve_invoice', arguments: { invoiceId: '1001' } },
      },
      { cookie: member },
    );
    expect(response.status).toBe(403);
    const denied = (await (
      await audit.GET(dashboardRequest('/api/audit?outcome=denied', { cookie: member }))
    ).json()) as { rows: Array<{ tool: string }> };
    expect(denied.rows.map((row) => row.tool)).toContain('approve_invoice');
  });

  it('exports the audit log as CSV without formula injection', async () => {
    const response = await audit.GET(dashboardRequest('/api/audit?format=csv', { cookie: admin }));
    expect(response.headers.get('content-type')).toContain('text/csv');
    const [header] = (await response.text()).split('\r\n');
    expect(header).toBe(
      'timestamp,request_id,user,api_key,role,server,tool,outcome,success,duration_ms,error_code,cache,instance',
    );
  });
});

describe('chat route', () => {
  const body = {
    id: 'thread-1',
    messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'hello' }] }],
    tools: [],
  };

  it('needs a session', async () => {
    expect((await chat.POST(dashboardRequest('/api/chat', { body }))).status).toBe(401);
  });

  it('rate-limits each user (3 per minute here) with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await chat.POST(dashboardRequest('/api/chat', { cookie: admin, body }));
      statuses.push(response.status);
      if (response.status === 429)
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      await response.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
