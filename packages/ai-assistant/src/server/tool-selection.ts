/**
 * Which of the browser's tools a turn shows the model. Every tool definition costs prompt tokens
 * on every model call, and a fleet of servers offers dozens; a turn needs one or two. So the model
 * gets the tools the conversation has used, the few that rank best for what the user is asking,
 * and a search tool (the AI SDK's `toolSearch`) through which it loads any other tool by what it
 * does — nothing is out of reach, it only costs a step.
 */
import type { ToolSpec } from '@tekup/mcp-client-web';
import { getToolName, isToolUIPart, type UIMessage } from 'ai';
import MiniSearch from 'minisearch';

/** Ranks tools for a text (the user's words, or the model's search query), best first, by name. */
export type ToolRanker = (
  query: string,
  tools: readonly ToolSpec[],
) => readonly string[] | PromiseLike<readonly string[]>;

/** Options of the tool search; see {@link ChatHandlerOptions.toolSearch}. */
export interface ToolSearchOptions {
  /** Tools shown up front besides those the thread has used. @default 5 */
  preload?: number;
  /** Tools one search loads. @default 5 */
  maxResults?: number;
  /** Below this many tools all are shown and there is no search. @default 12 */
  minTools?: number;
  /** @default rankToolsByKeywords */
  rank?: ToolRanker;
}

/** The name of the search tool the model sees (MCP tools are `server__tool`, so it cannot clash). */
export const TOOL_SEARCH_NAME = 'tool_search';

/** Splits identifiers and text into lower-case words: `listInvoices`, `list_invoices` → list, invoices. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1);
}

/** Parameter names of a tool's input schema (they say a lot about what it is for). */
function parameterNames(spec: ToolSpec): string {
  const properties = (spec.inputSchema as { properties?: Record<string, unknown> }).properties;
  return properties ? Object.keys(properties).join(' ') : '';
}

/**
 * The default ranker: BM25 (MiniSearch) over each tool's name, title, description and
 * parameter names, with prefix and light fuzzy matching so `invoice` finds `list_invoices`.
 * Language-neutral: it knows no domain words. A host whose users write in another language than
 * its tool descriptions can pass its own ranker.
 */
export const rankToolsByKeywords: ToolRanker = (query, tools) => {
  const index = new MiniSearch<{ id: string; name: string; text: string; params: string }>({
    fields: ['name', 'text', 'params'],
    tokenize: (text) => words(text),
    processTerm: (term) => term,
    searchOptions: {
      boost: { name: 3, params: 1.5, text: 1 },
      prefix: (term) => term.length > 3,
      fuzzy: (term) => (term.length > 5 ? 0.2 : false),
      combineWith: 'OR',
    },
  });
  index.addAll(
    tools.map((tool) => ({
      id: tool.name,
      name: tool.name,
      text: `${tool.title ?? ''} ${tool.description}`,
      params: parameterNames(tool),
    })),
  );
  return index.search(query).map((result) => String(result.id));
};

/** Names of the tools the conversation has called (their definitions must stay available). */
function toolsUsed(messages: readonly UIMessage[]): Set<string> {
  const used = new Set<string>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const part of message.parts) {
      if (isToolUIPart(part)) used.add(getToolName(part));
    }
  }
  used.delete(TOOL_SEARCH_NAME);
  return used;
}

/** The user's words the ranking reads: the last message, then the one before it. */
function recentUserText(messages: readonly UIMessage[]): string {
  const texts: string[] = [];
  for (let index = messages.length - 1; index >= 0 && texts.length < 2; index--) {
    const message = messages[index];
    if (message?.role !== 'user') continue;
    texts.push(
      message.parts
        .filter((part) => part.type === 'text')
        .map((part) => (part as { text: string }).text)
        .join(' '),
    );
  }
  return texts.join('\n');
}

/**
 * The tools shown up front: those the thread used, then the best ranked for the user's recent
 * words, up to `preload` more. A request that carries tool results back (the browser ran the
 * turn's calls) needs the model to answer, rarely to call again: it shows only the used tools,
 * and the search finds anything else.
 */
export async function preloadedTools(
  specs: readonly ToolSpec[],
  messages: readonly UIMessage[],
  options: { preload: number; rank: ToolRanker },
): Promise<Set<string>> {
  const known = new Set(specs.map((spec) => spec.name));
  const shown = new Set([...toolsUsed(messages)].filter((name) => known.has(name)));
  const text = recentUserText(messages);
  const answering = messages.at(-1)?.role === 'assistant';
  if (answering || text.trim() === '' || options.preload <= 0) return shown;
  let added = 0;
  for (const name of await options.rank(text, specs)) {
    if (added >= options.preload) break;
    if (!known.has(name) || shown.has(name)) continue;
    shown.add(name);
    added += 1;
  }
  return shown;
}
