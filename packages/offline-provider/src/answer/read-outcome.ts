import type { LanguageModelV4ToolResultOutput } from '@ai-sdk/provider';

/** What a tool result says, once unwrapped. */
export type Outcome =
  | { kind: 'denied'; reason?: string }
  | { kind: 'error'; message: string }
  | { kind: 'data'; value: unknown }
  | { kind: 'text'; text: string };

/** The AI SDK's own text for a call the user denied. */
const SDK_DENIAL_TEXT = 'Tool call execution denied.';

/** Whether a value is a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function tryJson(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.message === 'string') return value.message;
  if (isRecord(value) && isRecord(value.error) && typeof value.error.message === 'string') {
    return value.error.message;
  }
  return JSON.stringify(value);
}

/** Unwraps an MCP `CallToolResult` (content + structuredContent + isError) when it is one. */
function fromValue(value: unknown): Outcome {
  if (isRecord(value) && Array.isArray(value.content)) {
    const text = value.content
      .map((item) => (isRecord(item) && typeof item.text === 'string' ? item.text : ''))
      .filter(Boolean)
      .join('\n');
    if (value.isError === true) return { kind: 'error', message: text || 'unknown error' };
    if (value.structuredContent !== undefined) {
      return { kind: 'data', value: value.structuredContent };
    }
    const parsed = tryJson(text);
    if (parsed !== undefined) return { kind: 'data', value: parsed };
    return { kind: 'text', text };
  }
  if (isRecord(value) && (value.denied === true || value.rejected === true)) {
    return {
      kind: 'denied',
      ...(typeof value.reason === 'string' ? { reason: value.reason } : {}),
    };
  }
  if (typeof value === 'string') {
    const parsed = tryJson(value);
    return parsed === undefined ? { kind: 'text', text: value } : fromValue(parsed);
  }
  return { kind: 'data', value };
}

/**
 * Reads a tool result as the prompt carries it. `denial` matches the words of a rejection
 * (the lexicon's), for rejections that arrive as error text.
 */
export function readOutcome(output: LanguageModelV4ToolResultOutput, denial: RegExp): Outcome {
  switch (output.type) {
    case 'execution-denied':
      return { kind: 'denied', ...(output.reason ? { reason: output.reason } : {}) };
    case 'error-text':
      // The AI SDK turns a UI part in state `output-denied` into error text, so a rejection
      // arrives here as words rather than as `execution-denied`.
      if (denial.test(output.value)) {
        const reason = output.value.match(/\breason:\s*([\s\S]+)$/i)?.[1]?.trim();
        if (reason) return { kind: 'denied', reason };
        if (output.value === SDK_DENIAL_TEXT || /denied this tool call/i.test(output.value)) {
          return { kind: 'denied' };
        }
        return { kind: 'denied', reason: output.value };
      }
      return { kind: 'error', message: output.value };
    case 'error-json':
      return { kind: 'error', message: textOf(output.value) };
    case 'text':
      return fromValue(output.value);
    case 'json':
      return fromValue(output.value);
    case 'content':
      return fromValue(
        output.value
          .map((part) => (part.type === 'text' ? part.text : ''))
          .filter(Boolean)
          .join('\n'),
      );
    default:
      return { kind: 'text', text: '' };
  }
}
