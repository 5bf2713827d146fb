/**
 * {@link GatewayMetrics} on prom-client (one Registry per gateway), with Node's default
 * process metrics.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type GatewayMetrics, LATENCY_BUCKETS } from '../observability/metrics.js';

/**
 * Creates prom-client backed metrics.
 *
 * @example
 * const gateway = createGateway({ ...config, metrics: createPromClientMetrics() });
 */
export function createPromClientMetrics(
  options: { registry?: Registry; defaultMetrics?: boolean } = {},
): GatewayMetrics & { registry: Registry } {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'mcp_gateway_requests_total',
    help: 'MCP requests handled, by server, method, tool and outcome code.',
    labelNames: ['server', 'method', 'tool', 'code'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'mcp_gateway_errors_total',
    help: 'MCP requests that failed, by server, tool and error code.',
    labelNames: ['server', 'tool', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'mcp_gateway_request_duration_seconds',
    help: 'Time from request to response.',
    labelNames: ['server', 'method'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'mcp_gateway_in_flight_requests',
    help: 'Requests being handled now.',
    labelNames: ['server'],
    registers: [registry],
  });
  const health = new Gauge({
    name: 'mcp_gateway_instance_healthy',
    help: '1 when an upstream instance takes traffic, 0 when ejected.',
    labelNames: ['server', 'instance'],
    registers: [registry],
  });
  return {
    registry,
    get contentType() {
      return registry.contentType;
    },
    requestStarted(server) {
      inFlight.inc({ server });
    },
    requestFinished(labels, durationSeconds) {
      inFlight.dec({ server: labels.server });
      requests.inc({
        server: labels.server,
        method: labels.method,
        tool: labels.tool,
        code: labels.code,
      });
      if (labels.code !== 'ok')
        errors.inc({ server: labels.server, tool: labels.tool, code: labels.code });
      duration.observe({ server: labels.server, method: labels.method }, durationSeconds);
    },
    instanceHealth(server, instance, healthy) {
      health.set({ server, instance }, healthy ? 1 : 0);
    },
    render: () => registry.metrics(),
  };
}
