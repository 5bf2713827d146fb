import { expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

it('grows exponentially with full jitter and a cap', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1000 };
  expect(backoffDelay(1, options, () => 0.999)).toBe(99);
  expect(backoffDelay(3, options, () => 0.5)).toBe(200);
  expect(backoffDelay(10, options, () => 0.999)).toBe(999);
  expect(backoffDelay(2, options, () => 0)).toBe(0);
});
