/**
 * The MCP tool annotations most of the fleet's tools share (the gateway and the assistant read
 * them to decide retries and approvals). Tools that differ spell theirs out.
 */

/** Reads this server's own data and changes nothing. */
export const READS = { readOnlyHint: true, openWorldHint: false } as const;

/** Adds to this server's own data and removes nothing; a repeated call adds again. */
export const ADDS = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
} as const;
