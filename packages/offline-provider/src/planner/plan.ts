import type { LanguageModelV4Prompt } from '@ai-sdk/provider';

/** What the model does this step: write text or call one tool. */
export type Plan =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; toolCallId: string; toolName: string; input: string };

/** A short, stable hash (FNV-1a) for ids that must not change between runs. */
export function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return (value >>> 0).toString(36);
}

/** The text of the user message at `index` ('' when it is no user message). */
export function userText(prompt: LanguageModelV4Prompt, index: number): string {
  const message = prompt[index];
  if (message?.role !== 'user') return '';
  return message.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n')
    .trim();
}

/** The index of the last user message before `before`, or -1. */
export function lastUserIndex(prompt: LanguageModelV4Prompt, before = prompt.length): number {
  for (let index = before - 1; index >= 0; index--) {
    if (prompt[index]?.role === 'user') return index;
  }
  return -1;
}

/** A tool call plan whose id is deterministic: the call's position and a hash of the request. */
export function toolCall(
  prompt: LanguageModelV4Prompt,
  text: string,
  name: string,
  args: unknown,
): Plan {
  const previousCalls = prompt
    .flatMap((message) => (message.role === 'assistant' ? message.content : []))
    .filter((part) => part.type === 'tool-call').length;
  return {
    kind: 'tool-call',
    toolCallId: `call_${previousCalls + 1}_${hash(`${text}\u0000${name}`)}`,
    toolName: name,
    input: JSON.stringify(args),
  };
}
