import { describe, expect, it } from 'vitest';
import { isRetrySafe, resolveToolSafety } from './tool-safety.js';

describe('resolveToolSafety', () => {
  it('treats unknown annotations as destructive and not idempotent', () => {
    const safety = resolveToolSafety(undefined, undefined);
    expect(safety).toEqual({
      readOnly: false,
      destructive: true,
      idempotent: false,
      openWorld: true,
    });
    expect(isRetrySafe(safety)).toBe(false);
  });

  it('read-only tools are not destructive and are retry-safe', () => {
    const safety = resolveToolSafety({ readOnlyHint: true }, undefined);
    expect(safety.destructive).toBe(false);
    expect(isRetrySafe(safety)).toBe(true);
  });

  it('config overrides win over annotations', () => {
    expect(resolveToolSafety({ readOnlyHint: true }, { readOnly: false }).destructive).toBe(true);
    expect(resolveToolSafety({ destructiveHint: true }, { destructive: false }).destructive).toBe(
      false,
    );
    expect(isRetrySafe(resolveToolSafety({}, { idempotent: true }))).toBe(true);
  });
});
