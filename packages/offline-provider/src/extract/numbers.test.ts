import { describe, expect, it } from 'vitest';
import { parseNumber } from './numbers';

describe('parseNumber', () => {
  it.each([
    ['1.250', 1250],
    ['1.250,50', 1250.5],
    ['1,250.50', 1250.5],
    ['1,5', 1.5],
    ['10.5', 10.5],
    ['500', 500],
    ['12.500.000', 12_500_000],
  ])('%s → %d', (raw, value) => {
    expect(parseNumber(raw)).toBe(value);
  });
});
