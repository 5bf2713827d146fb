import type { LanguageModelV4CallOptions, LanguageModelV4FunctionTool } from '@ai-sdk/provider';
import { composeAnswer, type ToolOutcome } from '../answer/compose-answer';
import { extractArguments } from '../extract/extract-arguments';
import { answerLanguage } from '../language/detect-language';
import { tokenize } from '../language/words';
import type { Vocabulary } from '../lexicon/vocabulary';
import type { JsonSchema } from '../schema';
import { followUp, previousCall } from './follow-up';
import { lastUserIndex, type Plan, toolCall, userText } from './plan';
import {
  documentationTool,
  type OfflineTool,
  pickTool,
  rankTools,
  TOOL_SCORE_THRESHOLD,
} from './rank-tools';
import { askForMissing, capabilities } from './replies';

/** What planning a step needs besides the call: the clock, the locale and the vocabulary. */
export interface PlanContext {
  now: Date;
  locale: string;
  vocabulary: Vocabulary;
}

/** The tool results since the last user message, with the inputs of their calls. */
function outcomesSince(prompt: LanguageModelV4CallOptions['prompt'], lastUser: number) {
  const calls = new Map<string, { toolName: string; input: unknown }>();
  const outcomes: ToolOutcome[] = [];
  let calledTool = false;
  for (const message of prompt.slice(lastUser + 1)) {
    if (message.role === 'assistant') {
      for (const part of message.content) {
        if (part.type === 'tool-call') {
          calledTool = true;
          calls.set(part.toolCallId, { toolName: part.toolName, input: part.input });
        }
      }
    }
    if (message.role === 'tool' || message.role === 'assistant') {
      for (const part of message.content) {
        if (part.type === 'tool-result') {
          const call = calls.get(part.toolCallId);
          outcomes.push({
            toolName: part.toolName,
            ...(call ? { input: call.input } : {}),
            output: part.output,
          });
        }
      }
    }
  }
  return { calledTool, outcomes };
}

/**
 * Plans one model step: an answer from the tool results since the user's last message, a
 * reply to thanks or a greeting, one tool call with arguments read from the message, a
 * question for missing arguments, or what the model can do when no tool fits.
 */
export function planResponse(options: LanguageModelV4CallOptions, context: PlanContext): Plan {
  const { prompt } = options;
  const { now, vocabulary } = context;
  const tools: OfflineTool[] = (options.tools ?? [])
    .filter((tool): tool is LanguageModelV4FunctionTool => tool.type === 'function')
    .map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: tool.inputSchema as JsonSchema,
    }));
  const lastUser = lastUserIndex(prompt);
  const text = userText(prompt, lastUser);
  const language = answerLanguage(context.locale, text, vocabulary);
  const extract = (tool: OfflineTool) =>
    extractArguments(text, tool.inputSchema, { now, toolName: tool.name, vocabulary });
  const noFit = () => ({
    kind: 'text' as const,
    text: capabilities(tools, language, false, text, vocabulary),
  });

  // Tool results after the last user message mean this step must answer, never call again:
  // that is what keeps a multi-step loop finite.
  const { calledTool, outcomes } = outcomesSince(prompt, lastUser);
  if (calledTool || outcomes.length > 0) {
    const fields = vocabulary.results;
    return { kind: 'text', text: composeAnswer(outcomes, { language, fields }, vocabulary.denial) };
  }

  // Asked to write with no tools at hand (a server sampling the host's model): the offline
  // model cannot write, so it gives back the draft the request quotes, unchanged.
  const draft = tools.length === 0 ? quotedDraft(text) : undefined;
  if (draft !== undefined) return { kind: 'text', text: draft };

  const choice = options.toolChoice ?? { type: 'auto' };
  if (vocabulary.thanks.test(text)) return { kind: 'text', text: language.answers.welcome };
  const greeting = vocabulary.greeting.test(text);
  if (
    choice.type === 'none' ||
    tools.length === 0 ||
    greeting ||
    tokenize(text, vocabulary).length === 0
  ) {
    return { kind: 'text', text: capabilities(tools, language, greeting, text, vocabulary) };
  }
  const candidates =
    choice.type === 'tool' ? tools.filter((tool) => tool.name === choice.toolName) : tools;
  const forced = choice.type === 'required' || choice.type === 'tool';
  const ranked = rankTools(text, candidates, vocabulary);
  const best = forced ? ranked[0] : pickTool(text, candidates, vocabulary);
  if (!best) {
    const follow = forced
      ? undefined
      : followUp(prompt, lastUser, candidates, text, now, vocabulary);
    if (follow) return follow;
    // A question no tool answers directly may be answered by the documentation, when the
    // documentation tool's description shares a word with it.
    const docs = vocabulary.question.test(text)
      ? documentationTool(candidates, vocabulary)
      : undefined;
    const related = docs && (ranked.find((item) => item.tool === docs)?.topicScore ?? 0) >= 1;
    if (docs && related) {
      const extracted = extract(docs);
      if (extracted.missing.length === 0) return toolCall(prompt, text, docs.name, extracted.args);
    }
    return noFit();
  }

  // Among tools that fit almost as well, prefer one whose required arguments the message
  // gives ("documents about pricing" → search, not get-by-id), else ask for the best one's.
  const close = forced
    ? [best]
    : ranked.filter(
        (item) => item.score >= best.score - 2 && item.topicScore >= TOOL_SCORE_THRESHOLD,
      );
  const attempts = (close.length > 0 ? close : [best]).map((item) => ({
    item,
    extracted: extract(item.tool),
  }));
  const chosen = attempts.find((attempt) => attempt.extracted.missing.length === 0) ?? attempts[0];
  if (!chosen) return noFit();
  const { item, extracted } = chosen;
  if (extracted.missing.length > 0 && !forced) {
    return { kind: 'text', text: askForMissing(item.tool, extracted.missing, language) };
  }
  // "only the paid ones" names no subject of its own: it narrows the previous call.
  const previous = item.nameScore === 0 ? previousCall(prompt, lastUser) : undefined;
  if (previous?.toolName === item.tool.name) {
    return toolCall(prompt, text, item.tool.name, { ...previous.input, ...extracted.args });
  }
  return toolCall(prompt, text, item.tool.name, extracted.args);
}

/** The text between the first and the last line that is exactly three double quotes. */
function quotedDraft(text: string): string | undefined {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.trim() === '"""');
  const last = lines.findLastIndex((line) => line.trim() === '"""');
  if (first < 0 || last <= first + 1) return undefined;
  return (
    lines
      .slice(first + 1, last)
      .join('\n')
      .trim() || undefined
  );
}
