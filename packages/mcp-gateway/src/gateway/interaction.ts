/**
 * Upstream questions, carried to the client who made the call and its answers carried back —
 * statelessly across gateway instances. An upstream asks (elicitation, sampling) on a call's
 * stream, on a session that declared exactly the client's capabilities; then:
 *
 * - 2025 era: the question goes out on the client's SSE answer with a sealed id (upstream
 *   instance, session, the upstream's request id, the caller); the client's answer may reach
 *   any gateway instance, which opens the id and posts the answer to that upstream session.
 * - 2026-07-28: the call ends with `resultType: 'input_required'`, the questions as
 *   `inputRequests`, and a sealed `requestState` naming where the upstream holds the call (its
 *   session and the last event of its stream). The client's retry, on any instance, posts the
 *   answers there and resumes the stream (`Last-Event-ID`).
 *
 * Every answer is audited as a decision of its own (accepted, declined, cancelled), without
 * its content.
 */
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { GatewayError } from '../errors.js';
import type { JsonRpcId } from '../http/json-rpc.js';
import type { InteractionRecord, Principal } from '../pipeline/types.js';
import { canonicalJson, sha256Hex } from '../policies/hash.js';
import type { UpstreamResponse } from '../upstream/connection.js';
import { type InteractionKey, interactionKey, mayAsk } from '../upstream/interaction.js';
import type { UpstreamPause, UpstreamServerRequest } from '../upstream/messages.js';
import type { ServerPool } from '../upstream/server-pool.js';
import type { GatewayCore } from './core.js';

/** The `_meta` key of a 2026-07-28 request's client capabilities. */
const clientCapabilitiesKey = 'io.modelcontextprotocol/clientCapabilities';

/** The call a question belongs to. */
export interface Asker {
  readonly server: string;
  readonly tool: string;
  readonly principal: Principal;
}

/** Where a paused call waits, and the answers that continue it. */
export interface Continuation {
  readonly at: {
    instance: string;
    key: InteractionKey;
    sessionId: string;
    requestId: number;
    lastEventId: string;
    /** The held stream's key when the upstream cannot resume streams (this instance only). */
    held?: string;
  };
  readonly answers: UpstreamResponse[];
  /** The decisions the answers carry, recorded once they reach the upstream. */
  readonly decisions: InteractionRecord[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expired(reason: string): GatewayError {
  return new GatewayError(
    'continuation_expired',
    'The call this answers is no longer waiting; make the call again',
    { data: { reason } },
  );
}

/** What a client can be asked, from its session (2025) or its request's `_meta` (2026-07-28). */
export function requestInteraction(
  modern: boolean,
  sessionInteraction: string | undefined,
  params: Record<string, unknown> | undefined,
  acceptsStream: boolean,
): InteractionKey {
  if (modern) {
    const meta = params?._meta;
    return isRecord(meta) ? interactionKey(meta[clientCapabilitiesKey]) : '';
  }
  // A 2025 client hears a question only on an SSE answer.
  return acceptsStream ? (sessionInteraction ?? '') : '';
}

/** The decision a client's answer carries (never its content). */
function decisionOf(method: string, answer: UpstreamResponse): InteractionRecord['decision'] {
  if ('error' in answer) return method === 'sampling/createMessage' ? 'decline' : 'cancel';
  if (method === 'sampling/createMessage') return 'accept';
  const action = answer.result.action;
  return action === 'accept' || action === 'decline' ? action : 'cancel';
}

function kindOf(method: string): InteractionRecord['kind'] {
  return method === 'sampling/createMessage' ? 'sampling' : 'elicitation';
}

/** Records decisions with every stage that keeps them (the audit log). */
export async function recordInteractions(
  core: GatewayCore,
  records: readonly InteractionRecord[],
): Promise<void> {
  for (const record of records) {
    for (const stage of core.stages) await stage.recordInteraction?.(record);
  }
}

function asked(key: InteractionKey, request: UpstreamServerRequest): boolean {
  return mayAsk(key, request.method, request.params);
}

/**
 * 2025 era: the message that asks the client `request` on its SSE answer, with a sealed id its
 * answer will carry back. A question the client did not declare it can answer is refused.
 */
export async function relayQuestion(
  core: GatewayCore,
  pool: ServerPool,
  asker: Asker,
  key: InteractionKey,
  request: UpstreamServerRequest,
  at: { instance: string; sessionId: string },
  headers?: Readonly<Record<string, string>>,
): Promise<Record<string, unknown> | undefined> {
  if (!asked(key, request)) {
    await pool
      .answer(
        { instance: at.instance, key, sessionId: at.sessionId },
        {
          id: request.id,
          error: { code: -32601, message: `The client cannot answer ${request.method}` },
        },
        AbortSignal.timeout(5_000),
        headers,
      )
      .catch(() => undefined);
    return undefined;
  }
  const id = await core.sealer.seal(
    {
      purpose: 'answer',
      inst: at.instance,
      sid: at.sessionId,
      key,
      uid: request.id,
      m: request.method,
      srv: asker.server,
      tool: asker.tool,
      who: asker.principal.id,
      asked: core.clock.now(),
    },
    CONFIG_DEFAULTS.interaction.waitMs,
  );
  return {
    jsonrpc: '2.0',
    id,
    method: request.method,
    ...(request.params ? { params: request.params } : {}),
  };
}

/**
 * 2025 era: a client's JSON-RPC response to a relayed question, posted to the upstream session
 * that asked it (wherever the call runs) and audited.
 *
 * @throws GatewayError `continuation_expired` (410) when the id does not open for this caller
 * and server, or the upstream no longer holds the call.
 */
export async function deliverAnswer(
  core: GatewayCore,
  pool: ServerPool,
  caller: {
    server: string;
    principal: Principal;
    requestId: string;
    signal: AbortSignal;
    /** Per-request headers for the upstream (the on-behalf identity when it is a gateway). */
    headers?: Readonly<Record<string, string>>;
  },
  message: { id: JsonRpcId; result?: unknown; error?: unknown },
): Promise<void> {
  const claims =
    typeof message.id === 'string' ? await core.sealer.open(message.id, 'answer') : undefined;
  if (
    claims === undefined ||
    claims.srv !== caller.server ||
    claims.who !== caller.principal.id ||
    typeof claims.inst !== 'string' ||
    typeof claims.sid !== 'string' ||
    typeof claims.key !== 'string' ||
    typeof claims.m !== 'string' ||
    (typeof claims.uid !== 'string' && typeof claims.uid !== 'number')
  ) {
    throw expired('unknown_answer');
  }
  const answer = toUpstreamResponse(claims.uid, message);
  await pool.answer(
    { instance: claims.inst, key: claims.key, sessionId: claims.sid },
    answer,
    caller.signal,
    caller.headers,
  );
  await recordInteractions(core, [
    {
      id: `${caller.requestId}:${String(claims.uid)}`,
      server: caller.server,
      tool: String(claims.tool),
      principal: caller.principal,
      kind: kindOf(claims.m),
      decision: decisionOf(claims.m, answer),
      askedAt: typeof claims.asked === 'number' ? claims.asked : core.clock.now(),
    },
  ]);
}

/** A client's answer (`{ result }`, `{ error }`, or — as 2026-07-28 allows — a bare result) for the upstream. */
function toUpstreamResponse(
  id: string | number,
  answer: { result?: unknown; error?: unknown },
): UpstreamResponse {
  if (isRecord(answer.error)) {
    const error = answer.error;
    return {
      id,
      error: {
        code: typeof error.code === 'number' ? error.code : -32603,
        message: typeof error.message === 'string' ? error.message.slice(0, 500) : 'Client error',
      },
    };
  }
  if (isRecord(answer.result)) return { id, result: answer.result };
  throw new GatewayError('invalid_request', 'An answer needs a result or an error', {
    data: { reason: 'answer_shape' },
  });
}

/** The hash binding a `requestState` to the call's arguments. */
export function argumentsDigest(params: Record<string, unknown> | undefined): Promise<string> {
  return sha256Hex(canonicalJson(params?.arguments ?? {}));
}

/**
 * 2026-07-28: the `input_required` result of a call the upstream paused to ask the client
 * something, with a sealed `requestState` to continue it.
 */
export async function inputRequired(
  core: GatewayCore,
  pool: ServerPool,
  asker: Asker & { digest: string },
  key: InteractionKey,
  paused: UpstreamPause,
  instance: string,
): Promise<Record<string, unknown>> {
  const inputRequests: Record<string, unknown> = {};
  const asks: Record<string, { i: string | number; m: string }> = {};
  for (const request of paused.requests) {
    if (!asked(key, request)) {
      throw new GatewayError(
        'upstream_error',
        `The upstream asked for ${request.method}, which this client did not declare`,
      );
    }
    const name = `q${String(request.id)}`;
    inputRequests[name] = {
      method: request.method,
      ...(request.params ? { params: request.params } : {}),
    };
    asks[name] = { i: request.id, m: request.method };
  }
  const waitMs = CONFIG_DEFAULTS.interaction.waitMs;
  const held = paused.held === undefined ? undefined : pool.hold(paused.held, waitMs);
  const requestState = await core.sealer.seal(
    {
      purpose: 'state',
      ...(held === undefined ? {} : { h: held }),
      inst: instance,
      sid: paused.at.sessionId,
      rq: paused.at.requestId,
      last: paused.at.lastEventId,
      key,
      asks,
      srv: asker.server,
      tool: asker.tool,
      args: asker.digest,
      who: asker.principal.id,
      asked: core.clock.now(),
    },
    waitMs,
  );
  return { resultType: 'input_required', inputRequests, requestState };
}

/**
 * 2026-07-28: the continuation a retried call carries (`requestState` + `inputResponses`), or
 * undefined for a first call.
 *
 * @throws GatewayError `continuation_expired` when the state does not open for this caller,
 * server, tool and arguments; `invalid_request` when an answer is missing or malformed.
 */
export async function openContinuation(
  core: GatewayCore,
  asker: Asker & { digest: string },
  requestId: string,
  params: Record<string, unknown> | undefined,
): Promise<Continuation | undefined> {
  const state = params?.requestState;
  if (state === undefined) return undefined;
  if (typeof state !== 'string') {
    throw new GatewayError('invalid_request', 'requestState must be the string the server sent', {
      data: { reason: 'request_state' },
    });
  }
  const claims = await core.sealer.open(state, 'state');
  if (
    claims === undefined ||
    claims.srv !== asker.server ||
    claims.tool !== asker.tool ||
    claims.who !== asker.principal.id ||
    claims.args !== asker.digest ||
    typeof claims.inst !== 'string' ||
    typeof claims.sid !== 'string' ||
    typeof claims.rq !== 'number' ||
    typeof claims.last !== 'string' ||
    typeof claims.key !== 'string' ||
    !isRecord(claims.asks)
  ) {
    throw expired('request_state');
  }
  const responses = isRecord(params?.inputResponses) ? params.inputResponses : {};
  const answers: UpstreamResponse[] = [];
  const decisions: InteractionRecord[] = [];
  const askedAt = typeof claims.asked === 'number' ? claims.asked : core.clock.now();
  for (const [name, ask] of Object.entries(claims.asks)) {
    const response = responses[name];
    const { i, m } = ask as { i: string | number; m: string };
    if (!isRecord(response)) {
      throw new GatewayError('invalid_request', `inputResponses.${name} is missing`, {
        data: { reason: 'input_responses', missing: name },
      });
    }
    const answer = toUpstreamResponse(
      i,
      'result' in response || 'error' in response ? response : { result: response },
    );
    answers.push(answer);
    decisions.push({
      id: `${requestId}:${name}`,
      server: asker.server,
      tool: asker.tool,
      principal: asker.principal,
      kind: kindOf(m),
      decision: decisionOf(m, answer),
      askedAt,
    });
  }
  return {
    at: {
      instance: claims.inst,
      key: claims.key,
      sessionId: claims.sid,
      requestId: claims.rq,
      lastEventId: claims.last,
      ...(typeof claims.h === 'string' ? { held: claims.h } : {}),
    },
    answers,
    decisions,
  };
}
