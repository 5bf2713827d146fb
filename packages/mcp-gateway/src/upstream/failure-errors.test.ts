import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.js';
import {
  countsAgainstInstance,
  failureError,
  leavesOutcomeUnknown,
  mayRetry,
} from './failure-errors.js';
import { UpstreamFailure, type UpstreamFailureKind } from './failure.js';

function failure(
  kind: UpstreamFailureKind,
  options: { reached?: boolean; status?: number; code?: string; retryAfter?: number } = {},
): UpstreamFailure {
  return new UpstreamFailure(kind, kind, {
    reached: options.reached ?? true,
    ...(options.status === undefined ? {} : { status: options.status }),
    ...(options.retryAfter === undefined ? {} : { retryAfter: options.retryAfter }),
    ...(options.code === undefined
      ? {}
      : { rpcError: { code: -32000, message: options.code, data: { code: options.code } } }),
  });
}

const unavailable = () => new GatewayError('upstream_unavailable', 'none', { retryAfter: 7 });

describe('failureError', () => {
  it.each([
    ['timeout', failure('timeout'), 'upstream_timeout'],
    ['client abort', failure('aborted'), 'invalid_request'],
    ['refused connection', failure('connect', { reached: false }), 'upstream_unavailable'],
    ['reset', failure('network'), 'upstream_unavailable'],
    [
      'back gateway without instances',
      failure('http', { status: 503, code: 'upstream_unavailable' }),
      'upstream_unavailable',
    ],
    ['back gateway 429', failure('http', { status: 429, retryAfter: 3 }), 'rate_limited'],
    ['back gateway 403', failure('http', { status: 403, code: 'forbidden' }), 'forbidden'],
    ['upstream 500', failure('http', { status: 500 }), 'upstream_error'],
    ['unreadable answer', failure('protocol'), 'upstream_error'],
  ])('%s → %s', (_name, cause, code) => {
    expect(failureError('billy', cause, unavailable).code).toBe(code);
  });

  it('keeps a back gateway’s Retry-After', () => {
    expect(
      failureError('billy', failure('http', { status: 429, retryAfter: 3 }), unavailable),
    ).toMatchObject({
      retryAfter: 3,
      data: { server: 'billy', retryAfter: 3 },
    });
  });
});

describe('what a failure says', () => {
  it.each([
    ['a reset', failure('network'), true],
    ['a client abort', failure('aborted'), false],
    ['a 4xx refusal', failure('http', { status: 404 }), false],
    ['a 5xx', failure('http', { status: 502 }), true],
  ])('%s counts against the instance: %s', (_name, cause, counts) => {
    expect(countsAgainstInstance(cause)).toBe(counts);
  });

  it.each([
    ['never reached', failure('connect', { reached: false }), false],
    ['aborted by the client', failure('aborted'), false],
    ['refused (4xx)', failure('http', { status: 409 }), false],
    [
      'back gateway had no instance',
      failure('http', { status: 503, code: 'upstream_unavailable' }),
      false,
    ],
    ['reset mid-flight', failure('network'), true],
    ['upstream 5xx', failure('http', { status: 500 }), true],
    ['timed out', failure('timeout'), true],
  ])('a write that failed %s leaves its outcome unknown: %s', (_name, cause, unknown) => {
    expect(leavesOutcomeUnknown(cause)).toBe(unknown);
  });

  it.each([
    [
      'a reset of a retry-safe call',
      failure('network'),
      { attemptTimedOut: false, retrySafe: true },
      true,
    ],
    ['a reset of a write', failure('network'), { attemptTimedOut: false, retrySafe: false }, false],
    [
      'a write that never left',
      failure('connect', { reached: false }),
      { attemptTimedOut: false, retrySafe: false },
      true,
    ],
    [
      'the overall deadline',
      failure('timeout'),
      { attemptTimedOut: false, retrySafe: true },
      false,
    ],
    [
      'one attempt’s deadline',
      failure('timeout'),
      { attemptTimedOut: true, retrySafe: true },
      true,
    ],
    ['a client abort', failure('aborted'), { attemptTimedOut: false, retrySafe: true }, false],
    [
      'a refusal',
      failure('http', { status: 400 }),
      { attemptTimedOut: false, retrySafe: true },
      false,
    ],
  ])('%s may be retried: %s', (_name, cause, attempt, retry) => {
    expect(mayRetry(cause, attempt)).toBe(retry);
  });
});
