import { DEFAULT_INSTRUCTIONS, runToolLoop } from '@tekup/ai-assistant/server';
import { ORGANIZATION_SERVERS } from '@tekup/demo-servers/manifest';
import { createGatewayClient, toolSpecs } from '@tekup/mcp-client-web';
import { authenticate } from '@/server/auth';
import { admitModelRequest } from '@/server/chat';
import { runtime } from '@/server/gateway';
import { ApiError, handle, json, readJson } from '@/server/http';
import { recordTokens, type UsageSubject } from '@/server/usage';

// The Node runtime: metering and the daily quota live in the dashboard's database.
export const dynamic = 'force-dynamic';

const MAX_QUERY = 2000;

/**
 * `POST /api/ai/query` with `Authorization: Bearer <API key>` and `{ query, context: { clientId } }`:
 * runs the tool loop server-side through the dashboard's gateway front as the key's principal and
 * returns `{ answer, toolCalls, usage }`. Nobody approves calls here, so the key's access decides:
 * a read-only key (the default) gets read-only tools only, enforced by the gateway. Every call is
 * audited under the key's name; the tokens count in Usage and the daily quota.
 */
export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    if (!request.headers.get('authorization')?.match(/^Bearer\s+\S+$/i))
      throw new ApiError('unauthorized', 'Send an API key: Authorization: Bearer <key>.');
    const caller = await authenticate(request, { allowApiKey: true });
    if (caller.kind !== 'api-key' || !caller.principal.keyId || !caller.principal.tenantId)
      throw new ApiError('unauthorized', 'Send an API key: Authorization: Bearer <key>.');
    const { principal } = caller;
    const body = await readJson<{ query?: unknown; context?: { clientId?: unknown } }>(request);
    if (typeof body.query !== 'string' || body.query.trim() === '')
      throw new ApiError('invalid_request', 'query: a non-empty string is required.');
    if (body.query.length > MAX_QUERY)
      throw new ApiError('invalid_request', `query: at most ${MAX_QUERY} characters.`);
    const clientId = body.context?.clientId;
    if (clientId !== undefined && (typeof clientId !== 'string' || clientId.length > 200))
      throw new ApiError(
        'invalid_request',
        'context.clientId: a string of at most 200 characters.',
      );
    const subject: UsageSubject = {
      id: principal.keyId as string,
      kind: 'api_key',
      tenantId: principal.tenantId as string,
    };
    await admitModelRequest(subject);

    // The same front the browser uses, in process: authentication, RBAC, scopes, limits, cache, audit.
    const { gateway } = await runtime();
    const client = createGatewayClient({
      gateway: new URL('/api/gateway', request.url).href,
      servers: [...ORGANIZATION_SERVERS],
      headers: { authorization: request.headers.get('authorization') as string },
      fetch: (input, init) => gateway.fetch(new Request(input, init)),
      timeoutMs: 20_000,
    });
    try {
      const listing = await client.listTools({ signal: request.signal });
      const limited = listing.failures.find((failure) => failure.error.status === 429);
      if (limited)
        throw new ApiError('rate_limited', 'Rate limited.', limited.error.retryAfter ?? 1);
      if (listing.tools.length === 0)
        throw new ApiError('upstream_unavailable', 'No MCP server is reachable right now.');
      let result: Awaited<ReturnType<typeof runToolLoop>>;
      try {
        result = await runToolLoop({
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
      } catch (caught) {
        const status = (caught as { status?: number }).status;
        if (status === 429)
          throw new ApiError(
            'rate_limited',
            'Rate limited.',
            (caught as { retryAfter?: number }).retryAfter ?? 1,
          );
        throw new ApiError('upstream_unavailable', 'The AI query failed while calling tools.');
      }
      await recordTokens(subject, result.usage.inputTokens ?? 0, result.usage.outputTokens ?? 0);
      return json({ answer: result.answer, toolCalls: result.toolCalls, usage: result.usage });
    } finally {
      await client.close();
    }
  });
}
