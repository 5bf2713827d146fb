/**
 * {@link GatewayMetrics} on prom-client (one Registry per gateway), with Node's default
 * process metrics.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type GatewayMetrics, LATENCY_BUCKETS } from '../observability/metrics.js';
import type { PolicyMetrics } from '../policies/metrics.js';

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

/** Most distinct tool names per server kept as label values; the rest count as `other`. */
const MAX_TOOL_LABELS = 200;

/**
 * The policy stages' {@link PolicyMetrics} on prom-client: cache results, refusals, store
 * failures, the audit queue and per-tool latency. Pass the gateway metrics' `registry` so one
 * `/metrics` shows both.
 *
 * @example
 * const metrics = createPromClientMetrics();
 * const policies = await createStagesFromConfig(config, { metrics: createPromClientPolicyMetrics({ registry: metrics.registry }) });
 */
export function createPromClientPolicyMetrics(options: { registry: Registry }): PolicyMetrics {
  const registers = [options.registry];
  const cache = new Counter({
    name: 'mcp_gateway_cache_lookups_total',
    help: 'Cache lookups for read-only tool calls, by server and result (hit, miss, stale, bypass).',
    labelNames: ['server', 'result'],
    registers,
  });
  const rateLimited = new Counter({
    name: 'mcp_gateway_rate_limited_total',
    help: 'Requests refused with 429, by server.',
    labelNames: ['server'],
    registers,
  });
  const denied = new Counter({
    name: 'mcp_gateway_denied_total',
    help: 'Requests refused by RBAC, by server and reason.',
    labelNames: ['server', 'reason'],
    registers,
  });
  const storeFailures = new Counter({
    name: 'mcp_gateway_store_failures_total',
    help: 'Failed calls to Redis or the audit database, by store and what the stage did.',
    labelNames: ['store', 'fail_mode'],
    registers,
  });
  const auditQueue = new Gauge({
    name: 'mcp_gateway_audit_queue_depth',
    help: 'Audit rows waiting to be written.',
    registers,
  });
  const auditDropped = new Counter({
    name: 'mcp_gateway_audit_dropped_total',
    help: 'Audit rows dropped because the buffer was full.',
    registers,
  });
  const toolCalls = new Histogram({
    name: 'mcp_gateway_tool_call_duration_seconds',
    help: 'Tool call decisions by server, tool and outcome (success, failure, denied, rate_limited, cached).',
    labelNames: ['server', 'tool', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const toolLabels = new Map<string, Set<string>>();
  const toolLabel = (server: string, tool: string): string => {
    let seen = toolLabels.get(server);
    if (!seen) {
      seen = new Set();
      toolLabels.set(server, seen);
    }
    if (seen.has(tool)) return tool;
    if (seen.size >= MAX_TOOL_LABELS) return 'other';
    seen.add(tool);
    return tool;
  };
  return {
    cacheLookup(server, result) {
      cache.inc({ server, result });
    },
    rateLimited(server) {
      rateLimited.inc({ server });
    },
    denied(server, reason) {
      denied.inc({ server, reason });
    },
    storeFailure(store, failMode) {
      storeFailures.inc({ store, fail_mode: failMode });
    },
    auditQueueDepth(depth) {
      auditQueue.set(depth);
    },
    auditDropped(count) {
      auditDropped.inc(count);
    },
    toolCall(server, tool, outcome, durationMs) {
      toolCalls.observe({ server, tool: toolLabel(server, tool), outcome }, durationMs / 1000);
    },
  };
}
