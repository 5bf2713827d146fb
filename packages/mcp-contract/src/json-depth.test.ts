import { describe, expect, it } from 'vitest';
import { jsonDepth } from './json-depth';

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['"[[[["', 0],
    ['{}', 1],
    ['[[],[[]]]', 3],
    ['{"a":{"b":["x\\"]]]]"]}}', 3],
    [`${'['.repeat(10_000)}${']'.repeat(10_000)}`, 10_000],
  ])('%s nests %i deep', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });

  it('stops counting past the limit', () => {
    expect(jsonDepth(`${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`, 64)).toBe(65);
  });
});
