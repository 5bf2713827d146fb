/**
 * One upstream instance as the balancer sees it, and its circuit breaker: healthy until
 * `ejection.consecutiveFailures` failures in a row, then ejected for `ejection.cooldownMs`,
 * then half open (one probe at a time) until a success re-admits it or a failure ejects it
 * again.
 *
 * The breaker is a small state machine rather than cockatiel's: the balancer must *query*
 * each instance's state before choosing (cockatiel only wraps an execution), active health
 * checks must be able to re-admit an instance, and time must come from the injected clock.
 */
import type { GatewayConfig } from '../config/types.js';
import type { UpstreamConnection } from './connection.js';
import type { UpstreamFailure } from './failure.js';
import type { InteractionKey } from './interaction.js';
import { type InstanceState, type InstanceStatus, redactUrl } from './status.js';

/** One instance, its connection, its breaker state and its counters. */
export interface Instance {
  readonly url: string;
  /** The URL as logs and `/servers` show it. */
  readonly label: string;
  /** The session for clients that can be asked nothing (and for health checks and listings). */
  readonly connection: UpstreamConnection;
  /** Sessions declaring elicitation and/or sampling, one per {@link InteractionKey}, made on first use. */
  readonly interactive: Map<InteractionKey, UpstreamConnection>;
  state: InstanceState;
  consecutiveFailures: number;
  ejectedUntil: number;
  outstanding: number;
  requests: number;
  failures: number;
  latencyMs: number | null;
  lastError: string | null;
  lastCheckedAt: number | null;
}

/** An instance nobody has asked yet. */
export function createInstance(url: string, connection: UpstreamConnection): Instance {
  return {
    url,
    label: redactUrl(url),
    connection,
    interactive: new Map(),
    state: 'unknown',
    consecutiveFailures: 0,
    ejectedUntil: 0,
    outstanding: 0,
    requests: 0,
    failures: 0,
    latencyMs: null,
    lastError: null,
    lastCheckedAt: null,
  };
}

/** May the balancer send the instance traffic at `now`? */
export function isAvailable(instance: Instance, now: number): boolean {
  if (instance.state === 'ejected') return now >= instance.ejectedUntil;
  // A half-open instance takes one probe at a time.
  if (instance.state === 'probing') return instance.outstanding === 0;
  return true;
}

/**
 * Counts a success. Returns the change it made: `healthy` (first success), `readmitted` (an
 * ejected or probing instance is back), or undefined.
 */
export function recordSuccess(
  instance: Instance,
  latencyMs: number,
): 'healthy' | 'readmitted' | undefined {
  const wasAvailable = instance.state !== 'ejected' && instance.state !== 'probing';
  instance.consecutiveFailures = 0;
  instance.latencyMs =
    instance.latencyMs === null ? latencyMs : instance.latencyMs * 0.8 + latencyMs * 0.2;
  if (instance.state === 'healthy') return undefined;
  instance.state = 'healthy';
  return wasAvailable ? 'healthy' : 'readmitted';
}

/**
 * Counts a failure. Returns `ejected` when it ejected the instance, `extended` when an
 * ejected instance's cooldown starts over, or undefined.
 */
export function recordFailure(
  instance: Instance,
  failure: UpstreamFailure,
  ejection: GatewayConfig['ejection'],
  now: () => number,
): 'ejected' | 'extended' | undefined {
  instance.failures++;
  instance.consecutiveFailures++;
  instance.lastError = failure.message;
  if (instance.state !== 'probing' && instance.consecutiveFailures < ejection.consecutiveFailures)
    return undefined;
  const change = instance.state === 'ejected' ? 'extended' : 'ejected';
  instance.state = 'ejected';
  instance.ejectedUntil = now() + ejection.cooldownMs;
  return change;
}

/** What `/servers` shows of the instance at `now` (operators' view). */
export function instanceStatus(instance: Instance, now: number): InstanceStatus {
  return {
    url: instance.label,
    state: instance.state,
    available: isAvailable(instance, now),
    latencyMs: instance.latencyMs === null ? null : Math.round(instance.latencyMs * 100) / 100,
    outstanding: instance.outstanding,
    requests: instance.requests,
    failures: instance.failures,
    consecutiveFailures: instance.consecutiveFailures,
    lastError: instance.lastError,
    lastCheckedAt:
      instance.lastCheckedAt === null ? null : new Date(instance.lastCheckedAt).toISOString(),
  };
}
