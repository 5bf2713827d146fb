import type { ServerQuestion } from '@tekup/mcp-client-web';
import type { Clock } from './clock';
import type { AssistantStore, PendingQuestion } from './state';

/** A completion the host's model writes for a server (`sampling/createMessage`). */
export type Sample = (
  params: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<Record<string, unknown>>;

/**
 * The servers' questions during tool calls (elicitation, sampling): each waits on its call's
 * card until the person answers, and the answer goes back to the server that asked.
 */
export interface Questions {
  /** Puts a question on the call's card; resolves with the person's answer. */
  ask(
    toolCallId: string,
    question: ServerQuestion,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>>;
  /** Answers a form or link question (`{ action, content? }`). */
  answer(
    toolCallId: string,
    result: { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, unknown> },
  ): void;
  /** Lets the assistant's model answer a sampling question (after the person said yes). */
  approveSample(toolCallId: string): Promise<void>;
  /** Declines a sampling question. */
  declineSample(toolCallId: string): void;
}

interface Waiting {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  signal: AbortSignal;
}

/** Creates the questions module. Without `sample`, sampling questions are declined. */
export function createQuestions(options: {
  store: AssistantStore;
  clock: Clock;
  sample: Sample | undefined;
}): Questions {
  const { store, clock } = options;
  const waiting = new Map<string, Waiting>();

  const settle = (toolCallId: string): Waiting | undefined => {
    const entry = waiting.get(toolCallId);
    waiting.delete(toolCallId);
    store.setState((state) => {
      const { [toolCallId]: _done, ...rest } = state.questions;
      return { questions: rest };
    });
    return entry;
  };

  return {
    ask(toolCallId, question, signal) {
      // One question per call at a time: a newer one replaces a stale one.
      settle(toolCallId)?.reject(new Error('Superseded by a newer question'));
      const pending: PendingQuestion = {
        toolCallId,
        server: question.server,
        method: question.method,
        params: question.params,
        askedAt: clock.now(),
      };
      return new Promise<Record<string, unknown>>((resolve, reject) => {
        if (signal.aborted) {
          reject(new Error('The call ended'));
          return;
        }
        waiting.set(toolCallId, { resolve, reject, signal });
        store.setState((state) => ({ questions: { ...state.questions, [toolCallId]: pending } }));
        signal.addEventListener(
          'abort',
          () => {
            if (waiting.get(toolCallId)?.signal === signal)
              settle(toolCallId)?.reject(new Error('The call ended'));
          },
          { once: true },
        );
      });
    },
    answer(toolCallId, result) {
      settle(toolCallId)?.resolve(result);
    },
    async approveSample(toolCallId) {
      const pending = store.getState().questions[toolCallId];
      const entry = waiting.get(toolCallId);
      if (pending === undefined || entry === undefined) return;
      if (options.sample === undefined) {
        settle(toolCallId)?.reject(new Error('This assistant does not lend its model'));
        return;
      }
      store.setState((state) => ({
        questions: { ...state.questions, [toolCallId]: { ...pending, sampling: 'running' } },
      }));
      try {
        const result = await options.sample(pending.params, entry.signal);
        if (waiting.get(toolCallId) === entry) settle(toolCallId)?.resolve(result);
      } catch (error) {
        if (waiting.get(toolCallId) === entry) {
          settle(toolCallId)?.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    },
    declineSample(toolCallId) {
      settle(toolCallId)?.reject(new Error('The user declined'));
    },
  };
}
