import type { ServerStatus } from '@tekup/mcp-gateway';
import { authenticate } from '@/server/auth';
import { env } from '@/server/env';
import { runtime } from '@/server/gateway';
import { handle, json } from '@/server/http';

export const dynamic = 'force-dynamic';

/** The standalone gateway's own view of its instances (remote mode); undefined when it cannot say. */
async function upstreamStatus(): Promise<ServerStatus[] | undefined> {
  const { gatewayUrl, gatewayApiKey } = env();
  if (!gatewayUrl) return undefined;
  try {
    const response = await fetch(`${gatewayUrl}/servers`, {
      headers: gatewayApiKey ? { authorization: `Bearer ${gatewayApiKey}` } : {},
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

/** Live figures for the Gateway health page: instance state from the gateway, call stats from the window. */
export async function GET(request: Request): Promise<Response> {
  return handle(async () => {
    await authenticate(request);
    const { gateway, callStats, upstream, engines } = await runtime();
    return json({
      updatedAt: new Date().toISOString(),
      upstream,
      engines,
      servers: gateway.status(),
      upstreamServers: await upstreamStatus(),
      stats: callStats(),
    });
  });
}
