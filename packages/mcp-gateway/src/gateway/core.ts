/**
 * What the gateway's handlers share, built once by `createGateway`: the resolved config, the
 * server pools, the stage pipeline and the runtime collaborators.
 */
import type { GatewayConfig } from '../config/types.js';
import type { Sealer } from '../http/sealed.js';
import type { SessionCodec } from '../http/session.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Authenticator, Clock, Next, Stage } from '../pipeline/types.js';
import type { ServerPool } from '../upstream/server-pool.js';
import type { ClientStreams } from './client-streams.js';
import type { InFlight } from './in-flight.js';

/** Connection facts an adapter knows and a Request does not carry. */
export interface RequestInfo {
  /** The peer's IP address (the Node adapter fills it). */
  remoteAddress?: string;
  /**
   * Aborted when the client goes away; used instead of `request.signal` when given (an
   * adapter saves building a Request that follows a signal).
   */
  signal?: AbortSignal;
}

/** The parts of one gateway every handler reads. */
export interface GatewayCore {
  readonly config: GatewayConfig;
  readonly pools: ReadonlyMap<string, ServerPool>;
  readonly stages: readonly Stage[];
  /** The stages composed around the upstream call. */
  readonly pipeline: Next;
  readonly authenticate: Authenticator;
  readonly sessions: SessionCodec;
  /** This instance's client-facing GET streams and resource subscriptions (2025 era). */
  readonly streams: ClientStreams;
  /** Seals the ids and request states that carry a client's answers back to a waiting call. */
  readonly sealer: Sealer;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly inFlight: InFlight;
}
