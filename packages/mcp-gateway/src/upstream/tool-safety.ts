/**
 * A tool's effective safety: the server's annotations merged with config overrides.
 * Missing annotations fall back to the MCP defaults, which assume the worst
 * (not read-only, destructive, not idempotent, open world).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/schema#toolannotations
 */
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { ToolOverride } from '../config.js';
import type { ToolSafety } from '../pipeline/types.js';

/** Merges annotations (possibly unknown) with an override (possibly absent). */
export function resolveToolSafety(
  annotations: ToolAnnotations | undefined,
  override: ToolOverride | undefined,
): ToolSafety {
  const readOnly = override?.readOnly ?? annotations?.readOnlyHint ?? false;
  const destructive =
    override?.destructive ?? (readOnly ? false : (annotations?.destructiveHint ?? true));
  const idempotent = override?.idempotent ?? annotations?.idempotentHint ?? false;
  return { readOnly, destructive, idempotent, openWorld: annotations?.openWorldHint ?? true };
}

/** True when a failed call may be sent again (to another instance) without risk. */
export function isRetrySafe(safety: ToolSafety): boolean {
  return safety.readOnly || safety.idempotent;
}
