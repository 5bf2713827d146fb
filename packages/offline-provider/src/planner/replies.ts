import { splitIdentifier } from '../language/words';
import type { AnswerLanguage, Vocabulary } from '../lexicon/vocabulary';
import type { JsonSchema } from '../schema';
import { type OfflineTool, rankTools } from './rank-tools';

const LISTED_TOOLS = 6;

function describeTool(tool: OfflineTool): string {
  const summary = (tool.description ?? '').split(/(?<=[.!?])\s/)[0]?.trim();
  const words = splitIdentifier(tool.name.split('__').pop() ?? tool.name).join(' ');
  const text = summary && summary.length <= 100 ? summary.replace(/[.!?]$/, '') : words;
  return `${text} (\`${tool.name}\`)`;
}

/** What the model can do: the tools that fit the text best, or that none are connected. */
export function capabilities(
  tools: OfflineTool[],
  language: AnswerLanguage,
  greeting: boolean,
  text: string,
  vocabulary: Vocabulary,
): string {
  const phrases = language.answers;
  const hello = greeting ? `${phrases.greeting} ` : '';
  if (tools.length === 0) return `${hello}${phrases.noTools}`;
  const ranked = rankTools(text, tools, vocabulary).map((item) => item.tool);
  const listed = ranked.slice(0, LISTED_TOOLS).map((tool) => `- ${describeTool(tool)}`);
  const intro = greeting ? phrases.introduction : phrases.noMatch;
  const more =
    tools.length > listed.length ? `\n\n${phrases.moreTools(tools.length - listed.length)}` : '';
  const hint = `\n\n${phrases.hint(language.example)}`;
  return `${hello}${intro}\n${listed.join('\n')}${more}${hint}`;
}

/** Asks for the required arguments the message did not give, naming the tool. */
export function askForMissing(
  tool: OfflineTool,
  missing: string[],
  language: AnswerLanguage,
): string {
  const properties = (tool.inputSchema as JsonSchema).properties ?? {};
  const fields = missing.map((name) => {
    const top = name.split(/[.[]/)[0] ?? name;
    const description = properties[top]?.description;
    return `- ${name}${description && top === name ? ` – ${description}` : ''}`;
  });
  return language.answers.askForMissing(`\`${tool.name}\``, fields.join('\n'));
}
