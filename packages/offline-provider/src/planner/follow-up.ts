import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { extractArguments } from '../extract/extract-arguments';
import type { Vocabulary } from '../lexicon/vocabulary';
import { lastUserIndex, type Plan, toolCall, userText } from './plan';
import type { OfflineTool } from './rank-tools';

/** The arguments of a tool call as an object (`{}` for anything else). */
function inputObject(input: unknown): Record<string, unknown> {
  return input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {};
}

/** The last tool call of the turn before the last user message. */
export function previousCall(
  prompt: LanguageModelV4Prompt,
  lastUser: number,
): { toolName: string; input: Record<string, unknown> } | undefined {
  for (let index = lastUser - 1; index >= 0; index--) {
    const message = prompt[index];
    if (message?.role === 'user') return undefined;
    if (message?.role !== 'assistant') continue;
    const call = message.content.filter((part) => part.type === 'tool-call').at(-1);
    if (call) return { toolName: call.toolName, input: inputObject(call.input) };
  }
  return undefined;
}

/**
 * A message that fits no tool on its own may continue the previous turn: it answers the
 * model's question for missing arguments ("Acme ApS, 10 hours at 950 kr"), or refines the
 * previous call ("only the paid ones", "and for Nordlys?").
 */
export function followUp(
  prompt: LanguageModelV4Prompt,
  lastUser: number,
  tools: OfflineTool[],
  text: string,
  now: Date,
  vocabulary: Vocabulary,
): Plan | undefined {
  const previousUser = lastUserIndex(prompt, lastUser);
  if (previousUser < 0) return undefined;
  const turn = prompt.slice(previousUser + 1, lastUser);
  const parts = turn.flatMap((message) => (message.role === 'assistant' ? message.content : []));
  const lastCall = parts.filter((part) => part.type === 'tool-call').at(-1);
  const extract = (tool: OfflineTool, from: string) =>
    extractArguments(from, tool.inputSchema, { now, toolName: tool.name, vocabulary });
  if (!lastCall) {
    // The model's own question names the tool in backticks (see askForMissing).
    const asked = parts
      .map((part) => (part.type === 'text' ? part.text : ''))
      .join('\n')
      .match(/`([A-Za-z0-9_-]{1,64})`/)?.[1];
    const tool = tools.find((item) => item.name === asked);
    if (!tool) return undefined;
    const combined = `${userText(prompt, previousUser)}\n${text}`;
    const extracted = extract(tool, combined);
    if (extracted.missing.length > 0) return undefined;
    return toolCall(prompt, text, tool.name, extracted.args);
  }
  const tool = tools.find((item) => item.name === lastCall.toolName);
  if (!tool) return undefined;
  const { args } = extract(tool, text);
  if (Object.keys(args).length === 0) return undefined;
  return toolCall(prompt, text, tool.name, { ...inputObject(lastCall.input), ...args });
}
