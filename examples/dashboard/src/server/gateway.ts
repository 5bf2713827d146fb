import 'server-only';
import {
  type AuditStore,
  type Gateway,
  type GatewayConfigInput,
  type Principal,
  createGateway,
} from '@tekup/mcp-gateway';
import { join } from 'node:path';
import { OPERATOR_TENANTS, SERVER_NAMES, serverPolicy } from '@tekup/demo-servers/manifest';
import {
  createFileAuditSpool,
  createNodeFetch,
  createStagesFromConfig,
} from '@tekup/mcp-gateway/node';
import { flushKeyUse, keyStore, recordKeyUse } from './api-keys';
import { userPrincipal } from './auth';
import { type ServerCallStats, createCallStats } from './call-stats';
import { env } from './env';
import { readSession } from './session';

/** The MCP servers the dashboard offers, in display order: the whole fleet. */
export const DASHBOARD_SERVERS = SERVER_NAMES;

/** The organizations that run the fleet: theirs are the internal servers and the infrastructure view. */
export const OPERATORS = { tenants: [...OPERATOR_TENANTS], roles: ['admin'] };

/** The gateway front the dashboard serves at `/api/gateway`, with its policy stages. */
export interface DashboardRuntime {
  gateway: Gateway;
  auditStore: AuditStore;
  /** Writes queued audit rows now (the audit page reads its own writes), waiting at most `timeoutMs`. */
  flushAudit(timeoutMs?: number): Promise<void>;
  /** The live call figures of one organization's traffic (each sees only its own). */
  callStats(tenantId: string): ServerCallStats[];
  upstream: 'in-process' | 'remote';
  engines: { rateLimit: string; cache: string; audit: string };
  close(): Promise<void>;
}

/** Who may do what through the dashboard's gateway: members draft, admins also approve and pay. */
const RBAC = {
  roles: {
    admin: { allow: ['*/*'], destructive: true },
    member: {
      allow: ['*/*'],
      deny: ['billy/approve_invoice', 'billy/record_payment'],
      destructive: true,
    },
  },
};

async function resolvePrincipal(request: Request): Promise<Principal | undefined> {
  // API-key callers fall through to the gateway's key authenticator; the cookie is never forwarded.
  if (request.headers.has('authorization')) return undefined;
  const session = await readSession(request);
  return session ? userPrincipal(session.user) : undefined;
}

async function upstreamServers(): Promise<{
  servers: GatewayConfigInput['servers'];
  close: () => Promise<void>;
  upstream: 'in-process' | 'remote';
}> {
  const settings = env();
  if (settings.gatewayUrl) {
    const headers: Record<string, string> = settings.gatewayApiKey
      ? { authorization: `Bearer ${settings.gatewayApiKey}` }
      : {};
    return {
      upstream: 'remote',
      servers: Object.fromEntries(
        DASHBOARD_SERVERS.map((name) => [
          name,
          {
            instances: [`${settings.gatewayUrl}/mcp/${name}`],
            headers,
            onBehalfHeader: 'x-tekup-on-behalf-of',
            ...serverPolicy(name),
          },
        ]),
      ),
      close: async () => {},
    };
  }
  // Loaded by Node at run time, not bundled: the fleet reads its corpus and PGlite files from disk.
  const { startFleet } = (await import(
    /* turbopackIgnore: true */ '@tekup/demo-servers'
  )) as typeof import('@tekup/demo-servers');
  // Two billy instances so the health page shows load balancing at work.
  const now = env().demoNow;
  const fleet = await startFleet({ basePort: 0, instances: { billy: 2 }, ...(now ? { now } : {}) });
  return {
    upstream: 'in-process',
    servers: Object.fromEntries(
      DASHBOARD_SERVERS.map((name) => [
        name,
        { instances: fleet.urls[name], ...serverPolicy(name) },
      ]),
    ),
    close: () => fleet.close(),
  };
}

async function start(): Promise<DashboardRuntime> {
  const settings = env();
  const statsByTenant = new Map<string, ReturnType<typeof createCallStats>>();
  const statsOf = (tenantId: string) => {
    let stats = statsByTenant.get(tenantId);
    if (!stats) {
      stats = createCallStats();
      statsByTenant.set(tenantId, stats);
    }
    return stats;
  };
  const policyConfig = {
    rbac: RBAC,
    rateLimit: {
      default: { points: settings.gatewayRequestsPerMinute, durationSeconds: 60 },
      tools: { 'billy/create_invoice': { cost: 5 }, 'database/query': { cost: 2 } },
    },
    audit: { dataDir: settings.dataDir },
  };
  // Independent, so side by side: the fleet (its database takes a second) and the stores.
  const [upstreamStart, policiesStart] = await Promise.allSettled([
    upstreamServers(),
    createStagesFromConfig(policyConfig, {
      env: { REDIS_URL: settings.redisUrl, DATABASE_URL: settings.databaseUrl },
      resolvePrincipal,
      apiKeys: keyStore(),
      onApiKeyUse: recordKeyUse,
      // An answered call keeps its audit row through a crash of this process.
      auditSpool: createFileAuditSpool({ dir: join(settings.dataDir, 'audit-spool') }),
      onAuditRecord: (record) => {
        // A call the user declined never ran: it says nothing of latency or errors.
        if (record.outcome === 'rejected' || record.tenantId === undefined) return;
        statsOf(record.tenantId).add({
          server: record.server,
          at: record.timestamp.getTime() + record.durationMs,
          durationMs: record.durationMs,
          success: record.success,
          cache: record.cache,
        });
      },
    }),
  ]);
  if (upstreamStart.status === 'rejected' || policiesStart.status === 'rejected') {
    // Whichever started is stopped again: a retried start must not find its ports or files taken.
    if (upstreamStart.status === 'fulfilled') await upstreamStart.value.close();
    if (policiesStart.status === 'fulfilled') await policiesStart.value.close();
    throw upstreamStart.status === 'rejected'
      ? upstreamStart.reason
      : (policiesStart as PromiseRejectedResult).reason;
  }
  const upstream = upstreamStart.value;
  const policies = policiesStart.value;
  if (!policies.auditStore) throw new Error('audit store is required by the dashboard');
  // Keep-alive node:http to the upstreams: about twice the throughput of the built-in fetch.
  const upstreamFetch = createNodeFetch();
  const gateway = createGateway({
    fetch: upstreamFetch,
    basePath: '/api/gateway',
    // Notice a recovered upstream within seconds: in remote mode each server has one instance.
    healthCheck: { intervalMs: 5000, timeoutMs: 2000 },
    ejection: { cooldownMs: 2000 },
    allowedOrigins: settings.allowedOrigins,
    // The app's own origins only; localhost when none is configured (a local run).
    allowLocalhostOrigins: settings.allowedOrigins.length === 0,
    operators: OPERATORS,
    servers: upstream.servers,
    authenticate: policies.authenticate,
    stages: policies.stages,
  });
  return {
    gateway,
    auditStore: policies.auditStore,
    flushAudit: (timeoutMs) => policies.flushAudit(timeoutMs),
    callStats: (tenantId) => statsOf(tenantId).snapshot(DASHBOARD_SERVERS),
    upstream: upstream.upstream,
    engines: policies.engines,
    async close() {
      await gateway.close({ deadlineMs: 5000 });
      await flushKeyUse().catch(() => undefined);
      await policies.close();
      await upstreamFetch.close();
      await upstream.close();
    },
  };
}

const globalState = globalThis as typeof globalThis & {
  __tekupRuntime?: Promise<DashboardRuntime>;
};

/** The dashboard's gateway runtime, started once per server process on first use. */
export function runtime(): Promise<DashboardRuntime> {
  globalState.__tekupRuntime ??= start().catch((error: unknown) => {
    globalState.__tekupRuntime = undefined;
    throw error;
  });
  return globalState.__tekupRuntime;
}
