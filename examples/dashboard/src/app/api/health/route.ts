import { authenticate } from '@/server/auth';
import { runtime } from '@/server/gateway';
import { handle, json } from '@/server/http';

export const dynamic = 'force-dynamic';

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
      stats: callStats(),
    });
  });
}
