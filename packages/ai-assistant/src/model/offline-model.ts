import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4FunctionTool,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { composeAnswer, type OfflineLanguage, type ToolOutcome } from './compose-answer';
import { extractArguments } from './extract-arguments';
import {
  documentationTool,
  type OfflineTool,
  pickTool,
  rankTools,
  TOOL_SCORE_THRESHOLD,
} from './rank-tools';
import type { JsonSchema } from './schema';
import { looksDanish, splitIdentifier, tokenize } from './text';

/** Options of {@link createOfflineModel}. */
export interface OfflineModelOptions {
  /**
   * The clock for relative dates ("tomorrow", "next week"); days are UTC calendar days.
   * @default () => new Date()
   */
  now?: () => Date;
  /**
   * The language of answers: `'en'`, `'da'`, or `'auto'` to follow the user's last message.
   * @default 'auto'
   */
  locale?: 'en' | 'da' | 'auto' | (string & {});
}

/** The provider id of the offline model. */
export const OFFLINE_PROVIDER = 'tekup-offline';
/** The model id of the offline model. */
export const OFFLINE_MODEL_ID = 'offline-planner';

type Plan =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; toolCallId: string; toolName: string; input: string };

const QUESTION =
  /\?\s*$|^\s*(?:what|how|why|where|when|which|who|can|does|is|are|hvad|hvordan|hvorfor|hvor|hvornår|hvilke|hvem|kan|er)\b/i;
const THANKS = /^\s*(?:thanks|thank you|thx|cheers|tak|mange tak|tusind tak)\b[\s!.,]*$/i;
const GREETING = /^\s*(hi|hello|hey|hej|goddag|godmorgen|hallo|yo)\b[\s!.,]*$/i;

function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return (value >>> 0).toString(36);
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function userText(prompt: LanguageModelV4Prompt, index: number): string {
  const message = prompt[index];
  if (message?.role !== 'user') return '';
  return message.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n')
    .trim();
}

function resolveLanguage(locale: string, text: string): OfflineLanguage {
  if (locale.toLowerCase().startsWith('da')) return 'da';
  if (locale.toLowerCase().startsWith('en')) return 'en';
  return looksDanish(text) ? 'da' : 'en';
}

function describeTool(tool: OfflineTool): string {
  const summary = (tool.description ?? '').split(/(?<=[.!?])\s/)[0]?.trim();
  const words = splitIdentifier(tool.name.split('__').pop() ?? tool.name).join(' ');
  const text = summary && summary.length <= 100 ? summary.replace(/[.!?]$/, '') : words;
  return `${text} (\`${tool.name}\`)`;
}

function capabilities(
  tools: OfflineTool[],
  language: OfflineLanguage,
  greeting: boolean,
  text: string,
): string {
  const da = language === 'da';
  const hello = greeting ? (da ? 'Hej! ' : 'Hi! ') : '';
  if (tools.length === 0) {
    return da
      ? `${hello}Der er ingen værktøjer forbundet, så jeg kan ikke slå noget op. Jeg er den offline model: uden en OpenAI-nøgle arbejder jeg kun gennem værktøjer.`
      : `${hello}No tools are connected, so there is nothing I can look up. I am the offline model: without an OpenAI key I only work through tools.`;
  }
  const ranked = rankTools(text, tools).map((item) => item.tool);
  const listed = ranked.slice(0, 6).map((tool) => `- ${describeTool(tool)}`);
  const intro = greeting
    ? da
      ? 'Jeg er den offline model og arbejder ved at matche dine ord med de forbundne værktøjer. Jeg kan for eksempel:'
      : 'I am the offline model: I work by matching your words to the connected tools. I can, for example:'
    : da
      ? 'Jeg kunne ikke matche det med et af de forbundne værktøjer. Jeg kan for eksempel:'
      : "I couldn't match that to one of the connected tools. I can, for example:";
  const more =
    tools.length > listed.length
      ? da
        ? `\n\n…og ${tools.length - listed.length} værktøjer mere.`
        : `\n\n…and ${tools.length - listed.length} more tools.`
      : '';
  const hint = da
    ? '\n\nPrøv at nævne hvad du vil se eller oprette, fx "Vis betalte fakturaer for Acme".'
    : '\n\nTry naming what you want to see or create, e.g. "Show paid invoices for Acme".';
  return `${hello}${intro}\n${listed.join('\n')}${more}${hint}`;
}

function askForMissing(tool: OfflineTool, missing: string[], language: OfflineLanguage): string {
  const properties = (tool.inputSchema as JsonSchema).properties ?? {};
  const fields = missing.map((name) => {
    const top = name.split(/[.[]/)[0] ?? name;
    const description = properties[top]?.description;
    return `- ${name}${description && top === name ? ` – ${description}` : ''}`;
  });
  return language === 'da'
    ? `For at bruge \`${tool.name}\` mangler jeg:\n${fields.join('\n')}\n\nSkriv dem i din besked, så kører jeg det.`
    : `To use \`${tool.name}\` I need:\n${fields.join('\n')}\n\nPlease include them in your message and I will run it.`;
}

function planResponse(options: LanguageModelV4CallOptions, now: Date, locale: string): Plan {
  const { prompt } = options;
  const tools: OfflineTool[] = (options.tools ?? [])
    .filter((tool): tool is LanguageModelV4FunctionTool => tool.type === 'function')
    .map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: tool.inputSchema as JsonSchema,
    }));
  let lastUser = -1;
  for (let index = prompt.length - 1; index >= 0; index--) {
    if (prompt[index]?.role === 'user') {
      lastUser = index;
      break;
    }
  }
  const text = userText(prompt, lastUser);
  const language = resolveLanguage(locale, text);

  // Tool results after the last user message mean this step must answer, never call again:
  // that is what keeps a multi-step loop finite.
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
  if (calledTool || outcomes.length > 0) {
    return { kind: 'text', text: composeAnswer(outcomes, language) };
  }

  const choice = options.toolChoice ?? { type: 'auto' };
  if (THANKS.test(text)) {
    return {
      kind: 'text',
      text:
        language === 'da'
          ? 'Selv tak. Sig til, hvis der er mere.'
          : "You're welcome. Just ask if there is more.",
    };
  }
  const greeting = GREETING.test(text);
  if (choice.type === 'none' || tools.length === 0 || greeting || tokenize(text).length === 0) {
    return { kind: 'text', text: capabilities(tools, language, greeting, text) };
  }
  const candidates =
    choice.type === 'tool' ? tools.filter((tool) => tool.name === choice.toolName) : tools;
  const forced = choice.type === 'required' || choice.type === 'tool';
  const ranked = rankTools(text, candidates);
  const best = forced ? ranked[0] : pickTool(text, candidates);
  if (!best) {
    const follow = forced ? undefined : followUp(prompt, lastUser, candidates, text, now);
    if (follow) return follow;
    // A question no tool answers directly may be answered by the documentation, when the
    // documentation tool's description shares a word with it.
    const docs = QUESTION.test(text) ? documentationTool(candidates) : undefined;
    const related = docs && (ranked.find((item) => item.tool === docs)?.topicScore ?? 0) >= 1;
    if (docs && related) {
      const extracted = extractArguments(text, docs.inputSchema, {
        now,
        toolName: docs.name,
        ...(docs.description ? { toolDescription: docs.description } : {}),
      });
      if (extracted.missing.length === 0) return toolCall(prompt, text, docs.name, extracted.args);
    }
    return { kind: 'text', text: capabilities(tools, language, false, text) };
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
    extracted: extractArguments(text, item.tool.inputSchema, {
      now,
      toolName: item.tool.name,
      ...(item.tool.description ? { toolDescription: item.tool.description } : {}),
    }),
  }));
  const chosen = attempts.find((attempt) => attempt.extracted.missing.length === 0) ?? attempts[0];
  if (!chosen) return { kind: 'text', text: capabilities(tools, language, false, text) };
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

/** The last tool call of the turn before the last user message. */
function previousCall(
  prompt: LanguageModelV4Prompt,
  lastUser: number,
): { toolName: string; input: Record<string, unknown> } | undefined {
  for (let index = lastUser - 1; index >= 0; index--) {
    const message = prompt[index];
    if (message?.role === 'user') return undefined;
    if (message?.role !== 'assistant') continue;
    const call = message.content.filter((part) => part.type === 'tool-call').at(-1);
    if (call) {
      const input =
        call.input !== null && typeof call.input === 'object'
          ? (call.input as Record<string, unknown>)
          : {};
      return { toolName: call.toolName, input };
    }
  }
  return undefined;
}

function toolCall(prompt: LanguageModelV4Prompt, text: string, name: string, args: unknown): Plan {
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

/**
 * A message that fits no tool on its own may continue the previous turn: it answers the
 * model's question for missing arguments ("Acme ApS, 10 hours at 950 kr"), or refines the
 * previous call ("only the paid ones", "and for Nordlys?").
 */
function followUp(
  prompt: LanguageModelV4Prompt,
  lastUser: number,
  tools: OfflineTool[],
  text: string,
  now: Date,
): Plan | undefined {
  let previousUser = -1;
  for (let index = lastUser - 1; index >= 0; index--) {
    if (prompt[index]?.role === 'user') {
      previousUser = index;
      break;
    }
  }
  if (previousUser < 0) return undefined;
  const turn = prompt.slice(previousUser + 1, lastUser);
  const parts = turn.flatMap((message) => (message.role === 'assistant' ? message.content : []));
  const lastCall = parts.filter((part) => part.type === 'tool-call').at(-1);
  const extract = (tool: OfflineTool, from: string) =>
    extractArguments(from, tool.inputSchema, {
      now,
      toolName: tool.name,
      ...(tool.description ? { toolDescription: tool.description } : {}),
    });
  if (!lastCall) {
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
  const previous =
    lastCall.input !== null && typeof lastCall.input === 'object'
      ? (lastCall.input as Record<string, unknown>)
      : {};
  const { args } = extract(tool, text);
  if (Object.keys(args).length === 0) return undefined;
  return toolCall(prompt, text, tool.name, { ...previous, ...args });
}

function usageOf(options: LanguageModelV4CallOptions, output: string): LanguageModelV4Usage {
  const input = estimateTokens(
    JSON.stringify(options.prompt) + JSON.stringify(options.tools ?? []),
  );
  const produced = estimateTokens(output);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: produced, text: produced, reasoning: 0 },
    raw: { estimated: true, inputTokens: input, outputTokens: produced },
  };
}

function finishReasonOf(plan: Plan): LanguageModelV4FinishReason {
  return plan.kind === 'tool-call'
    ? { unified: 'tool-calls', raw: 'tool_calls' }
    : { unified: 'stop', raw: 'stop' };
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason instanceof Error
      ? signal.reason
      : new DOMException('The operation was aborted.', 'AbortError');
  }
}

/** Splits text into word-sized deltas (each keeps its trailing whitespace). */
function deltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/**
 * Creates the offline model: a deterministic AI SDK language model (LanguageModelV4) that
 * needs no network or key. It ranks the offered tools against the user's last message,
 * calls the best one with arguments read from the message (quoted text, names, amounts,
 * dates, enum values), and after the results arrive writes a short factual answer from them.
 * When no tool fits it says what it can do. Token usage is estimated (≈ 4 characters a token).
 *
 * @example
 * ```ts
 * import { streamText } from 'ai';
 * const result = streamText({ model: createOfflineModel(), prompt: 'Show paid invoices', tools });
 * ```
 */
export function createOfflineModel(options: OfflineModelOptions = {}): LanguageModelV4 {
  const now = options.now ?? (() => new Date());
  const locale = options.locale ?? 'auto';
  return {
    specificationVersion: 'v4',
    provider: OFFLINE_PROVIDER,
    modelId: OFFLINE_MODEL_ID,
    supportedUrls: {},
    async doGenerate(call) {
      checkAborted(call.abortSignal);
      const timestamp = now();
      const plan = planResponse(call, timestamp, locale);
      const output = plan.kind === 'text' ? plan.text : plan.input;
      const content: LanguageModelV4Content[] =
        plan.kind === 'text'
          ? [{ type: 'text', text: plan.text }]
          : [
              {
                type: 'tool-call',
                toolCallId: plan.toolCallId,
                toolName: plan.toolName,
                input: plan.input,
              },
            ];
      return {
        content,
        finishReason: finishReasonOf(plan),
        usage: usageOf(call, output),
        warnings: [],
        response: {
          id: `offline-${hash(JSON.stringify(call.prompt))}`,
          modelId: OFFLINE_MODEL_ID,
          timestamp,
        },
      };
    },
    async doStream(call) {
      checkAborted(call.abortSignal);
      const timestamp = now();
      const plan = planResponse(call, timestamp, locale);
      const output = plan.kind === 'text' ? plan.text : plan.input;
      const parts: LanguageModelV4StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        {
          type: 'response-metadata',
          id: `offline-${hash(JSON.stringify(call.prompt))}`,
          modelId: OFFLINE_MODEL_ID,
          timestamp,
        },
      ];
      if (plan.kind === 'text') {
        parts.push({ type: 'text-start', id: 'text-0' });
        for (const delta of deltas(plan.text))
          parts.push({ type: 'text-delta', id: 'text-0', delta });
        parts.push({ type: 'text-end', id: 'text-0' });
      } else {
        parts.push(
          { type: 'tool-input-start', id: plan.toolCallId, toolName: plan.toolName },
          { type: 'tool-input-delta', id: plan.toolCallId, delta: plan.input },
          { type: 'tool-input-end', id: plan.toolCallId },
          {
            type: 'tool-call',
            toolCallId: plan.toolCallId,
            toolName: plan.toolName,
            input: plan.input,
          },
        );
      }
      parts.push({
        type: 'finish',
        finishReason: finishReasonOf(plan),
        usage: usageOf(call, output),
      });
      let next = 0;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        pull(controller) {
          if (call.abortSignal?.aborted) {
            controller.error(call.abortSignal.reason);
            return;
          }
          const part = parts[next++];
          if (part) controller.enqueue(part);
          else controller.close();
        },
      });
      return { stream };
    },
  };
}
