import type { LanguageModelV4ToolResultOutput } from '@ai-sdk/provider';
import type { AnswerContext } from './answer-context';
import { describeList, findRows } from './describe-list';
import { describeRecord } from './describe-record';
import { formatScalar, inert, inline } from './format';
import { isRecord, readOutcome } from './read-outcome';

/** A tool result as it arrives in the prompt, with the arguments the call used. */
export interface ToolOutcome {
  toolName: string;
  input?: unknown;
  output: LanguageModelV4ToolResultOutput;
}

function describeOutcome(outcome: ToolOutcome, context: AnswerContext, denial: RegExp): string {
  const phrases = context.language.answers;
  const result = readOutcome(outcome.output, denial);
  switch (result.kind) {
    case 'denied':
      return phrases.denied(outcome.toolName, result.reason && inline(result.reason));
    case 'error':
      return phrases.error(outcome.toolName, inline(result.message) || 'unknown error');
    case 'text': {
      const text = result.text.trim();
      if (!text) return phrases.empty(outcome.toolName);
      return `${phrases.returned(outcome.toolName)}\n\n${inert(text.length > 800 ? `${text.slice(0, 797)}…` : text)}`;
    }
    case 'data': {
      const found = findRows(result.value);
      if (found) return describeList(outcome.toolName, found, context);
      if (isRecord(result.value)) return describeRecord(outcome.toolName, result.value, context);
      if (result.value === undefined || result.value === null) {
        return phrases.empty(outcome.toolName);
      }
      const value = formatScalar(result.value, context.language.code, context.fields.labels);
      return `${phrases.returned(outcome.toolName)} ${value}`;
    }
  }
}

/**
 * Writes a short, factual answer from tool results: counts, totals of money fields, a status
 * breakdown and the top rows for lists; titles and sources for documents; the fields of a
 * single record; and plain words for errors and rejections.
 */
export function composeAnswer(
  outcomes: readonly ToolOutcome[],
  context: AnswerContext,
  denial: RegExp,
): string {
  if (outcomes.length === 0) return context.language.answers.noResult;
  return outcomes.map((outcome) => describeOutcome(outcome, context, denial)).join('\n\n');
}
