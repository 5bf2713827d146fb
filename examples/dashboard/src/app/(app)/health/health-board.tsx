'use client';

import { useEffect, useState } from 'react';
import type { ServerStatus } from '@tekup/mcp-gateway';
import { Sparkline } from '@/components/sparkline';
import type { ServerCallStats } from '@/server/call-stats';

interface HealthResponse {
  updatedAt: string;
  upstream: 'in-process' | 'remote';
  engines: { rateLimit: string; cache: string; audit: string };
  servers: ServerStatus[];
  upstreamServers?: ServerStatus[];
  stats: ServerCallStats[];
}

const REFRESH_MS = 5000;

function ms(value: number | null): string {
  return value === null ? '—' : `${Math.round(value)} ms`;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function StateBadge({ state, available }: { state: string; available: boolean }) {
  const tone = available
    ? 'bg-emerald-50 text-emerald-800'
    : state === 'ejected' || state === 'unhealthy'
      ? 'bg-red-50 text-red-800'
      : 'bg-amber-50 text-amber-900';
  return <span className={`rounded-full px-2 py-0.5 font-medium text-xs ${tone}`}>{state}</span>;
}

/** Live server, instance and call figures, refreshed while the page is open. */
export function HealthBoard() {
  const [data, setData] = useState<HealthResponse | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function load() {
      try {
        const response = await fetch('/api/health', { cache: 'no-store' });
        const body = (await response.json()) as HealthResponse & { error?: { message: string } };
        if (!response.ok)
          throw new Error(body.error?.message ?? `Health request failed (${response.status})`);
        if (!stopped) {
          setData(body);
          setError(undefined);
        }
      } catch (caught) {
        if (!stopped) setError(caught instanceof Error ? caught.message : String(caught));
      } finally {
        if (!stopped) timer = setTimeout(load, REFRESH_MS);
      }
    }
    void load();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, []);

  if (!data) {
    return error ? (
      <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-red-700 text-sm">
        {error}
      </p>
    ) : (
      <p className="text-slate-500 text-sm">Loading gateway status…</p>
    );
  }

  const statsByServer = new Map(data.stats.map((entry) => [entry.server, entry]));
  const instanceView = data.upstreamServers ?? data.servers;
  // Traffic counters cover every organization: only operators get them (and these columns).
  const detailed = instanceView.some((server) =>
    server.instances.some((instance) => instance.requests !== undefined),
  );
  return (
    <div className="space-y-4">
      {error ? (
        <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-amber-900 text-sm">
          Could not refresh: {error}. Showing figures from{' '}
          {new Date(data.updatedAt).toLocaleTimeString('en-GB')}.
        </p>
      ) : null}
      <p className="text-slate-600 text-xs" aria-live="polite">
        Upstream: {data.upstream === 'remote' ? 'standalone gateway' : 'in-process demo fleet'} ·
        cache {data.engines.cache} · rate limit {data.engines.rateLimit} · audit{' '}
        {data.engines.audit} · updated{' '}
        <time dateTime={data.updatedAt}>
          {new Date(data.updatedAt).toLocaleTimeString('en-GB')}
        </time>
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        {instanceView.map((server) => {
          const stats = statsByServer.get(server.name);
          return (
            <section
              key={server.name}
              aria-labelledby={`server-${server.name}`}
              data-testid={`health-${server.name}`}
              className="rounded-xl border border-slate-200 bg-white p-4"
            >
              <div className="flex items-center justify-between">
                <h2 id={`server-${server.name}`} className="font-semibold">
                  {server.name}
                </h2>
                <span
                  className={`rounded-full px-2 py-0.5 font-medium text-xs ${server.healthy ? 'bg-emerald-50 text-emerald-800' : 'bg-red-50 text-red-800'}`}
                >
                  {server.healthy ? 'healthy' : 'unavailable'}
                </span>
              </div>
              <dl className="mt-3 grid grid-cols-4 gap-2 text-xs">
                <div>
                  <dt className="text-slate-500">p50</dt>
                  <dd className="font-medium text-sm tabular-nums">{ms(stats?.p50Ms ?? null)}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">p95</dt>
                  <dd className="font-medium text-sm tabular-nums">{ms(stats?.p95Ms ?? null)}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">errors</dt>
                  <dd className="font-medium text-sm tabular-nums">
                    {percent(stats?.errorRate ?? 0)}
                  </dd>
                </div>
                <div>
                  <dt className="text-slate-500">cache hits</dt>
                  <dd className="font-medium text-sm tabular-nums">
                    {percent(stats?.cacheHitRatio ?? 0)}
                  </dd>
                </div>
              </dl>
              <div className="mt-3 flex flex-wrap items-center gap-4 text-slate-500 text-xs">
                <span className="flex items-center gap-2">
                  calls/min{' '}
                  <Sparkline
                    values={stats?.series.map((point) => point.calls) ?? []}
                    label={`${server.name} calls per minute, last 15 minutes`}
                  />
                </span>
                <span className="flex items-center gap-2">
                  p95{' '}
                  <Sparkline
                    values={stats?.series.map((point) => point.p95Ms) ?? []}
                    label={`${server.name} p95 latency per minute`}
                    tone="red"
                  />
                </span>
              </div>
              <table className="mt-3 w-full text-left text-xs">
                <caption className="sr-only">{server.name} instances</caption>
                <thead className="text-slate-500">
                  <tr>
                    <th scope="col" className="py-1">
                      Instance
                    </th>
                    <th scope="col" className="py-1">
                      State
                    </th>
                    <th scope="col" className="py-1 text-right">
                      Latency
                    </th>
                    {detailed ? (
                      <>
                        <th scope="col" className="py-1 text-right">
                          Requests
                        </th>
                        <th scope="col" className="py-1 text-right">
                          Failures
                        </th>
                      </>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {server.instances.map((instance) => (
                    <tr
                      key={instance.url}
                      className="border-slate-100 border-t"
                      data-state={instance.state}
                    >
                      <td
                        className="max-w-[14rem] truncate py-1 font-mono"
                        title={instance.lastError ?? instance.url}
                      >
                        {instance.url}
                      </td>
                      <td className="py-1">
                        <StateBadge state={instance.state} available={instance.available} />
                      </td>
                      <td className="py-1 text-right tabular-nums">{ms(instance.latencyMs)}</td>
                      {detailed ? (
                        <>
                          <td className="py-1 text-right tabular-nums">{instance.requests}</td>
                          <td className="py-1 text-right tabular-nums">{instance.failures}</td>
                        </>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="mt-2 text-slate-500 text-xs">
                {server.loadBalancing} · cache TTL {server.cacheTtlSeconds} s · {stats?.calls ?? 0}{' '}
                calls of your organization in 15 min
              </p>
            </section>
          );
        })}
      </div>
    </div>
  );
}
