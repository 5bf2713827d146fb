import { trimHistory } from './trim';
import type { AssistantMessage } from './types';

/** Where a thread is kept between reloads. Methods may be sync or async. */
export interface ThreadStorage {
  load(key: string): AssistantMessage[] | undefined | Promise<AssistantMessage[] | undefined>;
  save(key: string, messages: AssistantMessage[]): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

const PREFIX = 'tekup-assistant:';
/** Messages per stored chunk: a finished turn rewrites the last chunk or two, not the thread. */
const CHUNK = 50;

interface StoredIndex {
  version: 2;
  chunks: number;
  count: number;
}

/**
 * Keeps threads in `localStorage` (the default), in chunks of {@link CHUNK} messages under
 * `tekup-assistant:<key>#<n>` with an index under `tekup-assistant:<key>`. A save serializes
 * only the chunks whose messages changed since this storage last wrote them, so saving after a
 * turn in a 2,000-message thread costs about what it costs in a short one. Quota errors and
 * private-mode failures are swallowed: losing persistence must not break the chat.
 * @default storage `globalThis.localStorage`
 */
export function createLocalStorageThreadStorage(storage?: Storage): ThreadStorage {
  const target = (): Storage | undefined => {
    try {
      return storage ?? globalThis.localStorage;
    } catch {
      return undefined;
    }
  };
  // What was last written per thread: the message objects of each chunk, by identity.
  const written = new Map<string, AssistantMessage[][]>();

  const chunkKey = (key: string, index: number) => `${PREFIX}${key}#${index}`;

  const writeAll = (backing: Storage, key: string, messages: AssistantMessage[]) => {
    const before = written.get(key) ?? [];
    const chunks: AssistantMessage[][] = [];
    for (let index = 0; index < messages.length; index += CHUNK) {
      chunks.push(messages.slice(index, index + CHUNK));
    }
    const done: AssistantMessage[][] = [];
    try {
      for (const [index, chunk] of chunks.entries()) {
        const previous = before[index];
        const same =
          previous !== undefined &&
          previous.length === chunk.length &&
          chunk.every((message, position) => message === previous[position]);
        if (!same) backing.setItem(chunkKey(key, index), JSON.stringify(chunk));
        done.push(chunk);
      }
      const index: StoredIndex = { version: 2, chunks: chunks.length, count: messages.length };
      backing.setItem(PREFIX + key, JSON.stringify(index));
    } catch (error) {
      // The chunks written before the failure are what the storage holds now.
      written.set(key, [...done, ...before.slice(done.length)]);
      throw error;
    }
    for (let index = chunks.length; index < before.length; index++) {
      backing.removeItem(chunkKey(key, index));
    }
    written.set(key, chunks);
  };

  const removeAll = (backing: Storage, key: string) => {
    const raw = backing.getItem(PREFIX + key);
    let chunks = written.get(key)?.length ?? 0;
    try {
      const parsed = raw ? (JSON.parse(raw) as Partial<StoredIndex>) : undefined;
      if (typeof parsed?.chunks === 'number') chunks = Math.max(chunks, parsed.chunks);
    } catch {
      // corrupt index: remove what this storage knows of
    }
    backing.removeItem(PREFIX + key);
    for (let index = 0; index < chunks; index++) backing.removeItem(chunkKey(key, index));
    written.delete(key);
  };

  return {
    load(key) {
      try {
        const backing = target();
        const raw = backing?.getItem(PREFIX + key);
        if (!backing || !raw) return undefined;
        const parsed = JSON.parse(raw) as { messages?: unknown } & Partial<StoredIndex>;
        // the first format: the whole thread under one key
        if (Array.isArray(parsed.messages)) return parsed.messages as AssistantMessage[];
        if (parsed.version !== 2 || typeof parsed.chunks !== 'number') return undefined;
        const chunks: AssistantMessage[][] = [];
        for (let index = 0; index < parsed.chunks; index++) {
          const chunk = JSON.parse(backing.getItem(chunkKey(key, index)) ?? 'null') as unknown;
          if (!Array.isArray(chunk)) return undefined;
          chunks.push(chunk as AssistantMessage[]);
        }
        const messages = chunks.flat();
        // a save cut off halfway (quota, a crash) is not passed off as the thread
        if (messages.length !== parsed.count) return undefined;
        written.set(key, chunks);
        return messages;
      } catch {
        return undefined;
      }
    },
    save(key, messages) {
      const backing = target();
      if (!backing) return;
      try {
        writeAll(backing, key, messages);
      } catch {
        // over quota: keep the newest turns rather than nothing (private mode fails every time)
        for (
          let count = Math.floor(messages.length / 2);
          count >= 2;
          count = Math.floor(count / 2)
        ) {
          try {
            removeAll(backing, key);
            writeAll(backing, key, trimHistory(messages, { maxMessages: count }));
            return;
          } catch {
            // still too big
          }
        }
      }
    },
    remove(key) {
      try {
        const backing = target();
        if (backing) removeAll(backing, key);
      } catch {
        // private mode
      }
    },
  };
}

/** Keeps threads in memory only (for tests, or when nothing may touch the disk). */
export function createMemoryThreadStorage(): ThreadStorage {
  const threads = new Map<string, AssistantMessage[]>();
  return {
    load: (key) => threads.get(key),
    save: (key, messages) => {
      threads.set(key, structuredClone(messages));
    },
    remove: (key) => {
      threads.delete(key);
    },
  };
}
