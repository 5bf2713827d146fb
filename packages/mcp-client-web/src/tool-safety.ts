import type { ToolAnnotations } from './types';

/** A tool's behaviour hints with the MCP defaults filled in. */
export interface ToolSafetyHints {
  /** Does not modify its environment. Default `false`. */
  readOnly: boolean;
  /** May perform destructive updates. Default `true`; always `false` when `readOnly`. */
  destructive: boolean;
  /** Repeating a call with the same arguments has no further effect. Default `false`; `true` when `readOnly`. */
  idempotent: boolean;
  /** May interact with an open world of external entities. Default `true`. */
  openWorld: boolean;
}

/**
 * Resolves `annotations` with the defaults of the MCP spec. Hints come from the server and are
 * untrusted: use them to decide when to ask a user, never to grant access.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/schema#toolannotations
 */
export function resolveToolSafety(annotations: ToolAnnotations | undefined): ToolSafetyHints {
  const readOnly = annotations?.readOnlyHint === true;
  return {
    readOnly,
    destructive: !readOnly && annotations?.destructiveHint !== false,
    idempotent: readOnly || annotations?.idempotentHint === true,
    openWorld: annotations?.openWorldHint !== false,
  };
}
