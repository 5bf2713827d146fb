/**
 * The client-facing standalone GET streams of 2025-era sessions, on this gateway instance: what
 * an upstream announces outside any request reaches the clients entitled to it — list changes
 * to every client that may use the server, `notifications/resources/updated` to the sessions
 * subscribed to that resource. Subscriptions are recorded where the subscribing request lands
 * (route a session's requests to one instance — sticky on `Mcp-Session-Id` — when running
 * several); the upstream is subscribed once per instance and unsubscribed with the last local
 * subscriber.
 */
import type { GatewayConfig, ServerConfig } from '../config/types.js';
import { createSseWriter, type SseWriter } from '../http/sse.js';
import { assertTenancy } from '../pipeline/access.js';
import type { Principal } from '../pipeline/types.js';

interface ClientStream {
  server: string;
  principal: Principal;
  writer: SseWriter;
}

/** The streams and subscriptions of one gateway instance. */
export interface ClientStreams {
  /** Opens the session's stream (a new one replaces the old); closes when the client leaves. */
  open(
    sessionId: string,
    server: string,
    principal: Principal,
    signal: AbortSignal,
  ): ReadableStream<Uint8Array>;
  /** Records a subscription; true when it is the first of this instance for the resource. */
  subscribe(sessionId: string, server: string, uri: string): boolean;
  /** Forgets a subscription; true when no session of this instance still wants the resource. */
  unsubscribe(sessionId: string, server: string, uri: string): boolean;
  /** Forgets a session (DELETE): its stream closes, its subscriptions go. */
  end(sessionId: string): void;
  /** Passes an upstream's announcement on to the entitled streams. */
  announce(
    server: string,
    notification: { method: string; params?: Record<string, unknown> },
  ): void;
  /** How many streams are open (for tests and status). */
  readonly size: number;
  close(): void;
}

/** Most subscriptions one session may hold. */
const maxSubscriptions = 100;

function mayHear(principal: Principal, server: ServerConfig, config: GatewayConfig): boolean {
  try {
    assertTenancy(principal, server, config.operators);
    return true;
  } catch {
    return false;
  }
}

/** Creates the registry of one gateway instance. */
export function createClientStreams(config: GatewayConfig): ClientStreams {
  const streams = new Map<string, ClientStream>();
  /** `server\0uri` → the sessions subscribed to it. */
  const subscribers = new Map<string, Set<string>>();
  const bySession = new Map<string, Set<string>>();

  const forget = (sessionId: string, key: string): boolean => {
    const sessions = subscribers.get(key);
    sessions?.delete(sessionId);
    bySession.get(sessionId)?.delete(key);
    if (sessions !== undefined && sessions.size === 0) subscribers.delete(key);
    return !subscribers.has(key);
  };

  return {
    open(sessionId, server, principal, signal) {
      streams.get(sessionId)?.writer.close();
      const writer = createSseWriter(() => {
        if (streams.get(sessionId)?.writer === writer) streams.delete(sessionId);
      });
      streams.set(sessionId, { server, principal, writer });
      signal.addEventListener(
        'abort',
        () => {
          if (streams.get(sessionId)?.writer === writer) streams.delete(sessionId);
          writer.close();
        },
        { once: true },
      );
      return writer.stream;
    },
    subscribe(sessionId, server, uri) {
      const key = `${server}\u0000${uri}`;
      const mine = bySession.get(sessionId) ?? new Set<string>();
      if (!mine.has(key) && mine.size >= maxSubscriptions) return false;
      mine.add(key);
      bySession.set(sessionId, mine);
      const sessions = subscribers.get(key) ?? new Set<string>();
      const first = sessions.size === 0;
      sessions.add(sessionId);
      subscribers.set(key, sessions);
      return first;
    },
    unsubscribe(sessionId, server, uri) {
      return forget(sessionId, `${server}\u0000${uri}`);
    },
    end(sessionId) {
      streams.get(sessionId)?.writer.close();
      streams.delete(sessionId);
      for (const key of [...(bySession.get(sessionId) ?? [])]) forget(sessionId, key);
      bySession.delete(sessionId);
    },
    announce(serverName, notification) {
      const server = config.servers[serverName];
      if (server === undefined) return;
      const message = { jsonrpc: '2.0', ...notification };
      const uri = notification.params?.uri;
      const audience =
        notification.method === 'notifications/resources/updated' && typeof uri === 'string'
          ? subscribers.get(`${serverName}\u0000${uri}`)
          : undefined;
      for (const [sessionId, stream] of streams) {
        if (stream.server !== serverName) continue;
        if (notification.method === 'notifications/resources/updated' && !audience?.has(sessionId))
          continue;
        if (mayHear(stream.principal, server, config)) stream.writer.write(message);
      }
    },
    get size() {
      return streams.size;
    },
    close() {
      for (const stream of streams.values()) stream.writer.close();
      streams.clear();
    },
  };
}
