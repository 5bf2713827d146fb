/**
 * The events of one session's streams, kept so a client (the gateway) can resume a call's
 * stream after it closed it — which is how a call paused for an elicitation continues, on
 * any gateway instance (2025-11-25 resumability: `Last-Event-ID`). Bounded: the oldest events
 * go first.
 */
import type { EventStore } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

interface StoredEvent {
  streamId: string;
  message: JSONRPCMessage;
}

/** An in-memory event store holding at most `maxEvents` events. */
export function createSessionEventStore(maxEvents = 1_000): EventStore {
  const events = new Map<string, StoredEvent>();
  let sequence = 0;
  return {
    async storeEvent(streamId, message) {
      const eventId = `${streamId}_${(++sequence).toString(36)}`;
      events.set(eventId, { streamId, message });
      if (events.size > maxEvents) {
        const oldest = events.keys().next().value;
        if (oldest !== undefined) events.delete(oldest);
      }
      return eventId;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const last = events.get(lastEventId);
      if (last === undefined) throw new Error('unknown event id');
      let after = false;
      for (const [eventId, event] of events) {
        if (eventId === lastEventId) {
          after = true;
          continue;
        }
        // Priming events carry no message; only the stream's own messages are replayed.
        if (after && event.streamId === last.streamId && 'jsonrpc' in event.message) {
          await send(eventId, event.message);
        }
      }
      return last.streamId;
    },
  };
}
