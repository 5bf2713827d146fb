import {
  onBehalfValue,
  type Principal,
  redactStatus,
  type ServerStatus,
  seesInfrastructure,
} from '@tekup/mcp-gateway';
import { authenticate, principalOf } from '@/server/auth';
import { env } from '@/server/env';
import { OPERATORS, runtime } from '@/server/gateway';
import { handle, json } from '@/server/http';

export const dynamic = 'force-dynamic';

/**
 * The standalone gateway's own view of its instances (remote mode), asked for on behalf of the
 * caller so it applies the same visibility rules; undefined when it cannot say.
 */
async function upstreamStatus(principal: Principal): Promise<ServerStatus[] | undefined> {
  const { gatewayUrl, gatewayApiKey } = env();
  if (!gatewayUrl) return undefined;
  const headers: Record<string, string> = {};
  if (gatewayApiKey) {
    headers.authorization = `Bearer ${gatewayApiKey}`;
    headers['x-tekup-on-behalf-of'] = onBehalfValue(principal);
  }
  try {
    const response = await fetch(`${gatewayUrl}/servers`, {
      headers,
      signal: AbortSignal.timeout(2000),
      cache: 'no-store',
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { servers?: ServerStatus[] };
    return Array.isArray(body.servers) ? body.servers : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Live figures for the Gateway health page, as the caller may see them: the servers their
 * organization may use, instance URLs only for operators, call figures of their own organization.
 */
export async function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const principal = principalOf(await authenticate(request));
    const { gateway, callStats, upstream, engines } = await runtime();
    const servers = gateway.status(principal);
    const visible = new Set(servers.map((server) => server.name));
    const detailed = seesInfrastructure(principal, { ...OPERATORS });
    const remote = (await upstreamStatus(principal))
      ?.filter((server) => visible.has(server.name))
      .map((server) => (detailed ? server : redactStatus(server)));
    return json({
      updatedAt: new Date().toISOString(),
      upstream,
      engines,
      servers,
      upstreamServers: remote,
      stats: principal.tenantId
        ? callStats(principal.tenantId).filter((entry) => visible.has(entry.server))
        : [],
    });
  });
}
