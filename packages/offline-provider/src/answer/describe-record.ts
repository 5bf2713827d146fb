import { splitIdentifier } from '../language/words';
import type { AnswerContext } from './answer-context';
import { formatScalar, money } from './format';
import { isRecord } from './read-outcome';

/** A single record: what a tool created or returned, its key fields in the fleet's order. */
export function describeRecord(
  toolName: string,
  record: Record<string, unknown>,
  context: AnswerContext,
): string {
  const { fields } = context;
  const phrases = context.language.answers;
  const language = context.language.code;
  const words = splitIdentifier(toolName.split('__').pop() ?? toolName);
  // A create tool that created nothing says why (`{ booked: false, reason }`): never "Created".
  const refused = Object.values(record).includes(false) && typeof record.reason === 'string';
  const creates = fields.createVerbs.includes(words[0] ?? '') && !refused;
  const noun = words.slice(1).join(' ') || 'record';
  const head = creates
    ? phrases.created(noun, context.language.nouns.get(`${noun}s`))
    : phrases.returned(toolName);
  // `{ invoice: { … } }`: describe the one record inside.
  const keys = Object.keys(record);
  const inner = keys.length === 1 ? record[keys[0] ?? ''] : undefined;
  const value = isRecord(inner) ? inner : record;
  const currency = typeof value.currency === 'string' ? value.currency : undefined;
  const scalarKeys = Object.keys(value).filter((key) => {
    const item = value[key];
    return item === null || typeof item !== 'object' || isRecord(item);
  });
  const ordered = [
    ...fields.record.filter((key) => scalarKeys.includes(key)),
    ...scalarKeys.filter((key) => !fields.record.includes(key) && key !== 'currency'),
  ];
  const lines = ordered.slice(0, 8).map((key) => {
    const item = value[key];
    const isMoney = fields.money.includes(key) || fields.recordMoney.includes(key);
    const shown =
      typeof item === 'number' && isMoney
        ? money(item, currency, language)
        : formatScalar(item, language, fields.labels);
    return `- ${key}: ${shown}`;
  });
  for (const [key, item] of Object.entries(value).filter(([, item]) => Array.isArray(item))) {
    if (lines.length >= 10) break;
    lines.push(`- ${key}: ${(item as unknown[]).length}`);
  }
  return [head, ...lines].join('\n');
}
