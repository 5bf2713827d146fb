/**
 * Asks the person behind the call something mid-call (MCP elicitation), on the call's own
 * stream — when, and only when, their client declared it can be asked. Tools fall back to
 * their non-interactive behaviour otherwise.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/sdk/types.js';

/** How long a person may take to answer. */
const answerTimeoutMs = 600_000;

/** The request id of a tool call's `extra` (what ties a question to the call's stream). */
interface CallExtra {
  requestId: string | number;
  signal: AbortSignal;
}

/** Whether the caller's client can be sent to a web page (URL elicitation). */
function canSendTo(server: McpServer): boolean {
  const elicitation = server.server.getClientCapabilities()?.elicitation;
  return elicitation !== undefined && 'url' in elicitation;
}

/**
 * Asks the caller to open a page (sign-in, consent, payment) out of band; undefined when their
 * client cannot. `accept` means they agreed to open it, not that they finished there.
 */
export async function askToOpen(
  server: McpServer,
  extra: CallExtra,
  params: { message: string; url: string; elicitationId: string },
): Promise<ElicitResult | undefined> {
  if (!canSendTo(server)) return undefined;
  return server.server.elicitInput(
    { mode: 'url', ...params },
    { relatedRequestId: extra.requestId, timeout: answerTimeoutMs, signal: extra.signal },
  );
}

/** Whether the caller's client can be shown a form. */
export function canAsk(server: McpServer): boolean {
  const elicitation = server.server.getClientCapabilities()?.elicitation;
  if (elicitation === undefined) return false;
  const modes = Object.keys(elicitation);
  return modes.length === 0 || 'form' in elicitation;
}

/**
 * Shows the caller a form; undefined when their client cannot be asked. The answer's content
 * is validated against `requestedSchema` by the SDK before it is returned.
 */
export async function askUser(
  server: McpServer,
  extra: CallExtra,
  params: Omit<ElicitRequestFormParams, 'mode'>,
): Promise<ElicitResult | undefined> {
  if (!canAsk(server)) return undefined;
  return server.server.elicitInput(
    { mode: 'form', ...params },
    { relatedRequestId: extra.requestId, timeout: answerTimeoutMs, signal: extra.signal },
  );
}
