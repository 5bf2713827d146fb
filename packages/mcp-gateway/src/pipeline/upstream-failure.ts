/**
 * The stale-if-error hook: stages wrap `next`, and every way the upstream side can fail
 * (all instances down, timeout, broken answer) surfaces to them as a {@link GatewayError}
 * with one of these codes. A cache stage answers from stale data when this is true.
 */
import { GatewayError } from '../errors.js';

/**
 * True when `error` means "the upstream could not answer" (`upstream_unavailable`,
 * `upstream_timeout`, `upstream_error`) — not when the upstream answered with its own
 * JSON-RPC error (`upstream_rpc_error`), which is a real answer.
 *
 * @example
 * try { return await next(context); }
 * catch (error) { if (isUpstreamFailure(error) && stale) return stale; throw error; }
 */
export function isUpstreamFailure(error: unknown): error is GatewayError {
  return (
    error instanceof GatewayError &&
    (error.code === 'upstream_unavailable' ||
      error.code === 'upstream_timeout' ||
      error.code === 'upstream_error')
  );
}
