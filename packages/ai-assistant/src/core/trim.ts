import type { AssistantMessage } from './types';

/** Limits of the history sent with each chat request. */
export interface HistoryLimits {
  /** @default 100 */
  maxMessages?: number;
  /** Approximate JSON size in bytes. @default 700_000 */
  maxBytes?: number;
}

/**
 * The newest part of a thread that fits the limits, starting at a user message so that no
 * tool call is separated from its result. The last user turn is always kept whole.
 */
export function trimHistory(
  messages: AssistantMessage[],
  limits: HistoryLimits = {},
): AssistantMessage[] {
  const maxMessages = limits.maxMessages ?? 100;
  const maxBytes = limits.maxBytes ?? 700_000;
  let start = messages.length;
  let bytes = 0;
  while (start > 0) {
    const size = JSON.stringify(messages[start - 1]).length;
    if (messages.length - (start - 1) > maxMessages || bytes + size > maxBytes) break;
    bytes += size;
    start--;
  }
  if (start === 0) return messages;
  let boundary = start;
  while (boundary < messages.length && messages[boundary]!.role !== 'user') boundary++;
  if (boundary < messages.length) return messages.slice(boundary);
  // not even the last user turn fits: send it anyway (the route will say if it is too big)
  let lastUser = messages.length - 1;
  while (lastUser > 0 && messages[lastUser]!.role !== 'user') lastUser--;
  return messages.slice(lastUser);
}
