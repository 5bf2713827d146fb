/**
 * The offline model's tool ranking, on its own: for a host that wants a hosted model to be shown
 * the tools its users' words point at (in any language its lexicons know) before any search.
 */
import { danishLexicon } from './lexicon/danish';
import { englishLexicon } from './lexicon/english';
import type { Lexicon } from './lexicon/lexicon';
import { compileVocabulary, lexiconList } from './lexicon/vocabulary';
import { type OfflineTool, rankTools } from './planner/rank-tools';
import type { JsonSchema } from './schema';

/** A tool as the ranker reads it: its name, description and JSON Schema input. */
export interface RankableTool {
  name: string;
  description?: string;
  inputSchema: object;
}

/** Options of {@link createToolRanker}. */
export interface ToolRankerOptions {
  /** The words it understands. @default [englishLexicon, danishLexicon] */
  lexicon?: Lexicon | readonly Lexicon[];
}

/**
 * Creates a ranker: the tools whose subject the text names, best first, by name (tools the text
 * does not touch are left out). Deterministic and local, like the offline model it comes from.
 *
 * @example
 * ```ts
 * const rank = createToolRanker({ lexicon: [englishLexicon, danishLexicon, tekupDemoLexicon] });
 * rank('Vis ubetalte fakturaer', tools); // ['billy__list_invoices', …]
 * ```
 */
export function createToolRanker(
  options: ToolRankerOptions = {},
): (text: string, tools: readonly RankableTool[]) => string[] {
  const vocabulary = compileVocabulary(
    lexiconList(options.lexicon, [englishLexicon, danishLexicon]),
  );
  return (text, tools) => {
    const offline: OfflineTool[] = tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: tool.inputSchema as JsonSchema,
    }));
    return rankTools(text, offline, vocabulary)
      .filter((item) => item.score > 0)
      .map((item) => item.tool.name);
  };
}
