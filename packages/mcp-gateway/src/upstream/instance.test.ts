import { describe, expect, it } from 'vitest';
import type { UpstreamConnection } from './connection.js';
import { UpstreamFailure } from './failure.js';
import { createInstance, isAvailable, recordFailure, recordSuccess } from './instance.js';

const ejection = { consecutiveFailures: 3, cooldownMs: 15_000 };
const failure = new UpstreamFailure('network', 'reset', { reached: true });

function instance() {
  return createInstance('http://user:secret@10.0.0.1:4101/mcp?key=1', {} as UpstreamConnection);
}

describe('instance breaker', () => {
  it('starts unknown and available, labelled without credentials or query', () => {
    const fresh = instance();
    expect(fresh).toMatchObject({ state: 'unknown', label: 'http://10.0.0.1:4101/mcp' });
    expect(isAvailable(fresh, 0)).toBe(true);
    expect(recordSuccess(fresh, 10)).toBe('healthy');
    expect(recordSuccess(fresh, 20)).toBeUndefined();
    expect(fresh.latencyMs).toBe(12);
  });

  it('ejects after consecutive failures, half-opens after the cooldown, re-admits on success', () => {
    const subject = instance();
    let now = 1_000;
    expect(recordFailure(subject, failure, ejection, () => now)).toBeUndefined();
    expect(recordFailure(subject, failure, ejection, () => now)).toBeUndefined();
    expect(recordFailure(subject, failure, ejection, () => now)).toBe('ejected');
    expect(isAvailable(subject, now + 14_999)).toBe(false);
    now += 15_000;
    expect(isAvailable(subject, now)).toBe(true);
    subject.state = 'probing';
    subject.outstanding = 1;
    // One probe at a time.
    expect(isAvailable(subject, now)).toBe(false);
    subject.outstanding = 0;
    expect(recordSuccess(subject, 5)).toBe('readmitted');
    expect(subject.consecutiveFailures).toBe(0);
  });

  it('ejects a failed probe at once, and an ejected instance again starts its cooldown over', () => {
    const subject = instance();
    subject.state = 'probing';
    expect(recordFailure(subject, failure, ejection, () => 0)).toBe('ejected');
    expect(subject.ejectedUntil).toBe(15_000);
    subject.consecutiveFailures = 2;
    expect(recordFailure(subject, failure, ejection, () => 5_000)).toBe('extended');
    expect(subject.ejectedUntil).toBe(20_000);
    expect(subject.failures).toBe(2);
    expect(subject.lastError).toBe('reset');
  });
});
