import { trimHistory } from './trim';
import type { AssistantMessage } from './types';

/** Where a thread is kept between reloads. Methods may be sync or async. */
export interface ThreadStorage {
  load(key: string): AssistantMessage[] | undefined | Promise<AssistantMessage[] | undefined>;
  save(key: string, messages: AssistantMessage[]): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

const PREFIX = 'tekup-assistant:';

/**
 * Keeps threads in `localStorage` (the default). Quota errors and private-mode failures
 * are swallowed: losing persistence must not break the chat.
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
  return {
    load(key) {
      try {
        const raw = target()?.getItem(PREFIX + key);
        if (!raw) return undefined;
        const parsed = JSON.parse(raw) as { messages?: unknown };
        return Array.isArray(parsed.messages) ? (parsed.messages as AssistantMessage[]) : undefined;
      } catch {
        return undefined;
      }
    },
    save(key, messages) {
      const write = (list: AssistantMessage[]) =>
        target()?.setItem(PREFIX + key, JSON.stringify({ version: 1, messages: list }));
      try {
        write(messages);
      } catch {
        // over quota: keep the newest turns rather than nothing (private mode fails every time)
        for (
          let count = Math.floor(messages.length / 2);
          count >= 2;
          count = Math.floor(count / 2)
        ) {
          try {
            write(trimHistory(messages, { maxMessages: count }));
            return;
          } catch {
            // still too big
          }
        }
      }
    },
    remove(key) {
      try {
        target()?.removeItem(PREFIX + key);
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
