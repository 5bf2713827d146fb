import { boot } from '@/server/boot';
import { runtime } from '@/server/gateway';
import { json } from '@/server/http';

export const dynamic = 'force-dynamic';

/**
 * Readiness: 200 once the dashboard can serve a first sign-in and a first tool call — its
 * database open and seeded, the gateway front and its audit store up, every server reachable —
 * and 503 until then. Load balancers and the e2e suite wait on it, not on a page.
 */
export async function GET(): Promise<Response> {
  try {
    // The start-up (database and seed, fleet, stores, upstream sessions, audit table), once;
    // after a failed start, this probe starts again.
    if (!(await boot())) return json({ ready: false }, { status: 503 });
    const { gateway } = await runtime();
    const down = gateway
      .status()
      .filter((server) => !server.healthy)
      .map((server) => server.name);
    if (down.length > 0) return json({ ready: false, waitingFor: down }, { status: 503 });
    return json({ ready: true });
  } catch {
    return json({ ready: false }, { status: 503 });
  }
}
