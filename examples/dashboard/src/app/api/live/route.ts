import { json } from '@/server/http';

export const dynamic = 'force-dynamic';

/**
 * Liveness: 200 while the process serves requests, whatever its stores and upstreams do (a
 * restart would not mend those). Readiness, which waits for them, is `/api/ready`.
 */
export function GET(): Response {
  return json({ live: true });
}
