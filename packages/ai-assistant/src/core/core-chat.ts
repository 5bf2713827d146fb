import { AbstractChat, type ChatInit, type ChatState, type ChatStatus } from 'ai';
import type { AssistantMessage } from './types';
import type { ChatHandle } from './controller';

class ObservableChatState implements ChatState<AssistantMessage> {
  readonly listeners = new Set<() => void>();
  #status: ChatStatus = 'ready';
  #error: Error | undefined;
  #messages: AssistantMessage[];

  constructor(messages: AssistantMessage[] = []) {
    this.#messages = messages;
  }

  private emit() {
    for (const listener of this.listeners) listener();
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
  snapshot = <T>(value: T): T => structuredClone(value);
}

class CoreChat extends AbstractChat<AssistantMessage> {
  constructor(init: ChatInit<AssistantMessage>, state: ObservableChatState) {
    super({ ...init, state });
  }
}

/** The framework-free chat used when no factory is given (notifies on every change). */
export function createCoreChat(init: ChatInit<AssistantMessage>): ChatHandle {
  const state = new ObservableChatState(init.messages);
  const chat = new CoreChat(init, state);
  return {
    chat,
    subscribe(listener) {
      state.listeners.add(listener);
      return () => state.listeners.delete(listener);
    },
  };
}
