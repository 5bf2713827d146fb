import 'server-only';

/** One finished tool call as the stats window sees it. */
export interface CallSample {
  server: string;
  at: number;
  durationMs: number;
  success: boolean;
  cache?: 'hit' | 'miss' | 'stale' | 'bypass' | undefined;
}

/** Per-server figures over the window, plus a per-minute series for the small charts. */
export interface ServerCallStats {
  server: string;
  calls: number;
  errorRate: number;
  cacheHitRatio: number;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Oldest first, one point per minute of the window. */
  series: Array<{ minute: number; calls: number; errors: number; p95Ms: number | null }>;
}

function percentile(sorted: number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? null;
}

/**
 * A bounded in-memory window of recent tool calls per server. It answers the health page's live
 * figures without a database round trip; each dashboard instance sees its own traffic.
 */
export function createCallStats(
  options: { windowMinutes?: number; maxSamplesPerServer?: number } = {},
) {
  const windowMs = (options.windowMinutes ?? 15) * 60_000;
  const maxSamples = options.maxSamplesPerServer ?? 5000;
  const samples = new Map<string, CallSample[]>();

  function prune(list: CallSample[], now: number): void {
    let drop = 0;
    while (drop < list.length && (list[drop]?.at ?? 0) < now - windowMs) drop++;
    if (list.length - drop > maxSamples) drop = list.length - maxSamples;
    if (drop > 0) list.splice(0, drop);
  }

  return {
    add(sample: CallSample): void {
      let list = samples.get(sample.server);
      if (!list) {
        list = [];
        samples.set(sample.server, list);
      }
      list.push(sample);
      // Trimmed in batches: dropping one sample per call would shift the whole array every time.
      const head = list[0];
      if (
        list.length > maxSamples * 1.25 ||
        (head !== undefined && head.at < sample.at - windowMs * 1.25)
      )
        prune(list, sample.at);
    },
    snapshot(servers: readonly string[], now = Date.now()): ServerCallStats[] {
      const minutes = Math.round(windowMs / 60_000);
      const firstMinute = Math.floor(now / 60_000) - minutes + 1;
      return servers.map((server) => {
        const list = samples.get(server) ?? [];
        prune(list, now);
        const durations = list.map((sample) => sample.durationMs).sort((a, b) => a - b);
        const errors = list.filter((sample) => !sample.success).length;
        const hits = list.filter(
          (sample) => sample.cache === 'hit' || sample.cache === 'stale',
        ).length;
        const cacheable = list.filter(
          (sample) => sample.cache !== undefined && sample.cache !== 'bypass',
        ).length;
        const series = Array.from({ length: minutes }, (_, index) => {
          const minute = firstMinute + index;
          const inMinute = list.filter((sample) => Math.floor(sample.at / 60_000) === minute);
          return {
            minute: minute * 60_000,
            calls: inMinute.length,
            errors: inMinute.filter((sample) => !sample.success).length,
            p95Ms: percentile(
              inMinute.map((sample) => sample.durationMs).sort((a, b) => a - b),
              0.95,
            ),
          };
        });
        return {
          server,
          calls: list.length,
          errorRate: list.length ? errors / list.length : 0,
          cacheHitRatio: cacheable ? hits / cacheable : 0,
          p50Ms: percentile(durations, 0.5),
          p95Ms: percentile(durations, 0.95),
          series,
        };
      });
    },
  };
}
