import { isoDay } from '../language/dates';
import { concept, splitIdentifier, textWords, tokenize } from '../language/words';
import { escapeRegExp } from '../lexicon/patterns';
import type { Vocabulary } from '../lexicon/vocabulary';
import { type JsonSchema, paramRole, primaryType, schemaVariants } from '../schema';
import { idFits, nameTakesId } from './ids';
import { parseNumber } from './numbers';
import { readFacts, type TextFacts } from './read-facts';

/** The outcome of filling a tool's arguments. */
export interface ExtractedArguments {
  args: Record<string, unknown>;
  /** Required parameters (dotted for nested ones) that the text did not give. */
  missing: string[];
}

interface FillContext {
  now: Date;
  facts: TextFacts;
  toolWords: Set<string>;
  vocabulary: Vocabulary;
}

function enumValue(schema: JsonSchema, context: FillContext): unknown {
  const { facts, vocabulary } = context;
  const values = schema.enum ?? [];
  const lower = facts.text.toLowerCase();
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const pattern = new RegExp(
      `(^|[^\\p{L}])${escapeRegExp(value.toLowerCase())}($|[^\\p{L}])`,
      'u',
    );
    if (pattern.test(lower)) return value;
  }
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const parts = splitIdentifier(value).map((part) => concept(part, vocabulary));
    if (parts.length > 0 && parts.every((part) => facts.concepts.has(part))) return value;
  }
  return undefined;
}

function dateValue(role: string, schema: JsonSchema, facts: TextFacts): string | undefined {
  const [first, second] = facts.dates;
  if (!first) return undefined;
  let value: string;
  if (role === 'date-start') value = first.start;
  else if (role === 'date-end') value = second ? second.end : first.end;
  else value = first.start;
  if (schema.format === 'date-time') {
    // An end time is only given by a range; for one day the tool's own duration applies.
    if (role === 'date-end' && first.single && !second) return undefined;
    if (facts.time && role !== 'date-end') return `${value}T${facts.time}:00.000Z`;
    return role === 'date-end' ? `${value}T23:59:59.999Z` : `${value}T00:00:00.000Z`;
  }
  return value;
}

/** The words of a free-text query: what is left after the request's own words. */
function meaningfulWords(context: FillContext): string | undefined {
  const { facts, vocabulary } = context;
  let text = facts.text;
  for (const id of facts.ids) text = text.replace(id, ' ');
  const folded = new Set(tokenize(text, vocabulary));
  const kept = textWords(text)
    .map(({ word }) => word)
    .filter((word) => {
      const lower = word.toLowerCase();
      if (!folded.has(lower) || vocabulary.fillers.has(lower)) return false;
      if (/^\d+([.,]\d+)*$/.test(word) || vocabulary.limitNoise.has(lower)) return false;
      const value = concept(lower, vocabulary);
      if (value === 'list' || value === 'howto') return false;
      return !context.toolWords.has(value);
    });
  return kept.length > 0 ? kept.join(' ') : undefined;
}

function countQuery(context: FillContext): string | undefined {
  const { facts, vocabulary } = context;
  if (!facts.concepts.has('list')) return undefined;
  const table = facts.text.match(vocabulary.countTable)?.[1]?.toLowerCase();
  if (!table || vocabulary.stopwords.has(table)) return undefined;
  return `SELECT COUNT(*) AS count FROM ${table}`;
}

/**
 * One fact must not feed two parameters that mean the same thing: a line's `description`
 * and `product` (keep the product only when no price was given, so its catalogue price
 * applies), or top-level `product` + `quantity` next to `lines` items that already hold them
 * (keep the lines when they carry a price, else the simpler top-level pair).
 */
function keepOneSource(
  schema: JsonSchema,
  args: Record<string, unknown>,
  vocabulary: Vocabulary,
): void {
  const properties = schema.properties ?? {};
  const roleOf = (name: string, owner = properties) =>
    paramRole(name, (owner[name] ?? {}) as JsonSchema, vocabulary);
  const hasPrice = Object.entries(args).some(
    ([name, value]) => typeof value === 'number' && roleOf(name) === 'amount',
  );
  const strings = Object.entries(args).filter(([, value]) => typeof value === 'string');
  for (const [name, value] of strings) {
    const twin = strings.find(
      ([other, otherValue]) =>
        other !== name && otherValue === value && roleOf(other) === 'description',
    );
    if (roleOf(name) === 'product' && twin) {
      if (hasPrice) delete args[name];
      else delete args[twin[0]];
    }
  }
  for (const [name, value] of Object.entries(args)) {
    if (!Array.isArray(value) || !value.every((item) => item && typeof item === 'object')) continue;
    const items = properties[name]?.items;
    const itemSchema = (Array.isArray(items) ? items[0] : items) ?? {};
    const itemKeys = new Set(Object.keys(itemSchema.properties ?? {}));
    const siblings = Object.keys(args).filter((key) => key !== name && itemKeys.has(key));
    if (siblings.length === 0) continue;
    const itemHasPrice = (value as Record<string, unknown>[]).some((item) =>
      Object.entries(item).some(
        ([key, itemValue]) =>
          typeof itemValue === 'number' && roleOf(key, itemSchema.properties ?? {}) === 'amount',
      ),
    );
    if (itemHasPrice) for (const key of siblings) delete args[key];
    else delete args[name];
  }
}

/** Sensible values for required parameters the text did not give: the schema default, today. */
function requiredDefault(name: string, schema: JsonSchema, context: FillContext): unknown {
  if (schema.default !== undefined) return schema.default;
  const role = paramRole(name, schema, context.vocabulary);
  if (role === 'date' || role === 'date-start') {
    const today = isoDay(context.now);
    return schema.format === 'date-time' ? `${today}T00:00:00.000Z` : today;
  }
  return undefined;
}

function coerce(value: unknown, schema: JsonSchema): unknown {
  const type = primaryType(schema);
  if (type === 'integer' && typeof value === 'number') return Math.round(value);
  if (type === 'string' && typeof value === 'number') return String(value);
  if ((type === 'number' || type === 'integer') && typeof value === 'string') {
    return parseNumber(value);
  }
  if (type === 'array' && !Array.isArray(value) && value !== undefined) return [value];
  return value;
}

function clamp(value: unknown, schema: JsonSchema): unknown {
  if (typeof value !== 'number') return value;
  let result = value;
  if (typeof schema.maximum === 'number') result = Math.min(result, schema.maximum);
  if (typeof schema.minimum === 'number') result = Math.max(result, schema.minimum);
  return result;
}

function fillValue(name: string, schema: JsonSchema, context: FillContext): unknown {
  const { facts } = context;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return enumValue(schema, context);
  const type = primaryType(schema);
  if (type === 'object') {
    const nested = fillObject(schema, context, name);
    return Object.keys(nested.args).length > 0 && nested.missing.length === 0
      ? nested.args
      : undefined;
  }
  if (type === 'array') {
    const items = Array.isArray(schema.items) ? schema.items[0] : schema.items;
    if (!items) return undefined;
    if (primaryType(items) === 'object') {
      const item = fillObject(items, context, `${name}[0]`);
      return Object.keys(item.args).length > 0 && item.missing.length === 0
        ? [item.args]
        : undefined;
    }
    const single = fillValue(name, items, context);
    return single === undefined ? undefined : [single];
  }
  const role = paramRole(name, schema, context.vocabulary);
  switch (role) {
    case 'date':
    case 'date-start':
    case 'date-end':
      return dateValue(role, schema, facts);
    case 'name':
      return (
        facts.names[0] ??
        facts.ids.find((id) => nameTakesId(id, schema)) ??
        facts.identifiers.find(
          (identifier) =>
            typeof schema.pattern === 'string' && safeTest(schema.pattern, identifier),
        )
      );
    case 'query':
      return facts.topic ?? meaningfulWords(context);
    case 'sql':
      return facts.sql ?? countQuery(context);
    case 'limit':
      if (facts.limit === undefined && facts.countQuestion && typeof schema.maximum === 'number') {
        return schema.maximum;
      }
      return facts.limit;
    case 'min-amount':
      return facts.amounts.find((amount) => amount.kind === 'min')?.value;
    case 'max-amount':
      return facts.amounts.find((amount) => amount.kind === 'max')?.value;
    case 'amount':
      return (
        facts.amounts.find((amount) => amount.kind === 'unit') ??
        facts.amounts.find((amount) => amount.kind === 'exact')
      )?.value;
    case 'quantity':
      return facts.quantities[0]?.value;
    case 'description':
      return (
        facts.quantities[0]?.what ??
        facts.quoted[0] ??
        (/^(title|subject|summary|name)$/i.test(name) ? facts.title : undefined)
      );
    case 'product':
      return facts.quantities[0]?.what ?? facts.quoted[0];
    case 'id':
      return facts.ids.find((id) => idFits(id, name, schema));
    case 'email':
      return facts.emails[0];
    case 'path':
      return facts.paths[0] ?? facts.quoted[0];
    default:
      if (type !== 'string') return undefined;
      if (name === 'reason') return facts.text.match(context.vocabulary.reason)?.[1]?.trim();
      return besideParamName(name, context);
  }
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

/** The word next to the parameter's own name: "the invoices table" → table = invoices. */
function besideParamName(name: string, context: FillContext): string | undefined {
  const { facts, vocabulary } = context;
  const label = splitIdentifier(name).join(' ');
  if (!label || label.length < 3) return undefined;
  const escaped = escapeRegExp(label);
  const usable = (word: string | undefined) =>
    word && !vocabulary.fillers.has(word.toLowerCase()) ? word : undefined;
  const before = facts.text.match(
    new RegExp(`([\\p{L}\\p{N}_./-]+)\\s+${escaped}s?(?![\\p{L}])`, 'iu'),
  );
  const after = facts.text.match(
    new RegExp(`(?<![\\p{L}])${escaped}s?\\s+([\\p{L}\\p{N}_./-]+)`, 'iu'),
  );
  return usable(after?.[1]) ?? usable(before?.[1]);
}

function fillObject(schema: JsonSchema, context: FillContext, prefix = ''): ExtractedArguments {
  let best: ExtractedArguments | undefined;
  for (const variant of schemaVariants(schema)) {
    const args: Record<string, unknown> = {};
    const missing: string[] = [];
    const required = new Set(variant.required ?? []);
    for (const [name, raw] of Object.entries(variant.properties ?? {})) {
      const property = (raw ?? {}) as JsonSchema;
      let value = clamp(coerce(fillValue(name, property, context), property), property);
      if (value === undefined && required.has(name)) {
        value = requiredDefault(name, property, context);
      }
      if (value !== undefined) args[name] = value;
      else if (required.has(name)) missing.push(prefix ? `${prefix}.${name}` : name);
    }
    keepOneSource(variant, args, context.vocabulary);
    const candidate = { args, missing };
    if (
      !best ||
      candidate.missing.length < best.missing.length ||
      (candidate.missing.length === best.missing.length &&
        Object.keys(candidate.args).length > Object.keys(best.args).length)
    ) {
      best = candidate;
    }
  }
  return best ?? { args: {}, missing: [] };
}

/**
 * Fills a tool's arguments from the user's words, guided by the tool's JSON Schema: quoted
 * text, names after the lexicon's cues, amounts, quantities, dates, enum values mentioned,
 * limits, ids, SQL and the meaningful words for free-text query parameters. Optional
 * parameters are only set when the text gave them; required ones fall back to their schema
 * default.
 */
export function extractArguments(
  text: string,
  schema: JsonSchema,
  options: { now: Date; toolName?: string; vocabulary: Vocabulary },
): ExtractedArguments {
  const { vocabulary } = options;
  const facts = readFacts(text, options.now, vocabulary);
  // The tool's own words and the sources ("the docs", "the database") are no search text.
  const toolWords = new Set<string>([
    ...splitIdentifier(options.toolName ?? '').map((word) => concept(word, vocabulary)),
    'document',
    ...vocabulary.sources,
  ]);
  return fillObject(schema, { facts, toolWords, now: options.now, vocabulary });
}
