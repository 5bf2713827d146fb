/**
 * A tool's safety: its MCP annotations (and an operator's overrides) with the spec's defaults,
 * which assume the worst — not read-only, destructive, not idempotent, open world. The one
 * definition the gateway (retries, RBAC, scopes), the client and the assistant (approvals) use.
 * Annotations come from the server and are untrusted: they decide when to ask a user, never
 * whether access is granted.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/schema#toolannotations
 */

/** The behaviour hints of MCP's `ToolAnnotations` (structurally; no SDK dependency). */
export interface ToolSafetyAnnotations {
  readOnlyHint?: boolean | undefined;
  destructiveHint?: boolean | undefined;
  idempotentHint?: boolean | undefined;
  openWorldHint?: boolean | undefined;
}

/** What an operator may state about a tool, overriding its server's hints. */
export interface ToolSafetyOverride {
  readOnly?: boolean | undefined;
  destructive?: boolean | undefined;
  idempotent?: boolean | undefined;
}

/** A tool's resolved safety. */
export interface ToolSafety {
  /** Does not modify its environment. Default `false`. */
  readOnly: boolean;
  /** May perform destructive updates. Default `true`; always `false` when `readOnly`. */
  destructive: boolean;
  /** Repeating a call with the same arguments has no further effect. Default `false`; `true` when `readOnly`. */
  idempotent: boolean;
  /** May interact with an open world of external entities. Default `true`. */
  openWorld: boolean;
}

/** Resolves a tool's safety from its annotations (possibly absent) and an override (possibly absent). */
export function resolveToolSafety(
  annotations: ToolSafetyAnnotations | undefined,
  override?: ToolSafetyOverride,
): ToolSafety {
  const readOnly = override?.readOnly ?? annotations?.readOnlyHint === true;
  return {
    readOnly,
    destructive: !readOnly && (override?.destructive ?? annotations?.destructiveHint !== false),
    idempotent: readOnly || (override?.idempotent ?? annotations?.idempotentHint === true),
    openWorld: annotations?.openWorldHint !== false,
  };
}

/** True when a failed call may be sent again (to another instance) without risk. */
export function isRetrySafe(safety: ToolSafety): boolean {
  return safety.readOnly || safety.idempotent;
}

/**
 * True when a call needs the user's approval before it runs: everything that is not read-only.
 * A host may ask for more approvals, never for fewer.
 */
export function needsApproval(safety: Pick<ToolSafety, 'readOnly'>): boolean {
  return !safety.readOnly;
}
