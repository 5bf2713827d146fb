import { AbstractChat, type ChatInit, type ChatState, type ChatStatus } from 'ai';
import type { AssistantMessage } from './types';

/** The AI SDK chat the controller drives, plus a way to hear about its changes. */
export interface AssistantChat {
  chat: AbstractChat<AssistantMessage>;
  /** Called after every change of messages, status or error. */
  subscribe(listener: () => void): () => void;
}

/** The AI SDK's `ChatState` contract, observable: every change notifies the listeners. */
class ObservableChatState implements ChatState<AssistantMessage> {
  readonly listeners = new Set<() => void>();
  #status: ChatStatus = 'ready';
  #error: Error | undefined;
  #messages: AssistantMessage[];

  constructor(messages: AssistantMessage[] = []) {
    this.#messages = messages;
  }

  private emit() {
    for (const listener of [...this.listeners]) listener();
  }

  get status() {
    return this.#status;
  }
  set status(status) {
    this.#status = status;
    this.emit();
  }
  get error() {
    return this.#error;
  }
  set error(error) {
    this.#error = error;
    this.emit();
  }
  get messages() {
    return this.#messages;
  }
  set messages(messages) {
    this.#messages = [...messages];
    this.emit();
  }
  pushMessage = (message: AssistantMessage) => {
    this.#messages = [...this.#messages, message];
    this.emit();
  };
  popMessage = () => {
    this.#messages = this.#messages.slice(0, -1);
    this.emit();
  };
  replaceMessage = (index: number, message: AssistantMessage) => {
    // a fresh object per replacement: unchanged messages keep their identity for memoized rows
    this.#messages = [
      ...this.#messages.slice(0, index),
      this.snapshot(message),
      ...this.#messages.slice(index + 1),
    ];
    this.emit();
  };
  // The same copy as @ai-sdk/react's Chat state: the streamed message and its parts are new
  // objects, so a snapshot never changes under a reader while the stream goes on.
  snapshot = <T>(value: T): T => {
    if (value === null || typeof value !== 'object' || !('parts' in value)) return value;
    const message = value as unknown as AssistantMessage;
    if (!Array.isArray(message.parts)) return value;
    const copy: AssistantMessage = {
      ...message,
      parts: message.parts.map((part) => ({ ...part })),
    };
    const metadata: unknown = message.metadata;
    if (Array.isArray(metadata)) copy.metadata = [...metadata] as never;
    else if (
      metadata !== null &&
      typeof metadata === 'object' &&
      [Object.prototype, null].includes(Object.getPrototypeOf(metadata))
    ) {
      copy.metadata = { ...metadata };
    }
    return copy as unknown as T;
  };
}

class CoreChat extends AbstractChat<AssistantMessage> {}

/** Creates the framework-free chat (the AI SDK's `AbstractChat` over an observable state). */
export function createAssistantChat(init: ChatInit<AssistantMessage>): AssistantChat {
  const state = new ObservableChatState(init.messages);
  const chat = new CoreChat({ ...init, state });
  return {
    chat,
    subscribe(listener) {
      state.listeners.add(listener);
      return () => state.listeners.delete(listener);
    },
  };
}
