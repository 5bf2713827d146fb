import { McpClientError } from './errors';
import type { ToolAddress } from './namespacing';
import { isRecord, parseRetryAfter, wireErrorDetails } from './protocol';

/** A decision the user took about a tool call that never reached the gateway. */
export interface ToolDecision {
  /** The model's id of the call, so a retried report is recorded once. */
  callId: string;
  /** The user declined the call at the approval step. */
  decision: 'rejected';
}

/** What {@link postDecision} needs from its client. */
export interface DecisionTarget {
  /** The gateway base URL, without a trailing slash. */
  base: string;
  fetch: typeof fetch;
  credentials: RequestCredentials;
  /** The request headers (the client's, then the call's). */
  headers: Headers;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/**
 * Records a decision in the gateway's audit log (`POST {gateway}/decisions`); resolves once it
 * is stored.
 * @throws McpClientError `network`, or `http` with the gateway's code when it refuses.
 */
export async function postDecision(
  target: DecisionTarget,
  address: ToolAddress,
  decision: ToolDecision,
): Promise<void> {
  const headers = new Headers(target.headers);
  headers.set('content-type', 'application/json');
  const url = `${target.base}/decisions`;
  const signals = [AbortSignal.timeout(target.timeoutMs)];
  if (target.signal) signals.push(target.signal);
  let response: Response;
  try {
    response = await target.fetch(url, {
      method: 'POST',
      headers,
      credentials: target.credentials,
      body: JSON.stringify({ server: address.server, tool: address.tool, ...decision }),
      signal: AbortSignal.any(signals),
    });
  } catch (cause) {
    throw new McpClientError('network', `${address.server}: decision not recorded`, {
      server: address.server,
      url,
      cause,
    });
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const body: unknown = await response.json().catch(() => undefined);
  const wire = wireErrorDetails(
    isRecord(body) ? body.error : undefined,
    response.status,
    parseRetryAfter(response.headers.get('retry-after')),
  );
  throw new McpClientError(
    'http',
    `${address.server}: HTTP ${response.status}${wire.message ? `: ${wire.message}` : ''}`,
    { server: address.server, url, ...wire.details },
  );
}
