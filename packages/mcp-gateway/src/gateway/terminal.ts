/**
 * The upstream end of the stage pipeline: the tenancy and scope rules every request is held
 * to whatever stages ran, then the call on the server's pool. What it needs besides the
 * stages' context travels on that context under a symbol (spread-safe, invisible to stages).
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { isRetrySafe, resolveToolSafety } from '@tekup/mcp-contract';
import type { GatewayConfig, ServerConfig } from '../config/types.js';
import { GatewayError } from '../errors.js';
import { assertScope, assertTenancy, neededScope } from '../pipeline/access.js';
import type { Next, RequestContext, Stage } from '../pipeline/types.js';
import type { InteractionKey } from '../upstream/interaction.js';
import type {
  UpstreamNotification,
  UpstreamPause,
  UpstreamServerRequest,
} from '../upstream/messages.js';
import type { PoolReply, ServerPool } from '../upstream/server-pool.js';
import { onBehalfHeaders, withCallerMeta } from './caller.js';
import type { Continuation } from './interaction.js';
import { type TaskHome, withTaskId } from './tasks.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';

const relayed = Symbol('gateway.relayed');

/** What the terminal needs of one request besides what the stages see. */
export interface RelayTarget {
  serverPool: ServerPool;
  /** The controller behind the context's signal, so the pool's deadline can abort it. */
  controller: AbortController;
  onNotification: (notification: UpstreamNotification) => void;
  /** For a `tools/call` by a client that can be asked things (elicitation, sampling). */
  interaction?: RelayInteraction;
  /**
   * For other requests: the session (by the client's capabilities) to use, so a listing shows
   * what an upstream offers a client like this one (some register tools by capability).
   */
  sessionKey?: InteractionKey;
  /** `tasks/*`: the session holding the task, and the client's id for it. */
  task?: { home: TaskHome; clientId: string };
  /** A task-augmented `tools/call`: the upstream's task id becomes a sealed one for the caller. */
  sealTask?: (home: TaskHome, ttlMs: number | undefined) => Promise<string>;
}

/** How a call's questions reach its client, and the answers that continue it. */
export interface RelayInteraction {
  key: InteractionKey;
  /** `relay` (2025: questions on the client's SSE answer) or `pause` (2026-07-28: `input_required`). */
  mode: 'relay' | 'pause';
  waitMs: number;
  onServerRequest?: (
    request: UpstreamServerRequest,
    at: { instance: string; sessionId: string },
  ) => void;
  /** The `input_required` result of a paused call. */
  pause(paused: UpstreamPause, instance: string): Promise<Record<string, unknown>>;
  /** Set on the round that carries the client's answers (2026-07-28). */
  continuation?: Continuation;
  /** Audits the continuation's decisions once the answers went upstream. */
  record(continuation: Continuation): Promise<void>;
}

/** A stage context the gateway built, carrying its {@link RelayTarget}. */
export interface GatewayContext extends RequestContext {
  [relayed]: RelayTarget;
}

/** Attaches the relay target to a context the gateway builds. */
export function gatewayContext(context: RequestContext, target: RelayTarget): GatewayContext {
  return Object.assign(context, { [relayed]: target });
}

/** The context's `tool`: the upstream's definition merged with the configured overrides. */
export function describeTool(
  name: string,
  definition: Tool | undefined,
  server: ServerConfig,
): NonNullable<RequestContext['tool']> {
  return {
    name,
    safety: resolveToolSafety(definition?.annotations, server.tools[name]),
    ...(definition?.annotations === undefined ? {} : { annotations: definition.annotations }),
  };
}

/** Continues a paused call with the client's answers; audits them once they went upstream. */
async function resume(
  pool: ServerPool,
  interaction: RelayInteraction,
  continuation: Continuation,
  options: Parameters<ServerPool['call']>[2],
): Promise<PoolReply> {
  let delivered = true;
  try {
    return await pool.resume(continuation.at, continuation.answers, {
      ...options,
      interaction: { key: continuation.at.key, mode: 'pause' },
    });
  } catch (error) {
    delivered = !(error instanceof GatewayError && error.code === 'continuation_expired');
    throw error;
  } finally {
    if (delivered) await interaction.record(continuation);
  }
}

/** The terminal stage: access rules, then one pooled upstream call. */
function createTerminal(config: GatewayConfig): Next {
  return async (context) => {
    const target = (context as GatewayContext)[relayed];
    const server = config.servers[context.server] as ServerConfig;
    const isToolCall = context.method === 'tools/call';
    // Whatever stages ran, no request reaches an upstream its principal may not use. Listing a
    // tenant server's tools reveals no organization's data; everything else on it does.
    if (context.method !== 'tools/list' || server.tenancy === 'internal') {
      assertTenancy(context.principal, server, config.operators);
    }
    assertScope(
      context.principal,
      context.server,
      isToolCall ? neededScope(context.tool?.safety) : 'read',
    );
    // Decided in the client (the user rejected it): recorded by the stages, never sent upstream.
    if (context.decision !== undefined) return {};
    const headers = onBehalfHeaders(server, context.principal);
    const interaction = isToolCall ? target.interaction : undefined;
    const options = {
      signal: context.signal,
      controller: target.controller,
      timeoutMs: isToolCall ? server.toolCallTimeoutMs : server.requestTimeoutMs,
      attemptTimeoutMs: server.attemptTimeoutMs,
      retrySafe: !isToolCall || (context.tool !== undefined && isRetrySafe(context.tool.safety)),
      onNotification: target.onNotification,
      ...(headers === undefined ? {} : { headers }),
    };
    let pooled: PoolReply;
    if (target.task !== undefined) {
      const { home, clientId } = target.task;
      pooled = await target.serverPool.callAt(
        home,
        context.method,
        withCallerMeta({ ...context.params, taskId: home.taskId }, context.principal),
        {
          ...options,
          // A task's result is waited for; the rest answers at once.
          timeoutMs:
            context.method === 'tasks/result'
              ? CONFIG_DEFAULTS.interaction.waitMs
              : server.requestTimeoutMs,
        },
      );
      context.outcome.instance = pooled.instance;
      const { reply } = pooled;
      if ('error' in reply) {
        throw new GatewayError('upstream_rpc_error', reply.error.message, {
          rpcCode: reply.error.code,
          data: reply.error.data === undefined ? {} : { upstream: reply.error.data },
        });
      }
      if (!('result' in reply))
        throw new GatewayError('upstream_error', 'The upstream asked a question');
      return withTaskId(reply.result, clientId);
    } else if (interaction?.continuation !== undefined) {
      pooled = await resume(target.serverPool, interaction, interaction.continuation, options);
    } else {
      pooled = await target.serverPool.call(
        context.method,
        withCallerMeta(context.params, context.principal),
        interaction === undefined
          ? target.sessionKey && !isToolCall
            ? { ...options, interaction: { key: target.sessionKey, mode: 'relay' } }
            : options
          : {
              ...options,
              interaction: {
                key: interaction.key,
                mode: interaction.mode,
                waitMs: interaction.waitMs,
                ...(interaction.onServerRequest === undefined
                  ? {}
                  : { onServerRequest: interaction.onServerRequest }),
              },
            },
      );
    }
    const { reply, instance } = pooled;
    context.outcome.instance = instance;
    if ('paused' in reply) {
      context.outcome.inputRequired = true;
      return (interaction as RelayInteraction).pause(reply.paused, pooled.url);
    }
    if ('error' in reply) {
      throw new GatewayError('upstream_rpc_error', reply.error.message, {
        rpcCode: reply.error.code,
        data: reply.error.data === undefined ? {} : { upstream: reply.error.data },
      });
    }
    if (context.method === 'tools/list' && context.params?.cursor === undefined) {
      target.serverPool.rememberTools(reply.result);
    }
    if (isToolCall && reply.result.isError === true) context.outcome.toolError = true;
    const created = reply.result.task as { taskId?: unknown; ttl?: unknown } | undefined;
    if (
      isToolCall &&
      target.sealTask !== undefined &&
      typeof created?.taskId === 'string' &&
      pooled.session !== undefined
    ) {
      const sealed = await target.sealTask(
        {
          instance: pooled.url,
          key: interaction?.key ?? '',
          sessionId: pooled.session,
          taskId: created.taskId,
        },
        typeof created.ttl === 'number' ? created.ttl : undefined,
      );
      return withTaskId(reply.result, sealed);
    }
    return reply.result;
  };
}

/** The stages, outermost first, composed around the terminal. */
export function composePipeline(config: GatewayConfig, stages: readonly Stage[]): Next {
  return stages.reduceRight<Next>(
    (next, stage) => (context) => stage.handle(context, next),
    createTerminal(config),
  );
}
