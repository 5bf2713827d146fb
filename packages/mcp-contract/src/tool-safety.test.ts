import { describe, expect, it } from 'vitest';
import { isRetrySafe, needsApproval, resolveToolSafety } from './tool-safety';

describe('resolveToolSafety', () => {
  it('treats unknown annotations as the worst case: destructive, not idempotent, open world', () => {
    const safety = resolveToolSafety(undefined);
    expect(safety).toEqual({
      readOnly: false,
      destructive: true,
      idempotent: false,
      openWorld: true,
    });
    expect(isRetrySafe(safety)).toBe(false);
    expect(needsApproval(safety)).toBe(true);
  });

  it('makes read-only tools non-destructive, idempotent, retry-safe and approval-free', () => {
    const safety = resolveToolSafety({ readOnlyHint: true, destructiveHint: true });
    expect(safety).toEqual({
      readOnly: true,
      destructive: false,
      idempotent: true,
      openWorld: true,
    });
    expect(isRetrySafe(safety)).toBe(true);
    expect(needsApproval(safety)).toBe(false);
  });

  it('reads the other hints as given', () => {
    expect(
      resolveToolSafety({ destructiveHint: false, idempotentHint: true, openWorldHint: false }),
    ).toEqual({ readOnly: false, destructive: false, idempotent: true, openWorld: false });
  });

  it("lets an operator's overrides win over the server's hints", () => {
    expect(resolveToolSafety({ readOnlyHint: true }, { readOnly: false }).destructive).toBe(true);
    expect(resolveToolSafety({ destructiveHint: true }, { destructive: false }).destructive).toBe(
      false,
    );
    expect(isRetrySafe(resolveToolSafety({}, { idempotent: true }))).toBe(true);
    expect(resolveToolSafety({ readOnlyHint: false }, { readOnly: true }).idempotent).toBe(true);
  });
});
