/**
 * The lexicon: every word the offline planner reads or writes. The planner itself knows no
 * language and no domain; English, Danish and a fleet's own vocabulary are lexicons passed in
 * and composed (`[englishLexicon, danishLexicon, myFleetLexicon]`).
 *
 * Composition: lists are joined in lexicon order, records are merged, and where one value must
 * win (a word listed under two concepts, `stem`, a hint, a `results` list) the later lexicon wins.
 */

/** A phrase folded into one word before a message is split into words. */
export type PhraseFold = readonly [pattern: RegExp, replacement: string];

/** A word list entry: a word or phrase, matched as written (lowercase), or a pattern. */
export type WordPattern = string | RegExp;

/** A lexicon: some or all of the words the planner needs. Every field is optional. */
export interface Lexicon {
  /**
   * The language code of a language lexicon (`'en'`, `'da'`). Its `answers` write that
   * language, and the model's `locale` option names it.
   */
  language?: string;
  /** How answers are worded, in `language`. */
  answers?: AnswerPhrases;
  /**
   * What marks a message as written in a language, by language code. The first language of
   * the composed lexicon is the default; any other needs markers to be chosen.
   */
  markers?: Readonly<Record<string, LanguageMarkers>>;
  /**
   * Concepts and the words that mean them, every inflection listed, lowercase:
   * `{ invoice: ['invoice', 'invoices', 'faktura', 'fakturaer'] }`. Tools and messages meet on
   * concepts. The planner knows seven by name: `list`, `create`, `update` and `delete` (the
   * actions), `date`, `howto` and `document` (documentation, where "how do I …" goes).
   */
  concepts?: Readonly<Record<string, readonly string[]>>;
  /** Phrases folded into one word on the lowercased message: `[/\bi\s+morgen\b/giu, ' tomorrow ']`. */
  phrases?: readonly PhraseFold[];
  /** Words that carry no meaning for choosing a tool (the, and, og, på). */
  stopwords?: readonly string[];
  /** Words that are never part of a name, a search text or a count's subject (next, please, week). */
  fillers?: readonly string[];
  /** Endings tried off an unknown word before it is looked up again (Danish -erne, -en), longest first. */
  suffixes?: readonly string[];
  /** Reduces a word the lexicon does not list to a form it may list (`invoices` → `invoice`). */
  stem?: (word: string) => string;
  /** How the domain's concepts steer the planner. */
  hints?: ConceptHints;
  /** Words in parameter names that tell what a parameter takes. */
  parameters?: ParameterWords;
  /** Words around names ("for Acme ApS", "the customer Hansen & Søn"). */
  names?: NameWords;
  /** Words around amounts of money. */
  amounts?: AmountWords;
  /** Units of counted things ("10 hours of consulting"). */
  quantities?: QuantityWords;
  /** Words that ask for a number of results ("top 5", "the 3 latest invoices"). */
  limits?: LimitWords;
  /** Words before a bare number that make it an id ("invoice 1041"). */
  ids?: IdWords;
  /** Words for days, weeks, months and times of day. */
  dates?: DateWords;
  /** Words that mark a search topic, a title, a reason or a count. */
  phrasing?: PhrasingWords;
  /** Greetings, thanks, questions and rejections. */
  conversation?: ConversationWords;
  /** Field names of the fleet's tool results, for answers. */
  results?: ResultFields;
  /**
   * Answer nouns by language: the English plural the planner derives from a result (a list's
   * key or a tool's name) → `[singular, plural]` in that language.
   * `{ da: { invoices: ['faktura', 'fakturaer'] } }`.
   */
  nouns?: Readonly<Record<string, Readonly<Record<string, readonly [string, string]>>>>;
  /** An example request per language, quoted when the planner says what it can do. */
  examples?: Readonly<Record<string, string>>;
}

/** What marks a message as written in a language. */
export interface LanguageMarkers {
  /** Letters that only this language writes, looked for in lowercase words (æ, ø, å). */
  letters?: RegExp;
  /** Words that only this language uses: one is enough. */
  distinctive?: readonly string[];
  /** Common words of this language: two are needed. */
  common?: readonly string[];
}

/** How the domain's concepts steer the planner. */
export interface ConceptHints {
  /** The concept a capitalized name of two or more words implies ("Nordlys Rengøring" → `customer`). */
  properName?: string;
  /** The concept a lone day implies when nothing names a subject ("what do I have tomorrow?"). */
  singleDay?: string;
  /** The concept a camelCase identifier implies ("createGateway" → `code`). */
  identifier?: string;
  /** Concepts that name where to look, not what to look for (`database`): kept out of search text. */
  sources?: readonly string[];
  /**
   * Words in tool names that change something although no action concept says so (`approve`):
   * a "how do I …" question steers away from those tools.
   */
  changes?: readonly string[];
}

/** Words in parameter names (split on `_`, `-` and camelCase) that tell what a parameter takes. */
export interface ParameterWords {
  /** The start of a date range or a lower bound (from, start, since). */
  start?: readonly string[];
  /** The end of a date range or an upper bound (to, end, until). */
  end?: readonly string[];
  /** A date (date, day, due). */
  date?: readonly string[];
  /** A name of someone or something (name, company, customer). */
  name?: readonly string[];
  /** Free text to search for (query, search, q). */
  query?: readonly string[];
  /** Money (amount, price, total). */
  amount?: readonly string[];
  /** A count of units (quantity, hours). */
  quantity?: readonly string[];
  /** Free text about the thing (description, title, note). */
  description?: readonly string[];
  /** An item from a catalogue (product, sku). */
  product?: readonly string[];
  /** How many results (limit, top). */
  limit?: readonly string[];
}

/** Words around names. */
export interface NameWords {
  /**
   * Words after which a capitalized name follows (for, to, with, til, med); what a quantity
   * counts ends before them ("10 hours of consulting for Acme").
   */
  cues?: readonly string[];
  /** Words after which a name follows even in lowercase ("invoices for acme"); cues too. */
  lowercaseCues?: readonly string[];
  /** Nouns that name a role before a name ("the customer Acme"), cues themselves; written as they appear. */
  roles?: readonly string[];
  /** Words skipped before a name that are no cue (the). */
  articles?: readonly string[];
  /** Words that join the parts of one name ("Hansen & Søn", "Jean de la Fontaine"). */
  connectors?: readonly string[];
}

/** Words around amounts of money. */
export interface AmountWords {
  /** Currency words and symbols (dkk, €); a dotted form before the plain one (`kr.`, `kr`). */
  currencies?: readonly string[];
  /** Words before a lower bound (more than, over, at least). */
  atLeast?: readonly string[];
  /** Words before an upper bound (less than, under, at most). */
  atMost?: readonly string[];
  /** Words that make a lower bound only before an amount with a currency (from). */
  from?: readonly string[];
  /** Words that make an upper bound only before an amount with a currency (til). */
  upTo?: readonly string[];
  /** Words before a unit price (at, per, each, @). */
  each?: readonly string[];
  /** Words that open a range ("between 100 and 200"). */
  between?: readonly string[];
  /** Words that join a range's two ends (and, to). */
  and?: readonly string[];
}

/** Units of counted things. */
export interface QuantityWords {
  /** Units after a count; a plural before its singular, a dotted form before the plain one. */
  units?: readonly string[];
  /** Words between a count and what it counts ("10 hours of consulting"). */
  of?: readonly string[];
}

/** Words that ask for a number of results. */
export interface LimitWords {
  /** Words before the number (top, first, latest). */
  cues?: readonly string[];
  /** Plural nouns after the number that make it one ("5 invoices"). */
  nouns?: readonly string[];
  /** Such words that never belong in a search text (top, latest). */
  noise?: readonly string[];
}

/** Words before a bare number that make it an id. */
export interface IdWords {
  /** Nouns ("invoice 1041", "document 12"). */
  nouns?: readonly string[];
  /** Abbreviations of "number", before the number or between a noun and it ("faktura nr. 1041"). */
  numberWords?: readonly string[];
}

/** Words for days, weeks, months and times of day. */
export interface DateWords {
  /** Weekday names → day of the week, Sunday 0. */
  weekdays?: Readonly<Record<string, number>>;
  /** Month names → month, January 0. */
  months?: Readonly<Record<string, number>>;
  /** Short month names, never read as a name (jan, feb). */
  monthAbbreviations?: readonly string[];
  /** Month names that are a month only after a cue word, being everyday words too (march, may). */
  monthsNeedingCue?: readonly string[];
  /** Month names that are a month only when capitalized (May, not "in may we trust"). */
  capitalizedMonths?: readonly string[];
  /** Words before a month name ("in March", "i maj"). */
  monthCues?: readonly string[];
  /** Days relative to today → offset in days (today 0, tomorrow 1, i går -1). */
  days?: Readonly<Record<string, number>>;
  /** Words before a week, month, quarter or year: this one, the next, the last. */
  periods?: { this?: readonly string[]; next?: readonly string[]; last?: readonly string[] };
  /** Words for the periods. */
  units?: {
    week?: readonly string[];
    month?: readonly string[];
    quarter?: readonly string[];
    year?: readonly string[];
  };
  /** Phrases that name a period on their own: `{ 'i år': ['this', 'year'] }`. */
  periodPhrases?: Readonly<Record<string, readonly [PeriodWhich, PeriodUnit]>>;
  /** Words before a weekday name (on, next, this). */
  weekdayCues?: readonly string[];
  /** Weekday cues that skip today: "next Tuesday" said on a Tuesday is a week away. */
  nextWeekdayCues?: readonly string[];
  /** Words before a time of day (at, kl.). */
  timeCues?: readonly string[];
}

/** Which period a period word means. */
export type PeriodWhich = 'this' | 'next' | 'last';
/** The length of a period. */
export type PeriodUnit = 'week' | 'month' | 'quarter' | 'year';

/** Words that mark a search topic, a title, a reason or a count. */
export interface PhrasingWords {
  /** Words before the topic of a search ("about pricing"). */
  topics?: readonly string[];
  /** Verbs that open a request to make something, left out of its title (book, schedule). */
  titleVerbs?: readonly string[];
  /** Words that end a title (tomorrow, at, next); weekday names and dates end it too. */
  titleEnds?: readonly WordPattern[];
  /** Words before a reason ("because the customer is sick"). */
  reasons?: readonly string[];
  /** Phrases that ask for a count (how many, number of). */
  counts?: readonly string[];
  /** Phrases followed by what to count, read as a table for SQL ("how many customers"). */
  countTables?: readonly string[];
  /** Words that may stand between such a phrase and the table, in this order (of, the). */
  countSkips?: readonly string[];
}

/** Greetings, thanks, questions and rejections. */
export interface ConversationWords {
  /** A message that is only one of these is a greeting (hi, hej). */
  greetings?: readonly string[];
  /** A message that is only one of these is thanks (thanks, mange tak). */
  thanks?: readonly string[];
  /** Words that open a question (what, how, hvad). */
  questions?: readonly string[];
  /** Words in a tool's error that mean the user rejected the call (denied, afvist). */
  denials?: readonly string[];
}

/**
 * Field names of tool results, each list best first. A lexicon that gives a list replaces the
 * planner's generic one (`title`, `name`, `total`, `date` …); these are orders, not sets.
 */
export interface ResultFields {
  /** Fields that name a row. */
  labels?: readonly string[];
  /** Fields that hold money: summed over a list, shown with the currency. */
  money?: readonly string[];
  /** Fields of a single record that hold money besides those (net, vat). */
  recordMoney?: readonly string[];
  /** Fields that date a row. */
  dates?: readonly string[];
  /** Fields that identify a row, shown before its label. */
  ids?: readonly string[];
  /** Fields that say whom a row is for, shown after its label. */
  parties?: readonly string[];
  /** Other text fields shown on a row. */
  details?: readonly string[];
  /** Fields of a single record, in the order shown. */
  record?: readonly string[];
  /** First words of tool names whose result is a record they created (create, add). */
  createVerbs?: readonly string[];
}

/**
 * How answers are worded in one language. Tool names arrive as they are; nouns arrive in
 * this language (from `nouns`, else the English plural the planner derived).
 */
export interface AnswerPhrases {
  /** "Hi!" before an answer to a greeting. */
  greeting: string;
  /** When no tools are offered. */
  noTools: string;
  /** Introduces the list of example tools after a greeting. */
  introduction: string;
  /** Introduces the list of example tools when no tool fits. */
  noMatch: string;
  /** After the listed tools, when more are connected. */
  moreTools: (count: number) => string;
  /** Closes the list; `example` is the composed lexicon's example request, if any. */
  hint: (example: string | undefined) => string;
  /** The reply to thanks. */
  welcome: string;
  /**
   * Asks for required arguments. `tool` is the tool's name in backticks: keep it, the planner
   * finds the tool by it when the user answers. `fields` is one `- name – description` line each.
   */
  askForMissing: (tool: string, fields: string) => string;
  /** The user rejected a call. */
  denied: (tool: string, reason?: string) => string;
  /** A call failed. */
  error: (tool: string, message: string) => string;
  /** A list came back empty. */
  none: (noun: string, tool: string) => string;
  /** A list came back; `noun` is singular when `count` is 1. */
  found: (count: number, noun: string) => string;
  /** After `found`, when the source reports more in total. */
  ofTotal: (total: number) => string;
  /** The sum of the money field. */
  total: (value: string) => string;
  /** The count per status (`parts` is "2 paid, 1 overdue"). */
  byStatus: (parts: string) => string;
  /** Only the first rows are shown. */
  more: (shown: number) => string;
  /** After `found`, when the source cut the list short. */
  truncated: string;
  /** Before a record or text a tool returned. */
  returned: (tool: string) => string;
  /**
   * Before a record a tool created. `noun` is the English singular from the tool's name;
   * `forms` are this language's `[singular, plural]` of it when a lexicon gives them.
   */
  created: (noun: string, forms: readonly [string, string] | undefined) => string;
  /** A tool finished without data. */
  empty: (tool: string) => string;
  /** An answer was due but no tool result was found. */
  noResult: string;
  /** Makes an English-style plural singular when `nouns` has no form for it. */
  singular?: (plural: string) => string;
}
