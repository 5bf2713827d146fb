import { DEFAULT_INSTRUCTIONS, runToolLoop } from '@tekup/ai-assistant/server';
import { createGatewayClient } from '@tekup/mcp-client-web';
import { toolSpecs } from '@tekup/mcp-client-web/ai';

// The plan's "Tekup API" backend feature runs on the edge runtime: Web APIs only.
export const runtime = 'edge';
export const dynamic = 'force-dynamic';

const SERVERS = ['billy', 'calendar', 'knowledge', 'database'];
const MAX_QUERY = 2000;

function error(status: number, code: string, message: string, headers: HeadersInit = {}): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

/**
 * `POST /api/ai/query` with `Authorization: Bearer <API key>` and `{ query, context: { clientId } }`:
 * runs the tool loop server-side through the gateway (as the key's principal) and returns
 * `{ answer, toolCalls, usage }`.
 */
export async function POST(request: Request): Promise<Response> {
  const authorization = request.headers.get('authorization');
  if (!authorization?.match(/^Bearer\s+\S+$/i))
    return error(401, 'unauthorized', 'Send an API key: Authorization: Bearer <key>.');
  let body: { query?: unknown; context?: { clientId?: unknown } };
  try {
    body = (await request.json()) as typeof body;
  } catch {
    return error(400, 'invalid_request', 'Body is not valid JSON.');
  }
  if (typeof body.query !== 'string' || body.query.trim() === '')
    return error(400, 'invalid_request', 'query: a non-empty string is required.');
  if (body.query.length > MAX_QUERY)
    return error(400, 'invalid_request', `query: at most ${MAX_QUERY} characters.`);
  const clientId = body.context?.clientId;
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId.length > 200)) {
    return error(400, 'invalid_request', 'context.clientId: a string of at most 200 characters.');
  }
  // The dashboard's own gateway front authenticates the key, applies RBAC, limits, cache and audit.
  const gateway = new URL('/api/gateway', request.url).href;
  const client = createGatewayClient({
    gateway,
    servers: SERVERS,
    headers: { authorization },
    timeoutMs: 20_000,
  });
  try {
    const listing = await client.listTools({ signal: request.signal });
    const unauthorized = listing.failures.find(
      (failure) => failure.error.status === 401 || failure.error.gatewayCode === 'unauthorized',
    );
    if (unauthorized) return error(401, 'unauthorized', 'Unknown or revoked API key.');
    const limited = listing.failures.find((failure) => failure.error.status === 429);
    if (limited) {
      const retryAfter = limited.error.retryAfter ?? 1;
      return error(429, 'rate_limited', `Rate limited; retry in ${retryAfter} s.`, {
        'retry-after': String(retryAfter),
      });
    }
    if (listing.tools.length === 0)
      return error(503, 'upstream_unavailable', 'No MCP server is reachable right now.');
    const result = await runToolLoop({
      prompt: body.query,
      // The calling app's context goes to the model as instructions, not into the user's words.
      instructions: clientId
        ? `${DEFAULT_INSTRUCTIONS} The request is made for client ${JSON.stringify(clientId)}.`
        : DEFAULT_INSTRUCTIONS,
      tools: toolSpecs(listing.tools),
      execute: (name, args, { signal }) =>
        client.callTool(name, args as Record<string, unknown>, { signal }),
      maxSteps: 4,
      signal: request.signal,
    });
    return Response.json({
      answer: result.answer,
      toolCalls: result.toolCalls,
      usage: result.usage,
    });
  } catch (caught) {
    const status = (caught as { status?: number }).status;
    if (status === 429)
      return error(429, 'rate_limited', 'Rate limited.', {
        'retry-after': String((caught as { retryAfter?: number }).retryAfter ?? 1),
      });
    return error(502, 'upstream_error', 'The AI query failed while calling tools.');
  } finally {
    await client.close();
  }
}
