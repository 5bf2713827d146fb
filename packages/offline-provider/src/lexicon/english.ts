import type { AnswerPhrases, Lexicon } from './lexicon';

/** A light suffix stripper, good enough to meet `invoices` with `invoice` and `listing` with `list`. */
function englishStem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(ches|shes|xes|sses|zes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  return word;
}

function singular(noun: string): string {
  if (noun.endsWith('ies')) return `${noun.slice(0, -3)}y`;
  if (noun.endsWith('s')) return noun.slice(0, -1);
  return noun;
}

const answers: AnswerPhrases = {
  greeting: 'Hi!',
  noTools:
    'No tools are connected, so there is nothing I can look up. I am the offline model: without an OpenAI key I only work through tools.',
  introduction:
    'I am the offline model: I work by matching your words to the connected tools. I can, for example:',
  noMatch: "I couldn't match that to one of the connected tools. I can, for example:",
  moreTools: (count) => `…and ${count} more tools.`,
  hint: (example) =>
    example
      ? `Try naming what you want to see or create, e.g. "${example}".`
      : 'Try naming what you want to see or create.',
  welcome: "You're welcome. Just ask if there is more.",
  askForMissing: (tool, fields) =>
    `To use ${tool} I need:\n${fields}\n\nPlease include them in your message and I will run it.`,
  denied: (tool, reason) =>
    `The tool ${tool} was not run: you rejected it${reason ? ` (${reason})` : ''}.`,
  error: (tool, message) => `The tool ${tool} failed: ${message}`,
  none: (noun, tool) => `No ${noun} found (${tool}).`,
  found: (count, noun) => `Found ${count} ${count === 1 ? singular(noun) : noun}.`,
  ofTotal: (total) => ` The source reports ${total} in total.`,
  total: (value) => `Total: ${value}.`,
  byStatus: (parts) => `By status: ${parts}.`,
  more: (shown) => `Showing the first ${shown}.`,
  truncated: ' More matched than were returned; ask for a higher limit to see them.',
  returned: (tool) => `${tool} returned:`,
  created: (noun) => `Created the ${noun}:`,
  empty: (tool) => `${tool} finished without returning any data.`,
  noResult: 'The tool did not return a result.',
  singular,
};

/**
 * English: the words of requests (list, show, create, how many), dates, numbers and amounts,
 * names, questions and greetings, and the wording of answers. Knows no domain.
 */
export const englishLexicon: Lexicon = {
  language: 'en',
  answers,
  concepts: {
    list: [
      'list',
      'find',
      'search',
      'show',
      'get',
      'look',
      'lookup',
      'fetch',
      'display',
      'see',
      'check',
      'read',
      'view',
      'open',
      'which',
      'what',
      'give',
      'tell',
      'howmany',
      'query',
    ],
    create: ['create', 'new', 'make', 'add', 'issue', 'record', 'register', 'write', 'book'],
    delete: ['delete', 'remove', 'cancel'],
    update: ['update', 'edit', 'change', 'rename', 'set'],
    send: ['send', 'email', 'mail', 'deliver'],
    document: [
      'doc',
      'document',
      'documentation',
      'article',
      'knowledge',
      'policy',
      'manual',
      'handbook',
      'wiki',
      'page',
    ],
    date: [
      'date',
      'today',
      'tomorrow',
      'yesterday',
      'dayaftertomorrow',
      'week',
      'month',
      'quarter',
      'day',
      'monday',
      'tuesday',
      'wednesday',
      'thursday',
      'friday',
      'saturday',
      'sunday',
      'when',
      'january',
      'february',
      'march',
      'april',
      'june',
      'july',
      'august',
      'september',
      'october',
      'november',
      'december',
    ],
    amount: ['amount', 'total', 'sum', 'revenue', 'value', 'money', 'howmuch'],
    hour: ['hour'],
    howto: ['howto', 'guide', 'tutorial'],
  },
  phrases: [
    [/\bhow\s+much\b/giu, ' howmuch '],
    [/\bhow\s+(?:do|can|should|would)\s+(?:i|we|you|one)\b/giu, ' howto '],
    [/\bhow\s+(?:does|do|is|are)\b/giu, ' howto '],
    [/\bhow\s+to\b/giu, ' howto '],
    [/\bhow\s+many\b/giu, ' howmany '],
    [/\bday\s+after\s+tomorrow\b/giu, ' dayaftertomorrow '],
  ],
  stopwords: (
    'a an the and or of in on at by for to from with without about into over under is are was ' +
    'were be been being am do does did done have has had having i me my mine we us our ours you ' +
    'your yours he she it its they them their this that these those there here please pls can ' +
    'could would will shall should may might must just also all any some each every no not only ' +
    'own same so than too very s t now then up down out off again further once how why where ' +
    'whom whose let lets want need like hi hello hey thanks thank okay ok yes onto'
  ).split(' '),
  fillers: [
    'next',
    'last',
    'previous',
    'coming',
    'this',
    'please',
    'asap',
    'today',
    'tomorrow',
    'yesterday',
    'week',
    'month',
    'year',
    'hours',
    'hour',
  ],
  stem: englishStem,
  parameters: {
    start: ['from', 'start', 'since', 'after', 'begin', 'starts'],
    end: ['to', 'end', 'until', 'before', 'till', 'ends', 'through'],
    date: ['date', 'day', 'when', 'due', 'on', 'at'],
    name: [
      'contact',
      'company',
      'name',
      'recipient',
      'attendee',
      'attendees',
      'person',
      'organization',
      'organisation',
      'account',
      'who',
    ],
    query: [
      'query',
      'q',
      'search',
      'term',
      'terms',
      'keywords',
      'keyword',
      'question',
      'prompt',
      'topic',
      'phrase',
      'text',
      'pattern',
    ],
    amount: ['amount', 'total', 'price', 'value', 'sum', 'cost', 'rate', 'balance', 'unit'],
    quantity: ['quantity', 'qty', 'hours', 'units', 'hour', 'count'],
    description: [
      'description',
      'note',
      'notes',
      'memo',
      'subject',
      'summary',
      'title',
      'comment',
      'details',
      'message',
      'body',
    ],
    limit: ['limit', 'top', 'size', 'pagesize', 'n', 'max', 'maxresults', 'k'],
  },
  names: {
    cues: ['for', 'to', 'with', 'from'],
    lowercaseCues: ['for', 'from'],
    roles: ['company', 'contact'],
    articles: ['the'],
    connectors: ['&', 'and', 'of', 'de', 'van', 'von', 'der', 'la', 'le'],
  },
  amounts: {
    currencies: ['eur', 'euro', '€', 'usd', '$', '£', 'gbp'],
    atLeast: [
      'more than',
      'greater than',
      'larger than',
      'above',
      'over',
      'at least',
      'minimum',
      'min.',
      'min',
    ],
    atMost: ['less than', 'below', 'under', 'at most', 'up to', 'maximum', 'max.', 'max'],
    from: ['from'],
    each: ['at', 'a', '@', 'per', 'each'],
    between: ['between'],
    and: ['and', 'to'],
  },
  quantities: {
    units: [
      'hours',
      'hour',
      'hrs',
      'hr',
      'h',
      'pcs',
      'pieces',
      'piece',
      'units',
      'unit',
      'x',
      '×',
      'items',
      'item',
      'days',
      'day',
    ],
    of: ['of'],
  },
  limits: {
    cues: ['top', 'first', 'latest', 'last', 'newest', 'recent', 'most recent', 'limit'],
    nouns: ['docs', 'documents', 'results', 'rows', 'items', 'entries'],
    noise: ['top', 'first', 'latest', 'newest', 'recent'],
  },
  ids: { nouns: ['document', 'doc', 'number', 'id'], numberWords: ['no'] },
  dates: {
    weekdays: {
      sunday: 0,
      monday: 1,
      tuesday: 2,
      wednesday: 3,
      thursday: 4,
      friday: 5,
      saturday: 6,
    },
    months: {
      january: 0,
      february: 1,
      march: 2,
      april: 3,
      may: 4,
      june: 5,
      july: 6,
      august: 7,
      september: 8,
      october: 9,
      november: 10,
      december: 11,
    },
    monthAbbreviations: ['jan', 'feb', 'apr', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec'],
    monthsNeedingCue: ['march', 'may'],
    capitalizedMonths: ['may'],
    monthCues: ['in', 'for', 'during'],
    days: { 'day after tomorrow': 2, today: 0, tonight: 0, tomorrow: 1, yesterday: -1 },
    periods: { this: ['this'], next: ['next', 'coming'], last: ['last', 'previous'] },
    units: { week: ['week'], month: ['month'], quarter: ['quarter'], year: ['year'] },
    weekdayCues: ['next', 'this', 'on', 'coming'],
    nextWeekdayCues: ['next'],
    timeCues: ['at', '@'],
  },
  phrasing: {
    topics: ['about', 'regarding', 'on', 'concerning', 'for'],
    titleVerbs: ['book', 'schedule', 'create', 'add', 'make', 'new', 'plan'],
    // "for 2 hours" is a duration, not part of the title ("Meeting for Acme" keeps its "for").
    titleEnds: ['tomorrow', 'today', 'tonight', 'on', 'at', 'next', 'this', 'from', /for\s+\d/],
    reasons: ['because', 'since', 'due to'],
    counts: ['how many', 'number of'],
    countTables: ['how many', 'count'],
    countSkips: ['of', 'the'],
  },
  conversation: {
    greetings: ['hi', 'hello', 'hey', 'yo'],
    thanks: ['thanks', 'thank you', 'thx', 'cheers'],
    questions: ['what', 'how', 'why', 'where', 'when', 'which', 'who', 'can', 'does', 'is', 'are'],
    denials: ['denied', 'rejected', 'declined', 'not approved'],
  },
};
