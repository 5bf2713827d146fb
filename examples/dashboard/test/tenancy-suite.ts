/**
 * The dashboard's half of the cross-tenant matrix, run on the embedded stores and on Redis +
 * Postgres (two test files call it after preparing their environment): every tool of every
 * tenant-scoped server through the gateway front (cookies and API keys), then every API the
 * dashboard serves, each scanned for the other organization's records.
 */
import { TENANTS } from '@tekup/demo-servers/manifest';
import {
  exerciseTenantTools,
  exerciseWithoutTenant,
  findLeaks,
  isolationProblems,
  type ProbeCall,
  refusalProblems,
  tenantFingerprints,
} from '@tekup/demo-servers/testing';
import { createDemoData } from '@tekup/demo-servers';
import { sealData } from 'iron-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieFrom, dashboardRequest } from './setup-env';

const [tekup, nordlys] = TENANTS;

/** Registers the suite; the caller has prepared the environment and passes the demo clock. */
export function describeTenancy(label: string, now: Date): void {
  const data = createDemoData({ now });
  const fingerprints = {
    [tekup.id]: tenantFingerprints(data, tekup.id),
    [nordlys.id]: tenantFingerprints(data, nordlys.id),
  };
  const people = {
    [tekup.id]: ['admin@tekup.dk', 'member@tekup.dk', '10000000-0000-4000-8000-000000000001'],
    [nordlys.id]: ['anna@nordlys.dk', 'sabine@nordlys.dk', '10000000-0000-4000-8000-000000000004'],
  };

  describe(`tenancy of the dashboard (${label})`, () => {
    let routes: Awaited<ReturnType<typeof loadRoutes>>;
    const cookies: Record<string, string> = {};
    const keys: Record<string, string> = {};
    const created: Record<string, string[]> = { [tekup.id]: [], [nordlys.id]: [] };

    async function loadRoutes() {
      return {
        login: await import('@/app/api/auth/login/route'),
        keys: await import('@/app/api/keys/route'),
        audit: await import('@/app/api/audit/route'),
        health: await import('@/app/api/health/route'),
        gateway: await import('@/app/api/gateway/[...path]/route'),
        query: await import('@/app/api/ai/query/route'),
        usage: await import('@/server/usage'),
        runtime: (await import('@/server/gateway')).runtime,
      };
    }

    beforeAll(async () => {
      routes = await loadRoutes();
      for (const email of ['admin@tekup.dk', 'sabine@nordlys.dk', 'anna@nordlys.dk']) {
        const response = await routes.login.POST(
          dashboardRequest('/api/auth/login', { body: { email, password: 'tekup-demo' } }),
        );
        expect(response.status).toBe(200);
        cookies[email] = cookieFrom(response);
      }
      for (const [admin, access] of [
        ['admin@tekup.dk', 'read-write'],
        ['sabine@nordlys.dk', 'read-write'],
        ['sabine@nordlys.dk', 'read'],
      ] as const) {
        const response = await routes.keys.POST(
          dashboardRequest('/api/keys', {
            cookie: cookies[admin],
            body: { name: `${admin} ${access}`, role: 'admin', access },
          }),
        );
        expect(response.status).toBe(201);
        keys[`${admin} ${access}`] = ((await response.json()) as { key: string }).key;
      }
    }, 120_000);

    afterAll(async () => {
      await (await routes.runtime()).close();
    });

    const callAs =
      (headers: Record<string, string>): ProbeCall =>
      async (server, tool, args) => {
        const response = await routes.gateway.POST(
          dashboardRequest(`/api/gateway/mcp/${server}`, {
            body: {
              jsonrpc: '2.0',
              id: 1,
              method: 'tools/call',
              params: { name: tool, arguments: args },
            },
            headers: { accept: 'application/json', ...headers },
          }),
        );
        const text = await response.text();
        const body = JSON.parse(text) as {
          result?: { isError?: boolean; structuredContent?: Record<string, unknown> };
          error?: unknown;
        };
        return {
          text,
          failed: body.error !== undefined || body.result?.isError === true,
          ...(body.result?.structuredContent ? { structured: body.result.structuredContent } : {}),
        };
      };

    it('keeps every tool to the signed-in user’s organization, through cookies and API keys', async () => {
      const paths = [
        [
          'sessions',
          { cookie: cookies['admin@tekup.dk'] },
          { cookie: cookies['sabine@nordlys.dk'] },
        ],
        [
          'API keys',
          { authorization: `Bearer ${keys['admin@tekup.dk read-write']}` },
          { authorization: `Bearer ${keys['sabine@nordlys.dk read-write']}` },
        ],
      ] as [string, Record<string, string>, Record<string, string>][];
      for (const [name, tekupHeaders, nordlysHeaders] of paths) {
        const tekupRun = await exerciseTenantTools(
          callAs({ ...tekupHeaders }),
          data,
          tekup.id,
          nordlys.id,
          `dash-${name}-a`,
        );
        const nordlysRun = await exerciseTenantTools(
          callAs({ ...nordlysHeaders }),
          data,
          nordlys.id,
          tekup.id,
          `dash-${name}-b`,
        );
        created[tekup.id]?.push(...tekupRun.created);
        created[nordlys.id]?.push(...nordlysRun.created);
        expect(
          isolationProblems(tekupRun, [...(fingerprints[nordlys.id] ?? []), ...nordlysRun.created]),
          name,
        ).toEqual([]);
        expect(
          isolationProblems(nordlysRun, [...(fingerprints[tekup.id] ?? []), ...tekupRun.created]),
          name,
        ).toEqual([]);
      }
    }, 180_000);

    it('refuses every tenant-scoped tool to a session that carries no organization', async () => {
      const { SESSION_COOKIE } = await import('@/server/session');
      const sealed = await sealData(
        {
          user: {
            id: '10000000-0000-4000-8000-0000000000ff',
            email: 'x@y.dk',
            name: 'X',
            role: 'admin',
          },
          issuedAt: Date.now(),
        },
        { password: process.env.SESSION_SECRET as string, ttl: 3600 },
      );
      const records = await exerciseWithoutTenant(
        callAs({ cookie: `${SESSION_COOKIE}=${sealed}` }),
        data,
      );
      expect(refusalProblems(records)).toEqual([]);
    });

    it('keeps the audit log, keys, usage and health to the organization', async () => {
      const read = async (
        route: { GET(request: Request): Promise<Response> },
        path: string,
        cookie: string,
      ) => {
        const response = await route.GET(dashboardRequest(path, { cookie }));
        expect(response.status, path).toBe(200);
        return response.text();
      };
      await callAs({ cookie: cookies['anna@nordlys.dk'] as string })('billy', 'list_invoices', {});
      await (await routes.runtime()).flushAudit();
      const views = [
        ['sabine@nordlys.dk', nordlys.id, tekup.id],
        ['anna@nordlys.dk', nordlys.id, tekup.id],
        ['admin@tekup.dk', tekup.id, nordlys.id],
      ] as const;
      for (const [email, own, other] of views) {
        const cookie = cookies[email] as string;
        const foreign = [
          ...(fingerprints[other] ?? []),
          ...(created[other] ?? []),
          ...(people[other] ?? []),
        ];
        const texts: Record<string, string> = {
          audit: await read(routes.audit, '/api/audit?limit=200', cookie),
          csv: await read(routes.audit, '/api/audit?format=csv', cookie),
          health: await read(routes.health, '/api/health', cookie),
          servers: await (
            await routes.gateway.GET(dashboardRequest('/api/gateway/servers', { cookie }))
          ).text(),
        };
        if (email.startsWith('admin') || email.startsWith('sabine')) {
          texts.keys = await read(routes.keys, '/api/keys', cookie);
        }
        for (const [name, text] of Object.entries(texts)) {
          expect(findLeaks(text, foreign), `${email} ${name}`).toEqual([]);
        }
        const rows = (JSON.parse(texts.audit ?? '{}') as { rows: { tenantId?: string }[] }).rows;
        expect(rows.length, email).toBeGreaterThan(0);
        expect(
          rows.every((row) => row.tenantId === own),
          email,
        ).toBe(true);
        const usage = await routes.usage.usageByDay({ days: 14, tenantId: own });
        expect(JSON.stringify(usage)).not.toMatch(other === nordlys.id ? /nordlys/i : /tekup\.dk/);
      }
      // Members and other organizations never see upstream URLs or internal servers.
      for (const email of ['anna@nordlys.dk', 'sabine@nordlys.dk']) {
        const health = JSON.parse(
          await read(routes.health, '/api/health', cookies[email] as string),
        ) as { servers: { name: string; instances: { url: string }[] }[] };
        expect(health.servers.map((server) => server.name)).not.toContain('vault');
        expect(JSON.stringify(health)).not.toMatch(/127\.0\.0\.1|localhost/);
      }
      const operator = JSON.parse(
        await read(routes.health, '/api/health', cookies['admin@tekup.dk'] as string),
      ) as { servers: { name: string }[] };
      expect(operator.servers.map((server) => server.name)).toContain('vault');
    });

    it('runs read-only tools only for a read key on /api/ai/query, metered and audited under its name', async () => {
      const key = keys['sabine@nordlys.dk read'] as string;
      const ask = (query: string) =>
        routes.query.POST(
          dashboardRequest('/api/ai/query', {
            body: { query },
            headers: { authorization: `Bearer ${key}` },
            origin: null,
          }),
        );
      const answer = await ask('Show all invoices');
      const text = await answer.text();
      expect(answer.status, text).toBe(200);
      expect(findLeaks(text, fingerprints[tekup.id] ?? [])).toEqual([]);
      const body = JSON.parse(text) as {
        toolCalls: { name: string }[];
        usage: { totalTokens?: number };
      };
      expect(body.toolCalls.some((call) => call.name.endsWith('list_invoices'))).toBe(true);

      const draftsBefore = await countDrafts(
        callAs({ cookie: cookies['sabine@nordlys.dk'] as string }),
      );
      const write = await ask(
        'Create an invoice for Hotel Kronborg for 3 hours of office cleaning',
      );
      expect(write.status).toBe(200);
      const written = (await write.json()) as { toolCalls: { name: string }[] };
      expect(written.toolCalls.some((call) => call.name.endsWith('create_invoice'))).toBe(false);
      expect(await countDrafts(callAs({ cookie: cookies['sabine@nordlys.dk'] as string }))).toBe(
        draftsBefore,
      );

      const usage = await routes.usage.usageByDay({ days: 1, tenantId: nordlys.id });
      const row = usage.find((entry) => entry.kind === 'api_key');
      expect(row?.label).toBe('sabine@nordlys.dk read');
      expect(row?.requests).toBe(2);
      expect((row?.inputTokens ?? 0) + (row?.outputTokens ?? 0)).toBeGreaterThan(0);

      const audit = JSON.parse(
        await (
          await routes.audit.GET(
            dashboardRequest('/api/audit?limit=200', { cookie: cookies['sabine@nordlys.dk'] }),
          )
        ).text(),
      ) as { rows: { keyName?: string; tool: string }[] };
      expect(
        audit.rows.some(
          (entry) => entry.keyName === 'sabine@nordlys.dk read' && entry.tool === 'list_invoices',
        ),
      ).toBe(true);
    }, 60_000);
  });
}

async function countDrafts(call: ProbeCall): Promise<number> {
  const answer = await call('billy', 'list_invoices', { status: 'draft', limit: 100 });
  return (answer.structured?.invoices as unknown[] | undefined)?.length ?? -1;
}
