/**
 * Word handling for the offline model: tokenizing, a little stemming, and a small
 * English + Danish synonym table that maps words onto shared concepts.
 */

/** Danish phrases that must be read as one word before tokenizing. */
const PHRASES: Array<[RegExp, string]> = [
  [/\bi\s+overmorgen\b/giu, ' dayaftertomorrow '],
  [/\bi\s+morgen\b/giu, ' tomorrow '],
  [/\bi\s+dag\b/giu, ' today '],
  [/\bi\s+går\b/giu, ' yesterday '],
  [/\bhvor\s+mange\b/giu, ' howmany '],
  [/\bhow\s+much\b/giu, ' howmuch '],
  [/\bhvor\s+meget\b/giu, ' howmuch '],
  [/\bhow\s+(?:do|can|should|would)\s+(?:i|we|you|one)\b/giu, ' howto '],
  [/\bhow\s+(?:does|do|is|are)\b/giu, ' howto '],
  [/\bhow\s+to\b/giu, ' howto '],
  [/\bhvordan\b/giu, ' howto '],
  [/\bhow\s+many\b/giu, ' howmany '],
  [/\bday\s+after\s+tomorrow\b/giu, ' dayaftertomorrow '],
];

/** Concept → words (any inflection listed, lowercase). The first word names the concept. */
const SYNONYMS: Record<string, string[]> = {
  invoice: [
    'invoice',
    'invoic',
    'bill',
    'billing',
    'faktura',
    'fakturaer',
    'fakturaen',
    'fakturaerne',
    'fakturer',
    'regning',
    'regninger',
  ],
  customer: [
    'customer',
    'client',
    'kunde',
    'kunder',
    'kunden',
    'kunderne',
    'contact',
    'kontakt',
    'kontakter',
    'debitor',
    'who',
    'hvem',
  ],
  calendar: [
    'calendar',
    'kalender',
    'kalenderen',
    'schedule',
    'agenda',
    'event',
    'meeting',
    'møde',
    'møder',
    'mødet',
    'aftale',
    'aftaler',
    'appointment',
    'begivenhed',
    'begivenheder',
    'booking',
    'lave',
    'program',
  ],
  free: ['free', 'ledig', 'ledige', 'available', 'vacant', 'slot', 'tider'],
  inspection: ['inspection', 'inspektion', 'besigtigelse', 'survey'],
  cleaning: ['cleaning', 'rengøring', 'rengøringen'],
  payment: ['payment', 'betaling', 'betalinger', 'betalingen', 'indbetaling'],
  list: [
    'list',
    'find',
    'search',
    'søg',
    'søge',
    'vis',
    'show',
    'get',
    'look',
    'lookup',
    'hent',
    'fetch',
    'display',
    'see',
    'check',
    'tjek',
    'read',
    'læs',
    'view',
    'open',
    'åbn',
    'which',
    'hvilke',
    'what',
    'hvad',
    'give',
    'tell',
    'fortæl',
    'howmany',
    'query',
  ],
  create: [
    'create',
    'opret',
    'new',
    'ny',
    'nyt',
    'make',
    'lav',
    'add',
    'tilføj',
    'issue',
    'record',
    'registrer',
    'register',
    'write',
    'skriv',
    'book',
  ],
  delete: ['delete', 'remove', 'slet', 'fjern', 'cancel', 'annuller'],
  update: ['update', 'edit', 'change', 'opdater', 'ændr', 'rename', 'set'],
  send: ['send', 'email', 'mail', 'deliver'],
  document: [
    'doc',
    'document',
    'documentation',
    'dokument',
    'dokumenter',
    'dokumentation',
    'article',
    'artikel',
    'knowledge',
    'viden',
    'vidensbase',
    'policy',
    'politik',
    'manual',
    'handbook',
    'håndbog',
    'wiki',
    'page',
  ],
  database: [
    'database',
    'databasen',
    'db',
    'sql',
    'table',
    'tabel',
    'tabeller',
    'row',
    'rækker',
    'record',
    'forespørgsel',
    'select',
  ],
  date: [
    'date',
    'dato',
    'today',
    'tomorrow',
    'yesterday',
    'dayaftertomorrow',
    'week',
    'uge',
    'ugen',
    'month',
    'måned',
    'quarter',
    'kvartal',
    'kvartalet',
    'måneden',
    'day',
    'dag',
    'dage',
    'monday',
    'tuesday',
    'wednesday',
    'thursday',
    'friday',
    'saturday',
    'sunday',
    'mandag',
    'tirsdag',
    'onsdag',
    'torsdag',
    'fredag',
    'lørdag',
    'søndag',
    'when',
    'hvornår',
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
    'januar',
    'februar',
    'marts',
    'maj',
    'juni',
    'juli',
    'oktober',
  ],
  paid: ['paid', 'betalt', 'betalte', 'settled'],
  overdue: [
    'overdue',
    'forfalden',
    'forfaldne',
    'late',
    'unpaid',
    'ubetalt',
    'ubetalte',
    'owe',
    'owes',
    'owing',
    'skylder',
    'outstanding',
    'udestående',
  ],
  sent: ['sent', 'sendt', 'sendte'],
  approved: ['approved', 'godkendt', 'godkendte'],
  draft: ['draft', 'kladde', 'kladder', 'udkast'],
  amount: [
    'amount',
    'beløb',
    'total',
    'sum',
    'revenue',
    'omsætning',
    'value',
    'money',
    'penge',
    'howmuch',
  ],
  hour: ['hour', 'timer', 'time'],
  product: [
    'product',
    'produkt',
    'produkter',
    'vare',
    'varer',
    'item',
    'line',
    'linje',
    'service',
    'ydelse',
    'ydelser',
    'price',
    'pris',
    'priser',
    'cost',
    'koster',
    'catalogue',
    'catalog',
  ],
  code: ['code', 'kode', 'function', 'funktion', 'repo', 'repository', 'file', 'fil'],
  symbol: ['symbol', 'defined', 'define', 'definition', 'declared', 'declaration', 'implemented'],
  sync: ['sync', 'synced', 'synchronise', 'synchronize', 'synkroniser', 'resync'],
  note: ['note', 'noter', 'vault', 'secret', 'memo'],
  employee: ['employee', 'medarbejder', 'medarbejdere', 'staff', 'user', 'bruger', 'brugere'],
  health: ['health', 'uptime', 'helbred'],
  howto: ['howto', 'guide', 'tutorial', 'vejledning'],
  vat: ['vat', 'moms', 'momsen', 'momsopgørelse', 'momsopgørelsen', 'momsafregning', 'tax', 'skat'],
};

/** Words that carry no meaning for tool choice (English + Danish). */
export const STOPWORDS = new Set(
  (
    'a an the and or of in on at by for to from with without about into over under is are was ' +
    'were be been being am do does did done have has had having i me my mine we us our ours you ' +
    'your yours he she it its they them their this that these those there here please pls can ' +
    'could would will shall should may might must just also all any some each every no not only ' +
    'own same so than too very s t now then up down out off again further once how why where ' +
    'whom whose me let lets want need like som jeg mig min mit mine du dig din dit dine vi os vores ' +
    'de dem deres han hun den det der her og eller af på med fra til om ud ind over under er var ' +
    'være har havde kan kunne vil ville skal skulle må gerne lige også alle alt nogle hver ikke kun ' +
    'så end meget en et ved hos efter før mellem hvor hvorfor hvordan mon lidt tak venligst ' +
    'hi hello hey hej goddag thanks thank okay ok yes no ja nej into onto'
  ).split(/\s+/),
);

const CONCEPT_OF = new Map<string, string>();
for (const [concept, words] of Object.entries(SYNONYMS)) {
  for (const word of words) CONCEPT_OF.set(word, concept);
}

/** Lowercases, folds Danish phrases into single tokens and splits into letter/digit words. */
export function tokenize(text: string): string[] {
  // "Invoice Acme for …" / "Fakturer Acme …": the noun used as a verb asks to create one.
  let folded = text
    .replace(/^\s*(?:invoice|bill|fakturer|fakturér)\s+(?=\p{Lu})/iu, ' create invoice ')
    .toLowerCase();
  for (const [pattern, replacement] of PHRASES) folded = folded.replace(pattern, replacement);
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Splits an identifier such as `billy__listInvoices` or `search-docs` into lowercase words. */
export function splitIdentifier(name: string): string[] {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** A light suffix stripper, good enough to meet `invoices` with `invoice` and `listing` with `list`. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(ches|shes|xes|sses|zes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  return word;
}

/** Maps a word onto its concept (synonym table first, then its stem). */
export function concept(word: string): string {
  const lower = word.toLowerCase();
  return (
    CONCEPT_OF.get(lower) ?? CONCEPT_OF.get(stem(lower)) ?? danishConcept(lower) ?? stem(lower)
  );
}

/** Danish definite and plural endings (-en, -et, -er, -erne, -ene) looked up without them. */
function danishConcept(word: string): string | undefined {
  for (const suffix of ['erne', 'ene', 'en', 'et', 'er', 'e']) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) {
      const found = CONCEPT_OF.get(word.slice(0, -suffix.length));
      if (found) return found;
    }
  }
  return undefined;
}

/** Whether the synonym table knows the word (so it is a topic word, never a name). */
export function isKnownWord(word: string): boolean {
  const lower = word.toLowerCase();
  return CONCEPT_OF.has(lower) || CONCEPT_OF.has(stem(lower)) || danishConcept(lower) !== undefined;
}

/** The concepts of the meaningful words of a text. */
export function concepts(text: string): string[] {
  return tokenize(text)
    .filter((word) => !STOPWORDS.has(word))
    .map(concept);
}

/** The concepts of the synonym table (subjects and actions the model knows). */
export const KNOWN_CONCEPTS = new Set(Object.keys(SYNONYMS));

/** Whether the concept is a verb-like action word that tool names use (list, create, …). */
export function isActionConcept(value: string): boolean {
  return value === 'list' || value === 'create' || value === 'delete' || value === 'update';
}

const DANISH_HINTS = new Set(
  (
    'jeg mig min mine vores hvad hvor hvilke hvornår hvem vis søg opret fakturaer faktura kunde ' +
    'kunder kunden til med og af på er har kan gerne tak venligst næste sidste denne dette betalt ' +
    'forfaldne møder kalender dokumenter lav find mandag tirsdag onsdag torsdag fredag lørdag søndag'
  ).split(/\s+/),
);

/** Guesses whether a text is Danish: its letters or a couple of common Danish words. */
export function looksDanish(text: string): boolean {
  // Danish letters in a capitalized word are usually a name ("Klinik Østerbro"), not the language.
  const lowercaseWords = text.match(/(?<![\p{L}])\p{Ll}[\p{L}]*/gu) ?? [];
  if (lowercaseWords.some((word) => /[æøå]/.test(word))) return true;
  const words = text.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  if (words.some((word) => DANISH_ONLY.has(word))) return true;
  const hits = words.filter((word) => DANISH_HINTS.has(word) && !ENGLISH_OVERLAP.has(word));
  return hits.length >= 2;
}

const DANISH_ONLY = new Set(
  (
    'hej goddag godmorgen hvad hvordan hvilke hvilken hvilket hvornår hvem tak venligst jeg mig ' +
    'vores søg opret fakturaer kunder kunde vis skal ikke også nogen noget databasen tabellerne'
  ).split(/\s+/),
);

const ENGLISH_OVERLAP = new Set(['find', 'min', 'har', 'er']);
