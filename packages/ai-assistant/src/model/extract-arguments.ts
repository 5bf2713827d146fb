import { type DateSpan, findDates, isDateWord, isoDay } from './dates';
import { type JsonSchema, paramRole, primaryType, schemaVariants } from './schema';
import { concept, concepts, isKnownWord, splitIdentifier, STOPWORDS, tokenize } from './text';

/** What the offline model could read from the user's words. */
export interface TextFacts {
  text: string;
  quoted: string[];
  names: string[];
  dates: DateSpan[];
  amounts: Amount[];
  quantities: Quantity[];
  limit?: number;
  ids: string[];
  /** camelCase / PascalCase identifiers ("createGateway", "McpClient"). */
  identifiers: string[];
  emails: string[];
  paths: string[];
  /** "How many …": the user wants a count, so list tools should return all rows. */
  countQuestion: boolean;
  sql?: string;
  topic?: string;
  /** Time of day as `HH:MM` ("at 10", "kl. 14.30", "2pm"). */
  time?: string;
  /** What the user wants made, for title-like parameters ("Meeting with Acme"). */
  title?: string;
  concepts: Set<string>;
}

interface Amount {
  value: number;
  kind: 'min' | 'max' | 'unit' | 'exact';
  currency?: string;
}

interface Quantity {
  value: number;
  unit: string;
  what?: string;
}

/** The outcome of filling a tool's arguments. */
export interface ExtractedArguments {
  args: Record<string, unknown>;
  /** Required parameters (dotted for nested ones) that the text did not give. */
  missing: string[];
}

const CURRENCY = String.raw`kr\.?|dkk|kroner|eur|euro|€|usd|\$|sek|nok|£|gbp`;
const NUMBER = String.raw`\d+(?:[.,]\d+)*`;
const NAME_CUES = new Set(['for', 'to', 'til', 'med', 'with', 'from', 'fra', 'hos']);
const LOWERCASE_NAME_CUES = new Set(['for', 'til', 'hos', 'from', 'fra']);
const ROLE_WORDS = new Set([
  'customer',
  'client',
  'kunde',
  'kunden',
  'company',
  'firma',
  'firmaet',
  'virksomheden',
  'contact',
  'kontakt',
  'the',
]);
const FILLER = new Set([
  ...STOPWORDS,
  'next',
  'last',
  'previous',
  'coming',
  'this',
  'næste',
  'sidste',
  'forrige',
  'denne',
  'dette',
  'kommende',
  'please',
  'asap',
  'today',
  'tomorrow',
  'yesterday',
  'week',
  'month',
  'year',
  'uge',
  'måned',
  'år',
  'hours',
  'hour',
  'timer',
  'kr',
  'dkk',
]);
const CONNECTORS = new Set(['&', 'og', 'and', 'of', 'de', 'van', 'von', 'der', 'la', 'le']);
const TOPIC_CUES =
  /(?<![\p{L}\p{N}])(?:about|regarding|on|concerning|om|vedrørende|angående|efter|for)\s+(.+)$/iu;

/** Reads a number written the English or the Danish way (`1.250,50`, `1,250.50`, `10.5`). */
export function parseNumber(raw: string): number | undefined {
  let text = raw.trim();
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(text)) text = text.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, '');
  else if (/^\d+,\d+$/.test(text)) text = text.replace(',', '.');
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function words(text: string): Array<{ word: string; index: number }> {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:['’./-][\p{L}\p{N}]+)*|&/gu)].map((match) => ({
    word: match[0],
    index: match.index ?? 0,
  }));
}

const CURRENCY_WORDS = new Set(['dkk', 'kr', 'eur', 'euro', 'usd', 'sek', 'nok', 'gbp']);

function isCapitalized(word: string): boolean {
  return (
    /^[\p{Lu}\p{N}]/u.test(word) && /\p{L}/u.test(word) && !CURRENCY_WORDS.has(word.toLowerCase())
  );
}

function findNames(text: string): string[] {
  const tokens = words(text);
  const names: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const cue = tokens[index]?.word ?? '';
    const lowerCue = cue.toLowerCase();
    const isCue = NAME_CUES.has(lowerCue) || (ROLE_WORDS.has(cue) && cue !== 'the');
    if (!isCue) continue;
    let start = index + 1;
    while (tokens[start] && ROLE_WORDS.has(tokens[start]?.word ?? '')) start++;
    const run: string[] = [];
    for (let next = start; next < tokens.length; next++) {
      const word = tokens[next]?.word ?? '';
      if (isCapitalized(word) && !isDateWord(word) && !/^\d+([.,]\d+)*$/.test(word)) {
        run.push(word);
        continue;
      }
      const following = tokens[next + 1]?.word ?? '';
      if (run.length > 0 && CONNECTORS.has(word.toLowerCase()) && isCapitalized(following)) {
        run.push(word);
        continue;
      }
      break;
    }
    if (run.length === 0 && LOWERCASE_NAME_CUES.has(lowerCue)) {
      for (let next = start; next < tokens.length && run.length < 3; next++) {
        const word = tokens[next]?.word ?? '';
        const lower = word.toLowerCase();
        if (FILLER.has(lower) || /\d/.test(word) || isDateWord(word)) break;
        if (isKnownWord(lower) || /[a-z][A-Z]/.test(word)) break;
        run.push(word);
      }
    }
    while (run.length > 0 && FILLER.has((run.at(-1) ?? '').toLowerCase())) run.pop();
    while (run.length > 0 && CONNECTORS.has((run.at(-1) ?? '').toLowerCase())) run.pop();
    if (run.length > 0) names.push(run.join(' ').replace(/[.,;:!?]+$/, ''));
  }
  if (names.length === 0) names.push(...properNouns(text));
  return [...new Set(names)];
}

/** Capitalized runs with no cue word before them ("Which invoices has Acme ApS paid?"). */
function properNouns(text: string): string[] {
  const found: string[] = [];
  for (const sentence of text.split(/[.!?\n]+/)) {
    const tokens = words(sentence);
    let run: string[] = [];
    let startsSentence = false;
    const flush = () => {
      if (startsSentence && run.length > 0 && isKnownWord(run[0] ?? '')) {
        run.shift();
        startsSentence = false;
      }
      const [first] = run;
      const usable = first !== undefined && (!startsSentence || run.length >= 2);
      if (usable) found.push(run.join(' '));
      run = [];
    };
    tokens.forEach(({ word }, index) => {
      const lower = word.toLowerCase();
      const nameLike =
        isCapitalized(word) &&
        !STOPWORDS.has(lower) &&
        !isDateWord(word) &&
        !/^\d/.test(word) &&
        (run.length > 0 || !isKnownWord(word) || index === 0);
      if (nameLike) {
        if (run.length === 0) startsSentence = index === 0;
        run.push(word);
      } else if (
        run.length > 0 &&
        CONNECTORS.has(lower) &&
        isCapitalized(tokens[index + 1]?.word ?? '')
      ) {
        run.push(word);
      } else {
        flush();
      }
    });
    flush();
  }
  return found;
}

function findAmounts(text: string): Amount[] {
  const amounts: Amount[] = [];
  const lower = text.toLowerCase();
  const between = lower.match(
    new RegExp(
      String.raw`\b(?:between|mellem)\s+(?:(?:${CURRENCY})\s*)?(${NUMBER})\s*(?:${CURRENCY})?\s+(?:and|og|to|til)\s+(?:(?:${CURRENCY})\s*)?(${NUMBER})`,
      'u',
    ),
  );
  if (between) {
    const low = parseNumber(between[1] ?? '');
    const high = parseNumber(between[2] ?? '');
    if (low !== undefined) amounts.push({ value: low, kind: 'min' });
    if (high !== undefined) amounts.push({ value: high, kind: 'max' });
  }
  const pattern = new RegExp(
    String.raw`(?:(?<![\p{L}\p{N}])(more than|greater than|larger than|above|over|at least|minimum|min\.?|mindst|større end|mere end|fra|from|less than|below|under|at most|up to|maximum|max\.?|højst|mindre end|op til|at|à|á|a|@|per|each|til)\s+)?(?:(${CURRENCY})\s*)?(${NUMBER})(?:\s*(${CURRENCY}))?(?=[^\p{L}\p{N}]|$)`,
    'gu',
  );
  for (const match of lower.matchAll(pattern)) {
    const [, cue = '', before, raw = '', after] = match;
    const currency = before ?? after;
    if (!currency && !cue) continue;
    if (
      !currency &&
      !/^(more|greater|larger|above|over|at least|min|mindst|større|mere|less|below|under|at most|up to|max|højst|mindre|op til)/.test(
        cue,
      )
    ) {
      continue;
    }
    const value = parseNumber(raw);
    if (value === undefined) continue;
    let kind: Amount['kind'] = 'exact';
    if (/^(more|greater|larger|above|over|at least|min|mindst|større|mere|fra|from)/.test(cue)) {
      kind = 'min';
    } else if (/^(less|below|under|at most|up to|max|højst|mindre|op til|til)/.test(cue)) {
      kind = 'max';
    } else if (/^(at|à|á|a|@|per|each)$/.test(cue)) kind = 'unit';
    if (between && (kind === 'min' || kind === 'max' || kind === 'exact')) continue;
    amounts.push({ value, kind, ...(currency ? { currency: currency.replace(/\.$/, '') } : {}) });
  }
  return amounts;
}

function findQuantities(text: string): Quantity[] {
  const pattern =
    /(\d+(?:[.,]\d+)?)\s*(hours?|hrs?|h|timer|time|stk\.?|pcs|pieces?|units?|x|×|items?|days?|dage)(?=[\s,.;:]|$)\s*(?:(?:of|af)\s+)?([^,.;:\d]*?)(?=\s+(?:at|à|á|a|for|til|@|per|each|from|fra|to|with|med)(?![\p{L}\p{N}])|[,.;:!?\d]|$)/giu;
  const quantities: Quantity[] = [];
  for (const match of text.matchAll(pattern)) {
    const value = parseNumber(match[1] ?? '');
    if (value === undefined) continue;
    const what = (match[3] ?? '').trim();
    quantities.push({
      value,
      unit: (match[2] ?? '').toLowerCase(),
      ...(what && !FILLER.has(what.toLowerCase()) ? { what } : {}),
    });
  }
  return quantities;
}

function findLimit(text: string): number | undefined {
  const lower = text.toLowerCase();
  const cue = lower.match(
    /\b(?:top|first|latest|last|newest|recent|most recent|limit|seneste|første|sidste|de)\s+(\d{1,4})\b(?![-./]\d)(?!\s*(?:kr|dkk|hours?|timer|days?|dage))/u,
  );
  if (cue) return Number(cue[1]);
  const counted = lower.match(
    /(?:^|[^\d.,])(\d{1,3})\s+(?:\p{L}+\s+)?(invoices|fakturaer|events|møder|docs|documents|dokumenter|results|resultater|rows|rækker|customers|kunder|items|entries|notes|noter)\b/u,
  );
  return counted ? Number(counted[1]) : undefined;
}

function findIds(text: string): string[] {
  const patterns = [
    // `evt_0012`, `inv_0012`, `doc_004`
    /\b([a-z]{2,}_\d+[\w-]*)\b/g,
    /#(\w[\w-]*)/g,
    /\b([A-Z]{2,}[-_]?\d+[\w-]*)\b/g,
    // "invoice 1041", "faktura nr. 1041", "event 12"
    /\b(?:invoice|faktura|fakturanr|event|begivenhed|order|ordre|document|dokument|doc|nr|no|number|nummer|id)\.?\s*(?:nr\.?|no\.?)?\s*(\d{1,12})\b(?![.,]\d|\s*(?:kr|dkk|%|hours?|timer|stk|pcs|x\b))/gi,
  ];
  const ids: string[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) if (match[1]) ids.push(match[1]);
  }
  return [...new Set(ids)];
}

function isSubsequence(needle: string, haystack: string): boolean {
  let index = 0;
  for (const char of haystack) if (char === needle[index]) index++;
  return index === needle.length;
}

/**
 * Whether an id suits an id parameter: a prefixed id (`evt_0012`) only goes to a parameter
 * whose name or description fits the prefix (eventId, not invoiceId); plain numbers go anywhere.
 */
export function idFits(id: string, name: string, schema: JsonSchema): boolean {
  const prefix = id.match(/^([a-z]+)[_-]\d/i)?.[1]?.toLowerCase();
  if (!prefix) return true;
  if ((schema.description ?? '').toLowerCase().includes(`${prefix}_`)) return true;
  return splitIdentifier(name).some((word) => word !== 'id' && isSubsequence(prefix, word));
}

function findPaths(text: string): string[] {
  return [...text.matchAll(/(?:^|\s)((?:[\w.-]+\/)+[\w.-]+\.\w+)(?=[\s,;:!?)]|\.?$)/g)].map(
    (match) => match[1] ?? '',
  );
}

function findSql(text: string, quoted: string[]): string | undefined {
  const fromQuote = quoted.find((quote) => /^\s*(select|with)\b/i.test(quote));
  if (fromQuote) return fromQuote.trim();
  const inline = text.match(/\b(select|with)\b\s[\s\S]*$/i);
  if (inline?.[0] && /\bfrom\b/i.test(inline[0])) return inline[0].trim().replace(/[?!]+$/, '');
  return undefined;
}

function findTopic(text: string, quoted: string[]): string | undefined {
  if (quoted[0]) return quoted[0];
  const sentence = text.replace(/[?!]+\s*$/, '');
  const cue = sentence.match(TOPIC_CUES);
  const tail = cue?.[1]?.trim();
  if (tail) {
    const tailWords = tail.split(/\s+/).filter((word) => !FILLER.has(word.toLowerCase()));
    if (tailWords.length > 0) return tailWords.join(' ').replace(/[.,;:]+$/, '');
  }
  return undefined;
}

function findTime(text: string): string | undefined {
  const match =
    text.match(
      /\b(?:at|kl\.?|klokken|@)\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?(?![\d.,]*\s*(?:kr|dkk|%))/i,
    ) ??
    text.match(/\b(\d{1,2}):(\d{2})\b()/) ??
    text.match(/\b(\d{1,2})()\s*(am|pm)\b/i);
  if (!match) return undefined;
  let hours = Number(match[1]);
  const minutes = Number(match[2] || 0);
  const half = (match[3] ?? '').toLowerCase();
  if (half === 'pm' && hours < 12) hours += 12;
  if (half === 'am' && hours === 12) hours = 0;
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

const TITLE_LEAD = new Set([
  ...STOPWORDS,
  'book',
  'schedule',
  'create',
  'add',
  'make',
  'new',
  'plan',
  'opret',
  'lav',
  'tilføj',
  'planlæg',
  'ny',
  'nyt',
]);
const TITLE_STOP =
  /\s+(?:tomorrow|today|tonight|i morgen|i dag|i overmorgen|on|at|kl\.?|klokken|next|this|from|fra|på|den|om|for\s+\d|\d{4}-\d{2}-\d{2}|\d{1,2}[:.]\d{2}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)(?![\p{L}]).*$/iu;

function findTitle(text: string): string | undefined {
  const sentence = (text.split(/[.!?\n]/)[0] ?? '').trim();
  const tokens = sentence.split(/\s+/);
  while (tokens.length > 0 && TITLE_LEAD.has((tokens[0] ?? '').toLowerCase())) tokens.shift();
  const phrase = tokens
    .join(' ')
    .replace(TITLE_STOP, '')
    .replace(/[,;:]+$/, '')
    .trim();
  if (phrase.length < 2) return undefined;
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** Extracts quoted text, names, dates, amounts, quantities, limits, ids and SQL from a text. */
export function readFacts(text: string, now: Date): TextFacts {
  const quoted = [
    ...text.matchAll(
      /"([^"]+)"|“([^”]+)”|„([^“”]+)[“”]|«([^»]+)»|(?:^|\s)'([^']+)'(?=\s|[.,!?]|$)/g,
    ),
  ]
    .map((match) => (match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5] ?? '').trim())
    .filter(Boolean);
  const limit = findLimit(text);
  return {
    text,
    quoted,
    names: findNames(text),
    dates: findDates(text, now),
    amounts: findAmounts(text),
    quantities: findQuantities(text),
    ...(limit !== undefined ? { limit } : {}),
    ids: findIds(text),
    identifiers: [
      ...text.matchAll(/\b(?:[a-z]+(?:[A-Z][a-z0-9]*)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)\b/g),
    ].map((match) => match[0]),
    emails: [...text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)].map((match) => match[0]),
    paths: findPaths(text),
    countQuestion: /\b(?:how many|hvor mange|antal|number of|antallet)\b/i.test(text),
    ...(findSql(text, quoted) ? { sql: findSql(text, quoted) } : {}),
    ...(findTopic(text, quoted) ? { topic: findTopic(text, quoted) } : {}),
    ...(findTime(text) ? { time: findTime(text) } : {}),
    ...(findTitle(text) ? { title: findTitle(text) } : {}),
    concepts: new Set(concepts(text)),
  };
}

function enumValue(schema: JsonSchema, facts: TextFacts): unknown {
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
    const parts = splitIdentifier(value).map(concept);
    if (parts.length > 0 && parts.every((part) => facts.concepts.has(part))) return value;
  }
  return undefined;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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

const LIMIT_WORDS = new Set(['top', 'first', 'latest', 'newest', 'recent', 'seneste', 'første']);

function meaningfulWords(facts: TextFacts, toolWords: Set<string>): string | undefined {
  let text = facts.text;
  for (const id of facts.ids) text = text.replace(id, ' ');
  const folded = new Set(tokenize(text));
  const kept = words(text)
    .map(({ word }) => word)
    .filter((word) => {
      const lower = word.toLowerCase();
      if (!folded.has(lower) || STOPWORDS.has(lower) || FILLER.has(lower)) return false;
      if (/^\d+([.,]\d+)*$/.test(word) || LIMIT_WORDS.has(lower)) return false;
      const value = concept(lower);
      if (value === 'list' || value === 'howto') return false;
      return !toolWords.has(value);
    });
  return kept.length > 0 ? kept.join(' ') : undefined;
}

function countQuery(facts: TextFacts): string | undefined {
  if (!facts.concepts.has('list')) return undefined;
  const match = facts.text.match(
    /\b(?:how many|hvor mange|count|antal)\s+(?:of\s+)?(?:the\s+)?(\p{L}+)/iu,
  );
  const table = match?.[1]?.toLowerCase();
  if (!table || STOPWORDS.has(table)) return undefined;
  return `SELECT COUNT(*) AS count FROM ${table}`;
}

/**
 * One fact must not feed two parameters that mean the same thing: a line's `description`
 * and `product` (keep the product only when no price was given, so its catalogue price
 * applies), or top-level `product` + `quantity` next to `lines` items that already hold them
 * (keep the lines when they carry a price, else the simpler top-level pair).
 */
function keepOneSource(schema: JsonSchema, args: Record<string, unknown>): void {
  const properties = schema.properties ?? {};
  const hasPrice = Object.entries(args).some(
    ([name, value]) =>
      typeof value === 'number' &&
      paramRole(name, (properties[name] ?? {}) as JsonSchema) === 'amount',
  );
  const strings = Object.entries(args).filter(([, value]) => typeof value === 'string');
  for (const [name, value] of strings) {
    const role = paramRole(name, (properties[name] ?? {}) as JsonSchema);
    const twin = strings.find(
      ([other, otherValue]) =>
        other !== name &&
        otherValue === value &&
        paramRole(other, (properties[other] ?? {}) as JsonSchema) === 'description',
    );
    if (role === 'product' && twin) {
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
          typeof itemValue === 'number' &&
          paramRole(key, (itemSchema.properties?.[key] ?? {}) as JsonSchema) === 'amount',
      ),
    );
    if (itemHasPrice) for (const key of siblings) delete args[key];
    else delete args[name];
  }
}

/** Whether a name parameter also takes this id: its description speaks of ids or the prefix. */
export function nameTakesId(id: string, schema: JsonSchema): boolean {
  const prefix = id.match(/^([a-z]+)_\d/i)?.[1]?.toLowerCase();
  if (!prefix) return false;
  const description = (schema.description ?? '').toLowerCase();
  return description.includes(`${prefix}_`) || /\bid\b/.test(description);
}

/** Sensible values for required parameters the text did not give: the schema default, today. */
function requiredDefault(name: string, schema: JsonSchema, context: FillContext): unknown {
  if (schema.default !== undefined) return schema.default;
  const role = paramRole(name, schema);
  if (role === 'date' || role === 'date-start') {
    const today = isoDay(context.now);
    return schema.format === 'date-time' ? `${today}T00:00:00.000Z` : today;
  }
  return undefined;
}

interface FillContext {
  now: Date;
  facts: TextFacts;
  toolWords: Set<string>;
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
  if (schema.enum) return enumValue(schema, facts);
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
  const role = paramRole(name, schema);
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
      return facts.topic ?? meaningfulWords(facts, context.toolWords);
    case 'sql':
      return facts.sql ?? countQuery(facts);
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
      if (name === 'reason') {
        return facts.text
          .match(/\b(?:because|fordi|since|due to|pga\.?)\s+([^.!?]+)/i)?.[1]
          ?.trim();
      }
      return besideParamName(name, facts);
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
function besideParamName(name: string, facts: TextFacts): string | undefined {
  const label = splitIdentifier(name).join(' ');
  if (!label || label.length < 3) return undefined;
  const escaped = escapeRegExp(label);
  const usable = (word: string | undefined) =>
    word && !STOPWORDS.has(word.toLowerCase()) && !FILLER.has(word.toLowerCase())
      ? word
      : undefined;
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
      if (value === undefined && required.has(name))
        value = requiredDefault(name, property, context);
      if (value !== undefined) args[name] = value;
      else if (required.has(name)) missing.push(prefix ? `${prefix}.${name}` : name);
    }
    keepOneSource(variant, args);
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
 * text, names after for/to/til/med, amounts, quantities, dates, enum values mentioned, limits,
 * ids, SQL and the meaningful words for free-text query parameters. Optional parameters are
 * only set when the text gave them; required ones fall back to their schema default.
 */
export function extractArguments(
  text: string,
  schema: JsonSchema,
  options: { now: Date; toolName?: string; toolDescription?: string },
): ExtractedArguments {
  const facts = readFacts(text, options.now);
  const toolWords = new Set<string>([
    ...splitIdentifier(options.toolName ?? '').map(concept),
    ...concepts(options.toolDescription ?? '').filter((value) => value === 'document'),
    'document',
    'database',
  ]);
  return fillObject(schema, { facts, toolWords, now: options.now });
}
