/**
 * Relays one client request through the stages to the server's upstream pool: the tool's
 * definition and safety (and, in 2026-07-28, its `Mcp-Param-*` headers), the stages' context,
 * cancellation, and the answer — JSON, or SSE once the upstream streams a notification.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { resolveToolSafety } from '@tekup/mcp-contract';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import type { ServerConfig } from '../config/types.js';
import { GatewayError } from '../errors.js';
import { errorBody, type JsonRpcId, jsonResponse, toGatewayError } from '../http/json-rpc.js';
import { paramHeaderProblem, paramHeaders } from '../http/param-headers.js';
import { createSseWriter, type SseWriter } from '../http/sse.js';
import { neededScope, scopeAllows } from '../pipeline/access.js';
import type { Principal, RequestContext } from '../pipeline/types.js';
import type { UpstreamNotification } from '../upstream/messages.js';
import type { ServerPool } from '../upstream/server-pool.js';
import { onBehalfHeaders, withoutCallerMeta } from './caller.js';
import type { GatewayCore } from './core.js';
import { type AuthenticatedExchange, failExchange, finishExchange } from './exchange.js';
import { cancelKey } from './in-flight.js';
import {
  argumentsDigest,
  inputRequired,
  openContinuation,
  recordInteractions,
  relayQuestion,
  requestInteraction,
} from './interaction.js';
import { openTask, pinnedTaskMethods, sealTask, type TaskHome } from './tasks.js';
import { describeTool, gatewayContext, type RelayInteraction } from './terminal.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What {@link relay} sends where. */
export interface RelayOptions {
  core: GatewayCore;
  exchange: AuthenticatedExchange;
  pool: ServerPool;
  message: { id: JsonRpcId; method: string; params: Record<string, unknown> | undefined };
}

/** The SSE answer a relayed request switches to when the upstream streams a notification. */
interface StreamedAnswer {
  /** Resolves with the SSE Response once the first notification arrived. */
  readonly response: Promise<Response>;
  readonly started: boolean;
  /** Passes a notification on, opening the stream (with the stages' headers) on the first. */
  notify(notification: UpstreamNotification, stageHeaders: Headers): void;
  /** Sends a message as it is (an upstream's question), opening the stream if needed. */
  send(message: Record<string, unknown>, stageHeaders: Headers): void;
  /** Writes the final JSON-RPC message and closes the stream. */
  end(message: unknown): void;
}

function copyHeaders(from: Headers, to: Headers): void {
  from.forEach((value, key) => {
    to.set(key, value);
  });
}

function createStreamedAnswer(
  accepts: boolean,
  headers: Headers,
  controller: AbortController,
): StreamedAnswer {
  let writer: SseWriter | undefined;
  let resolve: ((response: Response) => void) | undefined;
  const response = new Promise<Response>((settle) => {
    resolve = settle;
  });
  return {
    response,
    get started() {
      return writer !== undefined;
    },
    notify(notification, stageHeaders) {
      this.send({ jsonrpc: '2.0', ...notification }, stageHeaders);
    },
    send(message, stageHeaders) {
      if (!accepts || controller.signal.aborted) return;
      if (writer === undefined) {
        writer = createSseWriter(() => controller.abort());
        copyHeaders(stageHeaders, headers);
        headers.set('content-type', 'text/event-stream');
        // Reverse proxies must pass events on as they come.
        headers.set('cache-control', 'no-cache');
        headers.set('x-accel-buffering', 'no');
        resolve?.(new Response(writer.stream, { status: 200, headers }));
      }
      writer.write(message);
    },
    end(message) {
      writer?.write(message);
      writer?.close();
    },
  };
}

/** The tool of a `tools/call`, with its safety; checks its `Mcp-Param-*` headers in 2026-07-28. */
async function resolveTool(
  exchange: AuthenticatedExchange,
  pool: ServerPool,
  server: ServerConfig,
  name: string,
  signal: AbortSignal,
  params: Record<string, unknown> | undefined,
): Promise<NonNullable<RequestContext['tool']>> {
  exchange.tool = { name, known: false };
  const definition = await pool.tool(name, signal, onBehalfHeaders(server, exchange.principal));
  exchange.tool = { name, known: definition !== undefined };
  if (exchange.modern && definition !== undefined) {
    const problem = paramHeaderProblem(
      paramHeaders(definition.inputSchema),
      params?.arguments,
      exchange.request.headers,
    );
    if (problem !== undefined)
      throw new GatewayError('header_mismatch', `Header mismatch: ${problem}`);
  }
  return describeTool(name, definition, server);
}

/** A `tools/list` result without the tools the principal's scopes or the stages leave out. */
function listedTools(
  core: GatewayCore,
  principal: Principal,
  server: ServerConfig,
  tools: unknown[],
): Tool[] {
  let listed = (tools as Tool[]).filter((tool) =>
    scopeAllows(
      principal,
      server.name,
      neededScope(resolveToolSafety(tool.annotations, server.tools[tool.name])),
    ),
  );
  for (const stage of core.stages) {
    if (stage.filterTools !== undefined) listed = stage.filterTools(principal, server.name, listed);
  }
  return listed;
}

/**
 * A controller the client's going away aborts, counted in flight (and cancellable by a
 * `notifications/cancelled`) until released.
 */
function track(
  core: GatewayCore,
  exchange: AuthenticatedExchange,
  id: JsonRpcId,
): { controller: AbortController; release: () => void } {
  const clientSignal = exchange.signal;
  const controller = new AbortController();
  const abort = () => controller.abort(clientSignal.reason);
  if (clientSignal.aborted) abort();
  else clientSignal.addEventListener('abort', abort, { once: true });
  const leave = core.inFlight.enter(
    cancelKey(exchange.principal.id, exchange.request, id),
    controller,
  );
  return {
    controller,
    release: () => {
      clientSignal.removeEventListener('abort', abort);
      leave();
    },
  };
}

/** Runs the stages and answers: JSON with the stages' headers, or the end of the SSE stream. */
async function answer(
  core: GatewayCore,
  exchange: AuthenticatedExchange,
  context: RequestContext,
  stream: StreamedAnswer,
  id: JsonRpcId,
): Promise<Response> {
  const { headers } = exchange;
  try {
    let result = await core.pipeline(context);
    if (context.method === 'tools/list' && Array.isArray(result.tools)) {
      const server = context.serverConfig as ServerConfig;
      result = { ...result, tools: listedTools(core, exchange.principal, server, result.tools) };
    }
    const body = { jsonrpc: '2.0', id, result };
    if (stream.started) {
      stream.end(body);
      finishExchange(core, exchange, 'ok', 200);
      return await stream.response;
    }
    copyHeaders(context.responseHeaders, headers);
    finishExchange(core, exchange, 'ok', 200);
    return jsonResponse(body, 200, headers);
  } catch (error) {
    if (stream.started) {
      const gatewayError = toGatewayError(error);
      exchange.outcome.errorCode = gatewayError.code;
      finishExchange(core, exchange, gatewayError.code, 200);
      stream.end(errorBody(gatewayError, id, exchange.requestId));
      return await stream.response;
    }
    copyHeaders(context.responseHeaders, headers);
    return failExchange(core, exchange, error);
  }
}

/**
 * How a `tools/call`'s questions reach its client: undefined when the client can be asked
 * nothing; the continuation when the call carries answers (2026-07-28).
 */
async function interactionFor(
  core: GatewayCore,
  exchange: AuthenticatedExchange,
  pool: ServerPool,
  toolName: string,
  params: Record<string, unknown> | undefined,
  acceptsStream: boolean,
  send: (message: Record<string, unknown>) => void,
): Promise<RelayInteraction | undefined> {
  const asker = { server: pool.name, tool: toolName, principal: exchange.principal };
  const headers = onBehalfHeaders(
    core.config.servers[pool.name] as ServerConfig,
    exchange.principal,
  );
  const digest = exchange.modern ? await argumentsDigest(params) : '';
  const continuation = exchange.modern
    ? await openContinuation(core, { ...asker, digest }, exchange.requestId, params)
    : undefined;
  const key = requestInteraction(
    exchange.modern,
    exchange.sessionInteraction,
    params,
    acceptsStream,
  );
  if (key === '' && continuation === undefined) return undefined;
  const waitMs = CONFIG_DEFAULTS.interaction.waitMs;
  return {
    key: continuation?.at.key ?? key,
    mode: exchange.modern ? 'pause' : 'relay',
    waitMs,
    ...(exchange.modern
      ? {}
      : {
          onServerRequest: (request, at) => {
            relayQuestion(core, pool, asker, key, request, at, headers).then(
              (message) => {
                if (message !== undefined) send(message);
              },
              (error: unknown) =>
                core.logger.warn({ err: error, server: pool.name }, 'could not relay a question'),
            );
          },
        }),
    pause: (paused, instance) =>
      inputRequired(
        core,
        pool,
        { ...asker, digest },
        continuation?.at.key ?? key,
        paused,
        instance,
      ),
    ...(continuation === undefined ? {} : { continuation }),
    record: (done) => recordInteractions(core, done.decisions),
  };
}

/**
 * Runs one upstream-bound request through the stages and answers it.
 *
 * @throws GatewayError for a request refused before the stages run (a `tools/call` without a
 * name, mismatched parameter headers); everything later is answered here.
 */
export async function relay({ core, exchange, pool, message }: RelayOptions): Promise<Response> {
  const server = core.config.servers[pool.name] as ServerConfig;
  const { principal, request } = exchange;
  const name = message.params?.name;
  if (message.method === 'tools/call' && (typeof name !== 'string' || name === '')) {
    throw new GatewayError('invalid_request', 'tools/call needs params.name (a string)');
  }
  const { controller, release } = track(core, exchange, message.id);
  const params = withoutCallerMeta(message.params);
  let tool: RequestContext['tool'];
  try {
    if (message.method === 'tools/call') {
      tool = await resolveTool(exchange, pool, server, name as string, controller.signal, params);
    }
  } catch (error) {
    release();
    throw error;
  }
  let taskTarget: { home: TaskHome; clientId: string } | undefined;
  if (pinnedTaskMethods.has(message.method)) {
    try {
      const clientId = params?.taskId;
      taskTarget = {
        home: await openTask(core, clientId, { server: pool.name, principal }),
        clientId: clientId as string,
      };
    } catch (error) {
      release();
      throw error;
    }
  }
  const accepts = (request.headers.get('accept') ?? '').includes('text/event-stream');
  const stream = createStreamedAnswer(accepts, exchange.headers, controller);
  let interaction: RelayInteraction | undefined;
  if (tool !== undefined) {
    try {
      interaction = await interactionFor(
        core,
        exchange,
        pool,
        tool.name,
        params,
        accepts,
        (message) => stream.send(message, context.responseHeaders),
      );
    } catch (error) {
      release();
      throw error;
    }
  }
  const context = gatewayContext(
    {
      requestId: exchange.requestId,
      server: pool.name,
      method: message.method,
      params,
      tool,
      principal,
      signal: controller.signal,
      startedAt: exchange.startedAt,
      responseHeaders: new Headers(),
      bypassCache: /no-cache|no-store/i.test(request.headers.get('cache-control') ?? ''),
      outcome: exchange.outcome,
      serverConfig: server,
    },
    {
      serverPool: pool,
      controller,
      onNotification: (notification) => stream.notify(notification, context.responseHeaders),
      ...(interaction === undefined ? {} : { interaction }),
      ...(taskTarget === undefined ? {} : { task: taskTarget }),
      ...(message.method === 'tools/call' && isRecord(params?.task)
        ? {
            sealTask: (home: TaskHome, ttlMs: number | undefined) =>
              sealTask(core, home, { server: pool.name, principal }, ttlMs),
          }
        : {}),
      ...(tool === undefined
        ? {
            sessionKey: requestInteraction(
              exchange.modern,
              exchange.sessionInteraction,
              params,
              true,
            ),
          }
        : {}),
    },
  );
  // The SSE answer leaves as soon as the first notification arrives; the rest streams after.
  return Promise.race([
    answer(core, exchange, context, stream, message.id).finally(release),
    stream.response,
  ]);
}
