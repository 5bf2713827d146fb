/**
 * Closed-loop HTTP load: `connections` keep-alive connections, each sending its next request
 * when the previous answer has arrived, for a fixed time.
 *
 * The connections are opened and used once before the clock starts, fifty at a time. Opened all
 * at once against a saturated Node server (even a trivial one), hundreds of connections wait in
 * its accept queue for seconds while the accepted ones are served — a start-up burst that says
 * more about the load generator than about the server. Users behind a browser or a proxy arrive
 * on connections already open, which is what this measures.
 */
import { Client } from 'undici';

/** One request to repeat. */
export interface LoadTarget {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** What one run measured. */
export interface LoadResult {
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  /** Answers counted (the percentiles' sample). */
  total: number;
  /** Failed requests, timeouts and non-2xx answers. */
  errors: number;
  /** `errors` over every request sent. */
  errorRate: number;
}

const TIMEOUT_MS = 10_000;
const OPEN_AT_ONCE = 50;

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}

/** Sends one request on `client`; resolves to whether it was answered 2xx. */
async function send(client: Client, path: string, target: LoadTarget): Promise<boolean> {
  try {
    const response = await client.request({
      path,
      method: target.method ?? 'GET',
      ...(target.headers ? { headers: target.headers } : {}),
      ...(target.body === undefined ? {} : { body: target.body }),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    await response.body.dump({ limit: Number.POSITIVE_INFINITY });
    return response.statusCode >= 200 && response.statusCode < 300;
  } catch {
    return false;
  }
}

/** Runs `target` from `connections` connections for `seconds` and measures every answer. */
export async function measureLoad(
  target: LoadTarget,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const url = new URL(target.url);
  const path = `${url.pathname}${url.search}`;
  const clients = Array.from(
    { length: connections },
    () => new Client(url.origin, { pipelining: 1, keepAliveTimeout: 60_000 }),
  );
  try {
    for (let index = 0; index < clients.length; index += OPEN_AT_ONCE) {
      await Promise.all(
        clients.slice(index, index + OPEN_AT_ONCE).map((client) => send(client, path, target)),
      );
    }
    const latencies: number[] = [];
    let errors = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline) {
          const sentAt = performance.now();
          const ok = await send(client, path, target);
          if (ok) latencies.push(performance.now() - sentAt);
          else errors += 1;
        }
      }),
    );
    const elapsed = performance.now() - started;
    const sorted = Float64Array.from(latencies).sort();
    const sent = latencies.length + errors;
    return {
      connections,
      seconds,
      requestsPerSecond: Math.round((latencies.length / elapsed) * 1000),
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
      mean: latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length),
      total: latencies.length,
      errors,
      errorRate: sent === 0 ? 0 : errors / sent,
    };
  } finally {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  }
}
