import 'server-only';
import { LRUCache } from 'lru-cache';
import { database } from './db';
import { redis } from './redis';
import { onRevocation, publishRevocation } from './revocation-feed';

const PREFIX = 'tekup:revoked-session:';

/**
 * How long a "not signed out" answer is trusted before the deny list is read again. A sign-out
 * in this process (or, with Redis, in any instance) is known at once; without Redis, another
 * instance's sign-out takes effect within this time.
 */
const CHECK_TTL_MS = 5000;

const globalState = globalThis as typeof globalThis & {
  __tekupRevokedSessions?: LRUCache<string, boolean>;
};

/** Recent answers of the deny list by session id: revoked ones until the session would expire. */
function answers(): LRUCache<string, boolean> {
  if (!globalState.__tekupRevokedSessions) {
    const cache = new LRUCache<string, boolean>({ max: 50_000, ttl: CHECK_TTL_MS });
    onRevocation((revocation) => {
      if (revocation.kind === 'session') cache.set(revocation.id, true, { ttl: 0 });
    });
    globalState.__tekupRevokedSessions = cache;
  }
  return globalState.__tekupRevokedSessions;
}

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
  } else {
    const db = await database();
    await db.query(
      `insert into dashboard_revoked_sessions (sid, expires_at) values ($1, $2)
       on conflict (sid) do nothing`,
      [sid, new Date(expiresAt).toISOString()],
    );
    // Expired entries are only clutter: the cookie itself has expired by then.
    await db.query('delete from dashboard_revoked_sessions where expires_at < now()');
  }
  answers();
  await publishRevocation({ kind: 'session', id: sid });
}

async function readDenyList(sid: string): Promise<boolean> {
  const client = redis();
  if (client) return (await client.exists(`${PREFIX}${sid}`)) === 1;
  const db = await database();
  const rows = await db.query('select 1 from dashboard_revoked_sessions where sid = $1', [sid]);
  return rows.length > 0;
}

/**
 * Whether a session was ended. While the deny list cannot be read the session is accepted and
 * the outage logged: signing everyone out because a store is down would be the larger harm.
 */
export async function isSessionRevoked(sid: string): Promise<boolean> {
  const cache = answers();
  const known = cache.get(sid);
  if (known !== undefined) return known;
  try {
    const revoked = await readDenyList(sid);
    // A revocation that arrived while the list was read wins over what the read saw.
    if (cache.get(sid) === undefined) cache.set(sid, revoked, revoked ? { ttl: 0 } : {});
    return revoked;
  } catch (error) {
    console.warn(
      'session deny list unavailable; accepting the session',
      error instanceof Error ? error.message : error,
    );
    return false;
  }
}
