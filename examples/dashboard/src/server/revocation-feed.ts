import 'server-only';
import { redis } from './redis';

/** Something ended before it would have expired: a signed-out session or a revoked API key. */
export interface Revocation {
  kind: 'session' | 'api-key';
  id: string;
}

type Listener = (revocation: Revocation) => void;

const CHANNEL = 'tekup:revocations';

const globalState = globalThis as typeof globalThis & {
  __tekupRevocationListeners?: Set<Listener>;
  __tekupRevocationFeed?: 'local' | 'redis';
};

function listeners(): Set<Listener> {
  globalState.__tekupRevocationListeners ??= new Set();
  return globalState.__tekupRevocationListeners;
}

function deliver(revocation: Revocation): void {
  for (const listener of listeners()) listener(revocation);
}

/**
 * Listens for revocations: this process's at once, every other dashboard instance's through
 * Redis pub/sub when `REDIS_URL` is set. The caches that listen (sessions, API keys) expire
 * their entries within seconds anyway, so without Redis another instance's revocation still
 * takes effect within that time.
 */
export function onRevocation(listener: Listener): void {
  listeners().add(listener);
  if (globalState.__tekupRevocationFeed !== undefined) return;
  const client = redis();
  if (!client) {
    globalState.__tekupRevocationFeed = 'local';
    return;
  }
  globalState.__tekupRevocationFeed = 'redis';
  // A subscribed connection can do nothing else, so the feed has its own.
  const subscriber = client.duplicate();
  subscriber.on('error', () => undefined);
  subscriber.on('message', (_channel: string, message: string) => {
    try {
      const parsed = JSON.parse(message) as Partial<Revocation>;
      if ((parsed.kind === 'session' || parsed.kind === 'api-key') && typeof parsed.id === 'string')
        deliver({ kind: parsed.kind, id: parsed.id });
    } catch {
      // Not ours: ignore.
    }
  });
  subscriber.subscribe(CHANNEL).catch((error: unknown) => {
    console.warn(
      'revocation feed unavailable; other instances learn of revocations when their caches expire',
      error instanceof Error ? error.message : error,
    );
  });
}

/** Tells this process's caches now, and every other instance's through Redis when configured. */
export async function publishRevocation(revocation: Revocation): Promise<void> {
  deliver(revocation);
  const client = redis();
  if (!client) return;
  try {
    await client.publish(CHANNEL, JSON.stringify(revocation));
  } catch (error) {
    console.warn(
      'revocation not broadcast; other instances learn of it when their caches expire',
      error instanceof Error ? error.message : error,
    );
  }
}
