/**
 * What `/servers` shows of a server and its instances, and the redacted form for callers who
 * are not operators.
 */
import type { ServerConfig } from '../config/types.js';

/** Breaker state of one instance. `unknown` until the first request or health check. */
export type InstanceState = 'unknown' | 'healthy' | 'ejected' | 'probing';

/**
 * What `/servers` shows about one instance. The traffic counters and the last error count every
 * organization's calls, so only operators see them (they are absent in {@link redactStatus}).
 */
export interface InstanceStatus {
  /** Instance URL without credentials or query string (`instance-N` for non-operators). */
  url: string;
  state: InstanceState;
  /** True when the balancer may send it traffic now. */
  available: boolean;
  /** Moving average of successful request latency (ms), or null before any. */
  latencyMs: number | null;
  outstanding?: number;
  requests?: number;
  failures?: number;
  consecutiveFailures?: number;
  lastError?: string | null;
  lastCheckedAt: string | null;
}

/** What `/servers` shows about one server. */
export interface ServerStatus {
  name: string;
  /** True when at least one instance may take traffic. */
  healthy: boolean;
  loadBalancing: ServerConfig['loadBalancing'];
  cacheTtlSeconds: number;
  toolCallTimeoutMs: number;
  instances: InstanceStatus[];
}

/** An instance URL without credentials or query string, as logs and `/servers` show it. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return 'invalid-url';
  }
}

/**
 * A status without infrastructure detail, for callers who are not operators: instances are
 * numbered instead of named; error texts (which can carry host names) and the traffic counters
 * (which count every organization's calls) are left out.
 */
export function redactStatus(status: ServerStatus): ServerStatus {
  return {
    ...status,
    instances: status.instances.map((instance, index) => ({
      url: `instance-${index + 1}`,
      state: instance.state,
      available: instance.available,
      latencyMs: instance.latencyMs,
      lastCheckedAt: instance.lastCheckedAt,
    })),
  };
}
