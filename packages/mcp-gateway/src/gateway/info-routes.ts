/**
 * The operational routes: `GET {base}/health` (public liveness/readiness), `GET {base}/servers`
 * (what the caller may see of each server) and `GET {base}/metrics` (operators only).
 */
import type { ServerConfig } from '../config/types.js';
import { GatewayError } from '../errors.js';
import { jsonResponse } from '../http/json-rpc.js';
import { mayDiscover, seesInfrastructure } from '../pipeline/access.js';
import type { Principal } from '../pipeline/types.js';
import { redactStatus, type ServerStatus } from '../upstream/status.js';
import type { GatewayCore, RequestInfo } from './core.js';

/** The routes this module answers. */
export const infoRoutes = new Set(['/health', '/servers', '/metrics']);

/** `/servers` as this principal may see it: no internal servers of others, no URLs for non-operators. */
export function visibleStatus(core: GatewayCore, principal: Principal): ServerStatus[] {
  const { config } = core;
  const detailed = seesInfrastructure(principal, config.operators);
  return [...core.pools.values()]
    .filter((pool) =>
      mayDiscover(principal, config.servers[pool.name] as ServerConfig, config.operators),
    )
    .map((pool) => (detailed ? pool.status() : redactStatus(pool.status())));
}

function health(core: GatewayCore, headers: Headers): Response {
  const servers = [...core.pools.values()].map((pool) => pool.status());
  const { closing } = core.inFlight;
  const usable = !closing && servers.some((server) => server.healthy);
  headers.set('cache-control', 'no-store');
  return jsonResponse(
    {
      status: closing ? 'shutting_down' : usable ? 'ok' : 'unavailable',
      // Unauthenticated: internal servers are not named to the world.
      servers: Object.fromEntries(
        servers
          .filter((server) => core.config.servers[server.name]?.tenancy !== 'internal')
          .map((server) => [server.name, server.healthy ? 'up' : 'down']),
      ),
    },
    usable ? 200 : 503,
    headers,
  );
}

/** Answers one of {@link infoRoutes}. */
export async function answerInfoRoute(
  core: GatewayCore,
  route: string,
  request: Request,
  info: RequestInfo,
  headers: Headers,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw new GatewayError('method_not_allowed', `${request.method} is not supported here`);
  }
  switch (route) {
    case '/health':
      return health(core, headers);
    case '/servers': {
      const principal = await core.authenticate(request, info);
      headers.set('cache-control', 'no-store');
      return jsonResponse({ servers: visibleStatus(core, principal) }, 200, headers);
    }
    default: {
      // The counters cover every organization's traffic: operators only.
      const principal = await core.authenticate(request, info);
      if (!seesInfrastructure(principal, core.config.operators)) {
        throw new GatewayError('forbidden', 'Metrics are for the operators of the gateway', {
          data: { reason: 'operators_only' },
        });
      }
      headers.set('content-type', core.metrics.contentType);
      return new Response(await core.metrics.render(), { status: 200, headers });
    }
  }
}
