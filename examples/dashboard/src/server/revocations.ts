import 'server-only';
import { database } from './db';
import { redis } from './redis';

const PREFIX = 'tekup:revoked-session:';

/**
 * Ends a session server-side: its id is on a deny list until the cookie would have expired
 * anyway, in Redis when configured (every instance sees it at once), else in the dashboard's
 * database (Postgres is shared by every instance too).
 */
export async function revokeSession(sid: string, expiresAt: number): Promise<void> {
  const ttlMs = Math.max(1000, expiresAt - Date.now());
  const client = redis();
  if (client) {
    await client.set(`${PREFIX}${sid}`, '1', 'PX', ttlMs);
    return;
  }
  const db = await database();
  await db.query(
    `insert into dashboard_revoked_sessions (sid, expires_at) values ($1, $2)
     on conflict (sid) do nothing`,
    [sid, new Date(expiresAt).toISOString()],
  );
  // Expired entries are only clutter: the cookie itself has expired by then.
  await db.query('delete from dashboard_revoked_sessions where expires_at < now()');
}

/**
 * Whether a session was ended. While the deny list cannot be read the session is accepted and
 * the outage logged: signing everyone out because a store is down would be the larger harm.
 */
export async function isSessionRevoked(sid: string): Promise<boolean> {
  try {
    const client = redis();
    if (client) return (await client.exists(`${PREFIX}${sid}`)) === 1;
    const db = await database();
    const rows = await db.query('select 1 from dashboard_revoked_sessions where sid = $1', [sid]);
    return rows.length > 0;
  } catch (error) {
    console.warn(
      'session deny list unavailable; accepting the session',
      error instanceof Error ? error.message : error,
    );
    return false;
  }
}
