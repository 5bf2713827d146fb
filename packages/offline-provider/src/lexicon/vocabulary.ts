import { InvalidArgumentError } from '@ai-sdk/provider';
import { type AnswerLanguage, languagesOf } from './answer-languages';
import { compileDates, type DateVocabulary } from './date-vocabulary';
import { gather, lastOf } from './gather';
import type { Lexicon, ParameterWords, PhraseFold, ResultFields } from './lexicon';
import { alternation, normalizePhrase, patternSource } from './patterns';

export type { AnswerLanguage, DateVocabulary };

type Words = ReadonlySet<string>;

/** A composed lexicon, compiled once: sets for lookups and the patterns built from word lists. */
export interface Vocabulary {
  conceptOf: ReadonlyMap<string, string>;
  knownConcepts: Words;
  phrases: readonly PhraseFold[];
  stopwords: Words;
  /** Stopwords and fillers. */
  fillers: Words;
  suffixes: readonly string[];
  stem: (word: string) => string;
  properName?: string;
  singleDay?: string;
  identifier?: string;
  sources: readonly string[];
  changes: readonly string[];
  parameters: Readonly<Record<keyof ParameterWords, Words>>;
  nameCues: Words;
  lowercaseNameCues: Words;
  nameRoles: Words;
  /** Roles and articles: skipped between a cue and the name. */
  nameSkips: Words;
  connectors: Words;
  currencyWords: Words;
  amountRange: RegExp;
  amount: RegExp;
  atLeast: Words;
  atMost: Words;
  from: Words;
  upTo: Words;
  each: Words;
  quantity: RegExp;
  limitCue: RegExp;
  limitCounted: RegExp;
  limitNoise: Words;
  numberId: RegExp;
  dates: DateVocabulary;
  time: RegExp;
  titleLead: Words;
  titleStop: RegExp;
  topic: RegExp;
  reason: RegExp;
  countQuestion: RegExp;
  countTable: RegExp;
  greeting: RegExp;
  thanks: RegExp;
  question: RegExp;
  denial: RegExp;
  results: Readonly<Required<ResultFields>>;
  /** Languages with answers, in lexicon order; the first is the default. */
  languages: readonly [AnswerLanguage, ...AnswerLanguage[]];
}

const NUMBER = String.raw`\d+(?:[.,]\d+)*`;

/** Generic result fields, used for every list no lexicon gives. */
const GENERIC_RESULTS: Required<ResultFields> = {
  labels: ['title', 'name', 'summary', 'subject', 'number', 'description', 'label', 'text', 'id'],
  money: [
    'total',
    'amount',
    'totalAmount',
    'grandTotal',
    'amountDue',
    'balance',
    'sum',
    'price',
    'unitPrice',
    'value',
  ],
  recordMoney: [],
  dates: ['date', 'startsAt', 'createdAt', 'when'],
  ids: ['number', 'id'],
  parties: [],
  details: ['email'],
  record: [
    'number',
    'id',
    'title',
    'name',
    'status',
    'start',
    'end',
    'date',
    'total',
    'amount',
    'balance',
  ],
  createVerbs: ['create', 'add', 'new'],
};

function resultsOf(lexicons: readonly Lexicon[]): Required<ResultFields> {
  const results = { ...GENERIC_RESULTS };
  for (const key of Object.keys(results) as Array<keyof ResultFields>) {
    results[key] = lastOf(lexicons, (lexicon) => lexicon.results?.[key]) ?? results[key];
  }
  return results;
}

type Pick = (lexicon: Lexicon) => readonly string[] | undefined;

/** Reads one list of every lexicon: joined, as one alternation, or as a set of phrases. */
function reader(lexicons: readonly Lexicon[]) {
  const list = (pick: Pick) => gather(lexicons, pick);
  return {
    list,
    any: (pick: Pick) => alternation(list(pick)),
    set: (pick: Pick) => new Set(list(pick).map(normalizePhrase)),
  };
}

const PARAMETER_ROLES = [
  'start',
  'end',
  'date',
  'name',
  'query',
  'amount',
  'quantity',
  'description',
  'product',
  'limit',
] as const;

/** Concepts, stopwords and fillers, the domain's hints and the parameter words. */
function compileWords(lexicons: readonly Lexicon[]) {
  const { list, set } = reader(lexicons);
  const conceptOf = new Map<string, string>();
  const knownConcepts = new Set<string>();
  for (const lexicon of lexicons) {
    for (const [concept, words] of Object.entries(lexicon.concepts ?? {})) {
      knownConcepts.add(concept);
      for (const word of words) conceptOf.set(word, concept);
    }
  }
  const stopwords = set((lexicon) => lexicon.stopwords);
  const hint = (key: 'properName' | 'singleDay' | 'identifier') =>
    optional(
      key,
      lastOf(lexicons, (lexicon) => lexicon.hints?.[key]),
    );
  return {
    conceptOf,
    knownConcepts,
    phrases: gather(lexicons, (lexicon) => lexicon.phrases),
    stopwords,
    fillers: new Set([...stopwords, ...set((lexicon) => lexicon.fillers)]),
    suffixes: list((lexicon) => lexicon.suffixes),
    stem: lastOf(lexicons, (lexicon) => lexicon.stem) ?? ((word: string) => word),
    ...hint('properName'),
    ...hint('singleDay'),
    ...hint('identifier'),
    sources: list((lexicon) => lexicon.hints?.sources),
    changes: list((lexicon) => lexicon.hints?.changes),
    parameters: Object.fromEntries(
      PARAMETER_ROLES.map((role) => [role, set((lexicon) => lexicon.parameters?.[role])]),
    ) as unknown as Record<keyof ParameterWords, Words>,
    titleLead: new Set([...stopwords, ...set((lexicon) => lexicon.phrasing?.titleVerbs)]),
    limitNoise: set((lexicon) => lexicon.limits?.noise),
  };
}

function compileNames(lexicons: readonly Lexicon[]) {
  const { list, set } = reader(lexicons);
  const roles = list((lexicon) => lexicon.names?.roles);
  const lowercaseCues = set((lexicon) => lexicon.names?.lowercaseCues);
  return {
    nameCues: new Set([...set((lexicon) => lexicon.names?.cues), ...lowercaseCues]),
    lowercaseNameCues: lowercaseCues,
    // Roles are matched as written: "Customer" opening a sentence is no cue.
    nameRoles: new Set(roles),
    nameSkips: new Set([...roles, ...list((lexicon) => lexicon.names?.articles)]),
    connectors: set((lexicon) => lexicon.names?.connectors),
  };
}

/** Amounts, quantities, limits and ids: the patterns that read a number by its neighbours. */
function compileNumbers(lexicons: readonly Lexicon[]) {
  const { list, any } = reader(lexicons);
  const currencies = list((lexicon) => lexicon.amounts?.currencies);
  const currency = alternation(currencies);
  const cues = (key: 'atLeast' | 'atMost' | 'from' | 'upTo' | 'each') =>
    list((lexicon) => lexicon.amounts?.[key]);
  const cue = alternation([
    ...cues('atLeast'),
    ...cues('atMost'),
    ...cues('from'),
    ...cues('upTo'),
    ...cues('each'),
  ]);
  const amount = String.raw`(?:(?:${currency})\s*)?(${NUMBER})`;
  // What a quantity counts ends before a price or a name ("10 hours of consulting for Acme").
  const counted = alternation([...cues('each'), ...list((lexicon) => lexicon.names?.cues)]);
  // A number followed by a unit is an amount or a quantity, not a limit or an id.
  const unit = alternation([...currencies, ...list((lexicon) => lexicon.quantities?.units)]);
  const noUnit = (extra = '') => String.raw`(?!\s*(?:${extra}${unit})(?![\p{L}\p{N}]))`;
  const numberWords = any((lexicon) => lexicon.ids?.numberWords);
  const phrases = (key: 'atLeast' | 'atMost' | 'from' | 'upTo' | 'each') =>
    new Set(cues(key).map(normalizePhrase));
  return {
    currency,
    currencyWords: new Set(
      currencies.filter((word) => /^\p{L}+\.?$/u.test(word)).map((word) => word.replace(/\.$/, '')),
    ),
    amountRange: new RegExp(
      String.raw`\b(?:${any((lexicon) => lexicon.amounts?.between)})\s+${amount}\s*(?:${currency})?\s+(?:${any((lexicon) => lexicon.amounts?.and)})\s+${amount}`,
      'u',
    ),
    amount: new RegExp(
      String.raw`(?:(?<![\p{L}\p{N}])(${cue})\s+)?(?:(${currency})\s*)?(${NUMBER})(?:\s*(${currency}))?(?=[^\p{L}\p{N}]|$)`,
      'gu',
    ),
    atLeast: phrases('atLeast'),
    atMost: phrases('atMost'),
    from: phrases('from'),
    upTo: phrases('upTo'),
    each: phrases('each'),
    quantity: new RegExp(
      String.raw`(\d+(?:[.,]\d+)?)\s*(${any((lexicon) => lexicon.quantities?.units)})(?=[\s,.;:]|$)\s*(?:(?:${any((lexicon) => lexicon.quantities?.of)})\s+)?([^,.;:\d]*?)(?=\s+(?:${counted})(?![\p{L}\p{N}])|[,.;:!?\d]|$)`,
      'giu',
    ),
    limitCue: new RegExp(
      String.raw`\b(?:${any((lexicon) => lexicon.limits?.cues)})\s+(\d{1,4})\b(?![-./]\d)${noUnit()}`,
      'u',
    ),
    limitCounted: new RegExp(
      String.raw`(?:^|[^\d.,])(\d{1,3})\s+(?:\p{L}+\s+)?(${any((lexicon) => lexicon.limits?.nouns)})\b`,
      'u',
    ),
    numberId: new RegExp(
      String.raw`\b(?:${any((lexicon) => lexicon.ids?.nouns)}|${numberWords})\.?\s*(?:(?:${numberWords})\.?)?\s*(\d{1,12})\b(?![.,]\d)${noUnit('%|')}`,
      'giu',
    ),
  };
}

/** Times of day, titles, topics, reasons and counts; greetings, thanks, questions, denials. */
function compilePhrasing(
  lexicons: readonly Lexicon[],
  weekdays: Iterable<string>,
  currency: string,
) {
  const { list, any } = reader(lexicons);
  const titleEnds = [
    ...gather(lexicons, (lexicon) => lexicon.phrasing?.titleEnds),
    ...weekdays,
    /\d{4}-\d{2}-\d{2}/,
    /\d{1,2}[:.]\d{2}/,
  ];
  const countSkips = list((lexicon) => lexicon.phrasing?.countSkips)
    .map((word) => String.raw`(?:${patternSource(word)}\s+)?`)
    .join('');
  const wholeMessage = (pick: Pick) =>
    new RegExp(String.raw`^\s*(?:${any(pick)})\b[\s!.,]*$`, 'iu');
  return {
    // "at 10 kr" is a price, not a time.
    time: new RegExp(
      String.raw`\b(?:${any((lexicon) => lexicon.dates?.timeCues)})\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?(?![\d.,]*\s*(?:%|${currency}))`,
      'iu',
    ),
    titleStop: new RegExp(String.raw`\s+(?:${alternation(titleEnds)})(?![\p{L}]).*$`, 'iu'),
    topic: new RegExp(
      String.raw`(?<![\p{L}\p{N}])(?:${any((lexicon) => lexicon.phrasing?.topics)})\s+(.+)$`,
      'iu',
    ),
    reason: new RegExp(
      String.raw`\b(?:${any((lexicon) => lexicon.phrasing?.reasons)})\s+([^.!?]+)`,
      'iu',
    ),
    countQuestion: new RegExp(
      String.raw`\b(?:${any((lexicon) => lexicon.phrasing?.counts)})\b`,
      'iu',
    ),
    countTable: new RegExp(
      String.raw`\b(?:${any((lexicon) => lexicon.phrasing?.countTables)})\s+${countSkips}(\p{L}+)`,
      'iu',
    ),
    greeting: wholeMessage((lexicon) => lexicon.conversation?.greetings),
    thanks: wholeMessage((lexicon) => lexicon.conversation?.thanks),
    question: new RegExp(
      String.raw`\?\s*$|^\s*(?:${any((lexicon) => lexicon.conversation?.questions)})\b`,
      'iu',
    ),
    denial: new RegExp(
      String.raw`\b(?:${any((lexicon) => lexicon.conversation?.denials)})\b`,
      'iu',
    ),
  };
}

/** A lexicon setting (one, several, or none for the default pair) as a list. */
export function lexiconList(
  setting: Lexicon | readonly Lexicon[] | undefined,
  fallback: readonly Lexicon[],
): readonly Lexicon[] {
  if (Array.isArray(setting)) return setting;
  return setting ? [setting as Lexicon] : fallback;
}

/**
 * Composes lexicons into the planner's vocabulary. Throws when no lexicon brings answers in a
 * language, since the model could then say nothing.
 */
export function compileVocabulary(lexicons: readonly Lexicon[]): Vocabulary {
  const [first, ...others] = languagesOf(lexicons);
  if (!first) {
    throw new InvalidArgumentError({
      argument: 'lexicon',
      message:
        'The offline model needs a lexicon with answers in a language, such as englishLexicon.',
    });
  }
  const dates = compileDates(lexicons);
  const { currency, ...numbers } = compileNumbers(lexicons);
  return {
    ...compileWords(lexicons),
    ...compileNames(lexicons),
    ...numbers,
    ...compilePhrasing(lexicons, dates.weekdays.keys(), currency),
    dates,
    results: resultsOf(lexicons),
    languages: [first, ...others],
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
