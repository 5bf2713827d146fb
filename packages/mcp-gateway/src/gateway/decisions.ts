/**
 * `POST {base}/decisions`: a decision the client took about a tool call that never went
 * upstream (`{ server, tool, callId, decision: 'rejected' }`). It runs through the stages like
 * the call would have — authorization, rate limit, audit — and is flushed to the audit log
 * before the answer. The row's id derives from the caller and `callId`, so a retry records
 * nothing twice.
 */
import { GatewayError } from '../errors.js';
import { parseCallerJson } from '../http/json-bounds.js';
import { jsonResponse } from '../http/json-rpc.js';
import { readBody } from '../http/read-body.js';
import { onBehalfHeaders } from './caller.js';
import type { GatewayCore, RequestInfo } from './core.js';
import { describeTool, gatewayContext } from './terminal.js';

/** A decision body is small: three short strings and a word. */
const decisionBodyLimitBytes = 16 * 1024;

function stringField(body: Record<string, unknown>, name: string, max: number): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw new GatewayError('invalid_request', `${name}: a string of 1–${max} characters`, {
      data: { field: name },
    });
  }
  return value;
}

/** Records the decision through the stages; answers `201 { recorded: true }`. */
export async function recordDecision(
  core: GatewayCore,
  request: Request,
  info: RequestInfo,
  headers: Headers,
): Promise<Response> {
  if (request.method !== 'POST') {
    throw new GatewayError('method_not_allowed', `${request.method} is not supported here`);
  }
  const principal = await core.authenticate(request, info);
  const parsed = parseCallerJson(
    await readBody(request, decisionBodyLimitBytes),
    core.config.maxJsonDepth,
  );
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new GatewayError('invalid_request', 'The body must be a JSON object');
  }
  const body = parsed as Record<string, unknown>;
  const serverName = stringField(body, 'server', 64);
  const tool = stringField(body, 'tool', 128);
  const callId = stringField(body, 'callId', 200);
  if (body.decision !== 'rejected') {
    throw new GatewayError('invalid_request', 'decision: only "rejected" is recorded here', {
      data: { field: 'decision' },
    });
  }
  const pool = core.pools.get(serverName);
  const server = core.config.servers[serverName];
  if (pool === undefined || server === undefined) {
    throw new GatewayError('unknown_server', `Unknown server "${serverName}"`, {
      data: { server: serverName },
    });
  }
  const signal = info.signal ?? request.signal;
  const definition = await pool
    .tool(tool, signal, onBehalfHeaders(server, principal))
    .catch(() => undefined);
  const context = gatewayContext(
    {
      requestId: `decision\u0000${principal.actor?.id ?? ''}\u0000${principal.id}\u0000${serverName}\u0000${callId}`,
      server: serverName,
      method: 'tools/call',
      params: { name: tool },
      tool: describeTool(tool, definition, server),
      principal,
      signal,
      startedAt: core.clock.now(),
      responseHeaders: new Headers(),
      bypassCache: true,
      outcome: {},
      decision: 'rejected',
      serverConfig: server,
    },
    { serverPool: pool, controller: new AbortController(), onNotification: () => {} },
  );
  await core.pipeline(context);
  await Promise.all(core.stages.map((stage) => stage.flush?.()));
  return jsonResponse({ recorded: true }, 201, headers);
}
