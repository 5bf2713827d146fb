/**
 * What an upstream failure means for the client and for the instance: the gateway error it
 * becomes, whether it counts against the instance's health, and whether a write that failed
 * may have taken effect (then it must never look safe to retry).
 */
import { GatewayError } from '../errors.js';
import type { UpstreamFailure } from './failure.js';

function upstreamCodeOf(failure: UpstreamFailure): unknown {
  return (failure.rpcError?.data as { code?: unknown } | undefined)?.code;
}

/** `upstream_unavailable`: no instance of `server` could answer; retry after `retryAfter` s. */
export function unavailableError(
  server: string,
  retryAfter: number,
  cause: UpstreamFailure | undefined,
): GatewayError {
  return new GatewayError(
    'upstream_unavailable',
    `No healthy instance of "${server}" could answer`,
    {
      retryAfter,
      data: { server },
      cause,
    },
  );
}

/** Whether the failure says something about the instance's health. */
export function countsAgainstInstance(failure: UpstreamFailure): boolean {
  if (failure.kind === 'aborted') return false;
  // A 4xx means the upstream is up and refused this request; it says nothing of its health.
  if (failure.kind === 'http' && failure.status !== undefined && failure.status < 500) return false;
  return true;
}

/**
 * Whether another instance may be tried after a failed attempt: not after the caller's abort,
 * the overall deadline or an upstream's refusal (4xx); after one that may have reached the
 * upstream only when the call is retry-safe.
 */
export function mayRetry(
  failure: UpstreamFailure,
  attempt: { attemptTimedOut: boolean; retrySafe: boolean },
): boolean {
  return (
    (failure.kind !== 'timeout' || attempt.attemptTimedOut) &&
    failure.kind !== 'aborted' &&
    !(failure.kind === 'http' && (failure.status ?? 500) < 500) &&
    (attempt.retrySafe || !failure.reached)
  );
}

/**
 * The client's error for a failure. `unavailable` builds `upstream_unavailable` for the
 * failures that mean no instance could answer (its `Retry-After` depends on the pool).
 */
export function failureError(
  server: string,
  failure: UpstreamFailure,
  unavailable: (failure: UpstreamFailure) => GatewayError,
): GatewayError {
  if (failure.kind === 'timeout') {
    return new GatewayError('upstream_timeout', `"${server}" did not answer in time`, {
      data: { server },
      cause: failure,
    });
  }
  if (failure.kind === 'aborted') {
    return new GatewayError('invalid_request', 'The client cancelled the request', {
      status: 499,
      cause: failure,
    });
  }
  if (failure.kind === 'connect' || failure.kind === 'network') return unavailable(failure);
  if (failure.kind === 'http') {
    // Another gateway upstream refused this request: keep its meaning for the client.
    const upstreamCode = upstreamCodeOf(failure);
    if (upstreamCode === 'upstream_unavailable' && failure.status === 503) {
      return unavailable(failure);
    }
    if (failure.status === 429) {
      const retryAfter =
        failure.retryAfter ??
        Number((failure.rpcError?.data as { retryAfter?: unknown } | undefined)?.retryAfter ?? 1);
      return new GatewayError(
        'rate_limited',
        failure.rpcError?.message ?? `"${server}" is rate limited`,
        {
          retryAfter,
          data: { server, retryAfter },
          cause: failure,
        },
      );
    }
    if (failure.status === 403 && upstreamCode === 'forbidden') {
      return new GatewayError('forbidden', failure.rpcError?.message ?? 'Forbidden upstream', {
        data: { server },
        cause: failure,
      });
    }
  }
  return new GatewayError('upstream_error', `"${server}" failed to answer`, {
    data: { server },
    cause: failure,
  });
}

/**
 * The error for a failure of a call that is not retry-safe and may have reached an
 * upstream: whether it took effect is unknown, so it must not look safe to retry.
 */
export function outcomeUnknownError(server: string, failure: UpstreamFailure): GatewayError {
  return new GatewayError(
    'outcome_unknown',
    `"${server}" failed after the call may have reached it; it may or may not have taken effect — check before retrying`,
    { data: { server }, cause: failure },
  );
}

/** Whether a failure of a non-retry-safe call leaves its effect unknown. */
export function leavesOutcomeUnknown(failure: UpstreamFailure): boolean {
  if (!failure.reached || failure.kind === 'aborted') return false;
  if (failure.kind === 'http') {
    // A refusal (4xx) or a gateway upstream that never reached an instance changed nothing.
    if ((failure.status ?? 500) < 500) return false;
    if (failure.status === 503 && upstreamCodeOf(failure) === 'upstream_unavailable') return false;
  }
  return true;
}
