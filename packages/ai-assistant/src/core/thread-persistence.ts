import type { ChatStatus } from 'ai';
import { isBusy, settleDanglingToolCalls } from './messages';
import type { ThreadStorage } from './storage';
import type { AssistantMessage } from './types';

/** What a call cut off by a reload reports to the model. */
const INTERRUPTED_TEXT = 'The tool call was interrupted (the page was closed or reloaded).';

/** Keeps one thread in its storage: loads it once, saves it whenever a turn settles. */
export interface ThreadPersistence {
  /** The thread to start with: the stored one when storage answers at once, else `fallback`. */
  readonly initialMessages: AssistantMessage[];
  /** Reads storage if that was deferred (call it after the first render); loads go to `apply`. */
  hydrate(): void;
  /**
   * Saves the thread when it is idle and changed since the last save or load: the write itself
   * waits for the browser's idle time (see `schedule`), off the path of rendering and typing.
   */
  save(messages: AssistantMessage[], status: ChatStatus): void;
  /** Writes a save still waiting for idle time now (the page is being hidden, the view destroyed). */
  flush(): void;
  /** Deletes the stored thread. */
  remove(): void;
}

/** What {@link createThreadPersistence} needs. */
export interface ThreadPersistenceOptions {
  storage: ThreadStorage | undefined;
  threadKey: string;
  /** Shown when nothing is stored. */
  fallback: AssistantMessage[] | undefined;
  /** Do not read storage until {@link ThreadPersistence.hydrate}. */
  deferred: boolean;
  /**
   * Receives a thread that loaded after the start (async storage, or hydration), interrupted
   * calls already settled; returns false when it was not applied (the user has moved on).
   */
  apply: (messages: AssistantMessage[]) => boolean;
  /** Runs a write later, when the page is idle. @default {@link whenIdle} */
  schedule?: (task: () => void) => void;
  /** Calls a reload must not settle as interrupted (they run on as tasks). */
  resumable?: (toolCallId: string) => boolean;
}

/**
 * Runs `task` in the browser's idle time (within a second at the latest), or on the next turn of
 * the event loop where there is no `requestIdleCallback` (Safari, Node).
 */
function whenIdle(task: () => void): void {
  const idle = (
    globalThis as {
      requestIdleCallback?: (callback: () => void, options: { timeout: number }) => unknown;
    }
  ).requestIdleCallback;
  if (idle) idle(task, { timeout: 1000 });
  else setTimeout(task, 0);
}

/** Creates the persistence of one thread: one job, storage in and out. */
export function createThreadPersistence(options: ThreadPersistenceOptions): ThreadPersistence {
  const { storage, threadKey } = options;
  const settle = (messages: AssistantMessage[]) =>
    settleDanglingToolCalls(messages, INTERRUPTED_TEXT, options.resumable);
  const stored = options.deferred ? undefined : storage?.load(threadKey);
  const storedNow = stored instanceof Promise ? undefined : stored;
  let lastSaved: AssistantMessage[] | undefined = storedNow;
  let hydrated = !options.deferred;
  const schedule = options.schedule ?? whenIdle;
  // The newest thread waiting for idle time; one write covers every save before it.
  let pending: AssistantMessage[] | undefined;
  const write = () => {
    globalThis.removeEventListener?.('pagehide', write);
    const messages = pending;
    pending = undefined;
    if (!storage || !messages) return;
    void Promise.resolve(storage.save(threadKey, messages)).catch(() => undefined);
  };

  const loaded = (messages: AssistantMessage[] | undefined) => {
    if (!messages?.length) return;
    // set before applying: the chat's change then saves the settled copy once
    const previous = lastSaved;
    lastSaved = messages;
    if (!options.apply(settle(messages))) lastSaved = previous;
  };
  // storage that fails to load leaves the thread empty, as if nothing were stored
  const later = (promise: Promise<AssistantMessage[] | undefined>) =>
    void promise.then(loaded, () => undefined);
  if (stored instanceof Promise) later(stored);

  return {
    initialMessages: settle(storedNow ?? options.fallback ?? []),
    hydrate() {
      if (hydrated || !storage) return;
      hydrated = true;
      const result = storage.load(threadKey);
      if (result instanceof Promise) later(result);
      else loaded(result);
    },
    save(messages, status) {
      if (!storage || isBusy(status) || messages === lastSaved) return;
      lastSaved = messages;
      const scheduled = pending !== undefined;
      pending = messages;
      if (scheduled) return;
      // A reload before the idle time comes must not lose the turn.
      globalThis.addEventListener?.('pagehide', write);
      schedule(write);
    },
    flush: write,
    remove() {
      lastSaved = undefined;
      pending = undefined;
      if (storage) void Promise.resolve(storage.remove(threadKey)).catch(() => undefined);
    },
  };
}
