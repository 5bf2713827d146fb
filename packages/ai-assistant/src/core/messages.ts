import { type ChatStatus, isToolUIPart } from 'ai';
import type { AssistantMessage } from './types';

/** True while the model is asked or answers. */
export const isBusy = (status: ChatStatus): boolean =>
  status === 'submitted' || status === 'streaming';

/** Model steps of the last message when it is the assistant's (one per `step-start` part). */
export function stepsOfLastAssistant(messages: readonly AssistantMessage[]): number {
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant') return 0;
  return last.parts.filter((part) => part.type === 'step-start').length;
}

/** The text of the last answer, cut to 400 characters (for the live region). */
export function lastAnswerText(messages: readonly AssistantMessage[]): string {
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant') return '';
  const text = last.parts
    .filter((part) => part.type === 'text')
    .map((part) => (part as { text: string }).text)
    .join('')
    .trim();
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/**
 * Marks unfinished browser tool calls as failed so the history stays valid for the model.
 * Returns `messages` itself when nothing was unfinished.
 */
export function settleDanglingToolCalls(
  messages: AssistantMessage[],
  errorText: string | ((toolCallId: string) => string),
  /** Calls to leave open (their work goes on elsewhere, e.g. as a task). */
  keep?: (toolCallId: string) => boolean,
): AssistantMessage[] {
  let changed = false;
  const next = messages.map((message) => {
    if (message.role !== 'assistant') return message;
    let touched = false;
    const parts = message.parts.map((part) => {
      if (
        isToolUIPart(part) &&
        !part.providerExecuted &&
        (part.state === 'input-available' || part.state === 'input-streaming') &&
        !keep?.(part.toolCallId)
      ) {
        touched = true;
        return {
          ...part,
          state: 'output-error',
          output: undefined,
          errorText: typeof errorText === 'string' ? errorText : errorText(part.toolCallId),
        } as unknown as typeof part;
      }
      return part;
    });
    if (!touched) return message;
    changed = true;
    return { ...message, parts };
  });
  return changed ? next : messages;
}
