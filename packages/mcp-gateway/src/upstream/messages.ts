/**
 * The JSON-RPC messages an upstream sends on a request's answer (JSON or SSE): the reply to
 * that request, notifications about it, and requests of the server's own.
 */

/** A JSON-RPC notification received from an upstream. */
export interface UpstreamNotification {
  method: string;
  params?: Record<string, unknown>;
}

/** The outcome of one upstream request: a result or the upstream's own JSON-RPC error. */
export type UpstreamReply =
  | { result: Record<string, unknown> }
  | { error: { code: number; message: string; data?: unknown } };

/** A request of the upstream's own (elicitation, sampling, ping, …) received during a call. */
export interface UpstreamServerRequest {
  id: string | number;
  method: string;
  params?: Record<string, unknown>;
}

/**
 * Where a call paused for client input can be picked up again: the upstream session it runs
 * on, the upstream's id of the call, and the last event of its stream already read.
 */
export interface UpstreamResumePoint {
  sessionId: string;
  requestId: number;
  lastEventId: string;
}

/**
 * The open stream of a paused call whose upstream cannot resume streams (no event ids): this
 * gateway instance holds it until the client's answer comes back, or `cancel` drops it.
 */
export interface HeldStream {
  events: AsyncIterator<{ event: string; data: string; id: string | undefined }>;
  cancel(): void;
}

/** A call the upstream is holding until the client answers `requests`. */
export interface UpstreamPause {
  requests: UpstreamServerRequest[];
  /** `lastEventId` is '' when the stream cannot be resumed (then `held` is set). */
  at: UpstreamResumePoint;
  held?: HeldStream;
}

/** What a call that may ask the client yields: its reply, or the pause before one. */
export type UpstreamAnswer = UpstreamReply | { paused: UpstreamPause };

/** What one message from an upstream is to the request waiting on `id`. */
export type UpstreamMessage =
  | { kind: 'reply'; reply: UpstreamReply }
  | { kind: 'request'; request: UpstreamServerRequest }
  | { kind: 'notification'; notification: UpstreamNotification }
  | { kind: 'other' };

/** Classifies one decoded message; anything that is not a JSON-RPC message is `other`. */
export function classifyMessage(value: unknown, id: number): UpstreamMessage {
  if (value === null || typeof value !== 'object') return { kind: 'other' };
  const message = value as Record<string, unknown>;
  if (typeof message.method === 'string') {
    if (typeof message.id === 'string' || typeof message.id === 'number') {
      const request: UpstreamServerRequest = { id: message.id, method: message.method };
      if (message.params !== null && typeof message.params === 'object') {
        request.params = message.params as Record<string, unknown>;
      }
      return { kind: 'request', request };
    }
    if (message.id !== undefined) return { kind: 'other' };
    const notification: UpstreamNotification = { method: message.method };
    if (message.params !== null && typeof message.params === 'object') {
      notification.params = message.params as Record<string, unknown>;
    }
    return { kind: 'notification', notification };
  }
  if (message.id !== id) return { kind: 'other' };
  if (message.error !== null && typeof message.error === 'object') {
    const error = message.error as Record<string, unknown>;
    return {
      kind: 'reply',
      reply: {
        error: {
          code: typeof error.code === 'number' ? error.code : -32603,
          message: typeof error.message === 'string' ? error.message : 'Upstream error',
          ...(error.data === undefined ? {} : { data: error.data }),
        },
      },
    };
  }
  const result = message.result;
  return {
    kind: 'reply',
    reply: {
      result:
        result !== null && typeof result === 'object' ? (result as Record<string, unknown>) : {},
    },
  };
}
