import 'server-only';
import { Redis } from 'ioredis';
import { env } from './env';

const globalState = globalThis as typeof globalThis & { __tekupRedis?: Redis | null };

/**
 * The dashboard's own Redis connection (session revocations, login throttling, the chat limit)
 * when `REDIS_URL` is set; undefined otherwise. Bounded: a command that cannot run within
 * 250 ms fails instead of queueing while Redis is away.
 */
export function redis(): Redis | undefined {
  if (globalState.__tekupRedis === undefined) {
    const { redisUrl } = env();
    if (!redisUrl) {
      globalState.__tekupRedis = null;
    } else {
      const client = new Redis(redisUrl, {
        commandTimeout: 250,
        connectTimeout: 1000,
        maxRetriesPerRequest: 0,
        retryStrategy: (times) => Math.min(times * 200, 2000),
      });
      let lastLog = 0;
      // ioredis emits 'error' on every failed reconnect; without a listener Node would crash.
      client.on('error', (error: Error) => {
        if (Date.now() - lastLog < 10_000) return;
        lastLog = Date.now();
        console.warn('dashboard redis unavailable', error.message);
      });
      globalState.__tekupRedis = client;
    }
  }
  return globalState.__tekupRedis ?? undefined;
}
