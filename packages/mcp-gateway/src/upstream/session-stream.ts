/**
 * The standalone GET stream of an upstream session, kept open to hear
 * `notifications/tools/list_changed` (servers send unrelated notifications only there),
 * reconnecting with backoff while the session lives. A 405 or 404 means the upstream offers
 * no such stream.
 */
import { parseSse } from '../http/sse.js';
import { delay } from './backoff.js';

/** Options of {@link listenToSession}. */
export interface SessionStreamOptions {
  fetch: typeof fetch;
  url: string;
  /** The GET's headers, read for each connection. */
  headers: () => Record<string, string>;
  /** Stops listening. */
  signal: AbortSignal;
  /** False once the session the stream belongs to is gone. */
  current: () => boolean;
  /** A request of the server's own (it must be answered). */
  onServerRequest: (id: unknown, method: string) => void;
  onListChanged: (method: string) => void;
  /** `notifications/resources/updated` for a resource this session subscribed to. */
  onUpdated: (params: Record<string, unknown>) => void;
}

/** Consecutive failed connections after which the stream is given up until the next session. */
const maxFailures = 6;

/** Listens until `signal` aborts, the session ends, or the upstream has no stream to offer. */
export async function listenToSession(options: SessionStreamOptions): Promise<void> {
  const { signal } = options;
  let failures = 0;
  while (!signal.aborted && options.current() && failures < maxFailures) {
    try {
      const response = await options.fetch(options.url, {
        method: 'GET',
        headers: options.headers(),
        signal,
      });
      if (!response.ok || response.body === null) {
        await response.body?.cancel().catch(() => undefined);
        if (response.status === 405 || response.status === 404) return;
        failures++;
      } else {
        failures = 0;
        for await (const event of parseSse(response.body)) {
          try {
            const message = JSON.parse(event.data) as {
              method?: unknown;
              id?: unknown;
              params?: unknown;
            };
            if (typeof message.method !== 'string') continue;
            if (message.id !== undefined) options.onServerRequest(message.id, message.method);
            else if (message.method.endsWith('/list_changed'))
              options.onListChanged(message.method);
            else if (
              message.method === 'notifications/resources/updated' &&
              typeof message.params === 'object' &&
              message.params !== null
            ) {
              options.onUpdated(message.params as Record<string, unknown>);
            }
          } catch {
            // Not JSON: ignore the event.
          }
        }
      }
    } catch {
      failures++;
    }
    if (signal.aborted) return;
    await delay(Math.min(30_000, 250 * 2 ** failures), signal);
  }
}
