/**
 * The metrics seam and a small dependency-free Prometheus text-format implementation
 * (prom-client pulls in Node built-ins, so it lives behind `./node`'s
 * `createPromClientMetrics`).
 */

/** Labels of one finished request. */
export interface RequestLabels {
  server: string;
  method: string;
  /** Tool name for `tools/call`, else ''. */
  tool: string;
  /** `ok`, or the gateway error code. */
  code: string;
}

/** What the gateway reports. */
export interface GatewayMetrics {
  /** A request entered the pipeline for `server`. */
  requestStarted(server: string): void;
  /** A request finished. */
  requestFinished(labels: RequestLabels, durationSeconds: number): void;
  /** An instance became healthy (true) or was ejected (false). */
  instanceHealth(server: string, instance: string, healthy: boolean): void;
  /** The Prometheus exposition text. */
  render(): Promise<string>;
  /** The exposition content type. */
  readonly contentType: string;
}

/** Latency histogram buckets, seconds. */
export const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

interface Histogram {
  labels: Record<string, string>;
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * Creates the built-in metrics registry (one per gateway). Series:
 * `mcp_gateway_requests_total`, `mcp_gateway_errors_total`,
 * `mcp_gateway_request_duration_seconds`, `mcp_gateway_in_flight_requests`,
 * `mcp_gateway_instance_healthy`.
 */
export function createMetrics(): GatewayMetrics {
  const requests = new Map<string, { labels: Record<string, string>; value: number }>();
  const errors = new Map<string, { labels: Record<string, string>; value: number }>();
  const durations = new Map<string, Histogram>();
  const inFlight = new Map<string, number>();
  const health = new Map<string, { labels: Record<string, string>; value: number }>();

  const bump = (
    map: Map<string, { labels: Record<string, string>; value: number }>,
    labels: Record<string, string>,
  ) => {
    const key = labelText(labels);
    const entry = map.get(key);
    if (entry === undefined) map.set(key, { labels, value: 1 });
    else entry.value++;
  };

  return {
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
    requestStarted(server) {
      inFlight.set(server, (inFlight.get(server) ?? 0) + 1);
    },
    requestFinished(labels, durationSeconds) {
      inFlight.set(labels.server, Math.max(0, (inFlight.get(labels.server) ?? 1) - 1));
      bump(requests, {
        server: labels.server,
        method: labels.method,
        tool: labels.tool,
        code: labels.code,
      });
      if (labels.code !== 'ok') {
        bump(errors, { server: labels.server, tool: labels.tool, code: labels.code });
      }
      const histogramLabels = { server: labels.server, method: labels.method };
      const key = labelText(histogramLabels);
      let histogram = durations.get(key);
      if (histogram === undefined) {
        histogram = {
          labels: histogramLabels,
          buckets: LATENCY_BUCKETS.map(() => 0),
          sum: 0,
          count: 0,
        };
        durations.set(key, histogram);
      }
      for (let index = 0; index < LATENCY_BUCKETS.length; index++) {
        if (durationSeconds <= (LATENCY_BUCKETS[index] as number)) {
          histogram.buckets[index] = (histogram.buckets[index] as number) + 1;
        }
      }
      histogram.sum += durationSeconds;
      histogram.count++;
    },
    instanceHealth(server, instance, healthy) {
      health.set(`${server}\u0000${instance}`, {
        labels: { server, instance },
        value: healthy ? 1 : 0,
      });
    },
    async render() {
      const lines: string[] = [];
      lines.push(
        '# HELP mcp_gateway_requests_total MCP requests handled, by server, method, tool and outcome code.',
      );
      lines.push('# TYPE mcp_gateway_requests_total counter');
      for (const entry of requests.values())
        lines.push(`mcp_gateway_requests_total${labelText(entry.labels)} ${entry.value}`);
      lines.push(
        '# HELP mcp_gateway_errors_total MCP requests that failed, by server, tool and error code.',
      );
      lines.push('# TYPE mcp_gateway_errors_total counter');
      for (const entry of errors.values())
        lines.push(`mcp_gateway_errors_total${labelText(entry.labels)} ${entry.value}`);
      lines.push('# HELP mcp_gateway_request_duration_seconds Time from request to response.');
      lines.push('# TYPE mcp_gateway_request_duration_seconds histogram');
      for (const histogram of durations.values()) {
        LATENCY_BUCKETS.forEach((bound, index) => {
          lines.push(
            `mcp_gateway_request_duration_seconds_bucket${labelText({ ...histogram.labels, le: String(bound) })} ${histogram.buckets[index]}`,
          );
        });
        lines.push(
          `mcp_gateway_request_duration_seconds_bucket${labelText({ ...histogram.labels, le: '+Inf' })} ${histogram.count}`,
        );
        lines.push(
          `mcp_gateway_request_duration_seconds_sum${labelText(histogram.labels)} ${histogram.sum}`,
        );
        lines.push(
          `mcp_gateway_request_duration_seconds_count${labelText(histogram.labels)} ${histogram.count}`,
        );
      }
      lines.push('# HELP mcp_gateway_in_flight_requests Requests being handled now.');
      lines.push('# TYPE mcp_gateway_in_flight_requests gauge');
      for (const [server, value] of inFlight)
        lines.push(`mcp_gateway_in_flight_requests${labelText({ server })} ${value}`);
      lines.push(
        '# HELP mcp_gateway_instance_healthy 1 when an upstream instance takes traffic, 0 when ejected.',
      );
      lines.push('# TYPE mcp_gateway_instance_healthy gauge');
      for (const entry of health.values())
        lines.push(`mcp_gateway_instance_healthy${labelText(entry.labels)} ${entry.value}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
