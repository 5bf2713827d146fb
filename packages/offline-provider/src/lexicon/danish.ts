import type { AnswerPhrases, Lexicon } from './lexicon';

const answers: AnswerPhrases = {
  greeting: 'Hej!',
  noTools:
    'Der er ingen værktøjer forbundet, så jeg kan ikke slå noget op. Jeg er den offline model: uden en OpenAI-nøgle arbejder jeg kun gennem værktøjer.',
  introduction:
    'Jeg er den offline model og arbejder ved at matche dine ord med de forbundne værktøjer. Jeg kan for eksempel:',
  noMatch: 'Jeg kunne ikke matche det med et af de forbundne værktøjer. Jeg kan for eksempel:',
  moreTools: (count) => `…og ${count} værktøjer mere.`,
  hint: (example) =>
    example
      ? `Prøv at nævne hvad du vil se eller oprette, fx "${example}".`
      : 'Prøv at nævne hvad du vil se eller oprette.',
  welcome: 'Selv tak. Sig til, hvis der er mere.',
  askForMissing: (tool, fields) =>
    `For at bruge ${tool} mangler jeg:\n${fields}\n\nSkriv dem i din besked, så kører jeg det.`,
  denied: (tool, reason) =>
    `Værktøjet ${tool} blev ikke kørt: du afviste det${reason ? ` (${reason})` : ''}.`,
  error: (tool, message) => `Værktøjet ${tool} fejlede: ${message}`,
  none: (noun, tool) => `Ingen ${noun} fundet (${tool}).`,
  found: (count, noun) => `Fandt ${count} ${noun}.`,
  ofTotal: (total) => ` Kilden angiver ${total} i alt.`,
  total: (value) => `I alt: ${value}.`,
  byStatus: (parts) => `Fordelt på status: ${parts}.`,
  more: (shown) => `Viser de første ${shown}.`,
  truncated: ' Flere passede, end der blev returneret; bed om en højere grænse for at se dem.',
  returned: (tool) => `${tool} returnerede:`,
  // Without a Danish form the English plural from the tool's name stands in.
  created: (noun, forms) => `Oprettede ${forms?.[0] ?? `${noun}s`}:`,
  empty: (tool) => `${tool} blev kørt uden at returnere data.`,
  noResult: 'Værktøjet returnerede ikke noget resultat.',
};

/**
 * Danish: the words of requests (vis, søg, opret, hvor mange), dates (i morgen, næste uge),
 * amounts (kr., mindst, højst), names and questions, how a Danish message is recognised, and
 * the wording of answers. Knows no domain. Compose it after {@link englishLexicon}, which
 * stays the default language.
 */
export const danishLexicon: Lexicon = {
  language: 'da',
  answers,
  markers: {
    da: {
      letters: /[æøå]/,
      distinctive: (
        'hej goddag godmorgen hvad hvordan hvilke hvilken hvilket hvornår hvem tak venligst jeg ' +
        'mig vores søg opret vis skal ikke også nogen noget'
      ).split(' '),
      common: (
        'jeg mig mine vores hvad hvor hvilke hvornår hvem vis søg opret til med og af på kan ' +
        'gerne tak venligst næste sidste denne dette møder kalender dokumenter lav mandag ' +
        'tirsdag onsdag torsdag fredag lørdag søndag'
      ).split(' '),
    },
  },
  concepts: {
    list: ['søg', 'søge', 'vis', 'hent', 'tjek', 'læs', 'åbn', 'hvilke', 'hvad', 'fortæl'],
    create: ['opret', 'ny', 'nyt', 'lav', 'tilføj', 'registrer', 'skriv'],
    delete: ['slet', 'fjern', 'annuller'],
    update: ['opdater', 'ændr'],
    document: [
      'dokument',
      'dokumenter',
      'dokumentation',
      'artikel',
      'viden',
      'vidensbase',
      'politik',
      'håndbog',
    ],
    date: [
      'dato',
      'uge',
      'ugen',
      'måned',
      'kvartal',
      'kvartalet',
      'måneden',
      'dag',
      'dage',
      'mandag',
      'tirsdag',
      'onsdag',
      'torsdag',
      'fredag',
      'lørdag',
      'søndag',
      'hvornår',
      'januar',
      'februar',
      'marts',
      'maj',
      'juni',
      'juli',
      'oktober',
    ],
    amount: ['beløb', 'omsætning', 'penge'],
    hour: ['timer', 'time'],
    howto: ['vejledning'],
  },
  // Multi-word phrases read as the English word the concepts know.
  phrases: [
    [/\bi\s+overmorgen\b/giu, ' dayaftertomorrow '],
    [/\bi\s+morgen\b/giu, ' tomorrow '],
    [/\bi\s+dag\b/giu, ' today '],
    [/\bi\s+går\b/giu, ' yesterday '],
    [/\bhvor\s+mange\b/giu, ' howmany '],
    [/\bhvor\s+meget\b/giu, ' howmuch '],
    [/\bhvordan\b/giu, ' howto '],
  ],
  stopwords: (
    'som jeg mig min mit mine du dig din dit dine vi os vores de dem deres han hun den det der ' +
    'her og eller af på med fra til om ud ind over under er var være har havde kan kunne vil ' +
    'ville skal skulle må gerne lige også alle alt nogle hver ikke kun så end meget en et ved ' +
    'hos efter før mellem hvor hvorfor hvordan mon lidt tak venligst hej goddag ja nej'
  ).split(' '),
  fillers: [
    'næste',
    'sidste',
    'forrige',
    'denne',
    'dette',
    'kommende',
    'uge',
    'måned',
    'år',
    'timer',
    'kr',
    'dkk',
  ],
  // Definite and plural endings: "kunderne", "fakturaen" are looked up as "kunde", "faktura".
  suffixes: ['erne', 'ene', 'en', 'et', 'er', 'e'],
  parameters: {
    start: ['fra'],
    end: ['til'],
    date: ['dato'],
    amount: ['beløb'],
    quantity: ['antal'],
  },
  names: {
    cues: ['til', 'med', 'fra'],
    lowercaseCues: ['til', 'hos', 'fra'],
    roles: ['firma', 'firmaet', 'virksomheden', 'kontakt'],
    connectors: ['og'],
  },
  amounts: {
    currencies: ['kr.', 'kr', 'dkk', 'kroner', 'sek', 'nok'],
    atLeast: ['mindst', 'større end', 'mere end'],
    atMost: ['højst', 'mindre end', 'op til'],
    from: ['fra'],
    upTo: ['til'],
    each: ['à', 'á'],
    between: ['mellem'],
    and: ['og', 'til'],
  },
  quantities: { units: ['timer', 'time', 'stk.', 'stk', 'dage'], of: ['af'] },
  limits: {
    cues: ['seneste', 'første', 'sidste', 'de'],
    nouns: ['dokumenter', 'resultater', 'rækker'],
    noise: ['seneste', 'første'],
  },
  ids: { nouns: ['dokument', 'nummer'], numberWords: ['nr'] },
  dates: {
    weekdays: {
      søndag: 0,
      mandag: 1,
      tirsdag: 2,
      onsdag: 3,
      torsdag: 4,
      fredag: 5,
      lørdag: 6,
    },
    months: {
      januar: 0,
      februar: 1,
      marts: 2,
      april: 3,
      maj: 4,
      juni: 5,
      juli: 6,
      august: 7,
      september: 8,
      oktober: 9,
      november: 10,
      december: 11,
    },
    monthAbbreviations: ['okt'],
    monthsNeedingCue: ['maj'],
    monthCues: ['i'],
    days: {
      'i overmorgen': 2,
      'i dag': 0,
      idag: 0,
      'i aften': 0,
      'i morgen': 1,
      imorgen: 1,
      'i går': -1,
      igår: -1,
    },
    periods: { this: ['denne', 'dette'], next: ['næste', 'kommende'], last: ['sidste', 'forrige'] },
    units: { week: ['uge'], month: ['måned'], quarter: ['kvartal'], year: ['år'] },
    periodPhrases: { 'i år': ['this', 'year'] },
    weekdayCues: ['næste', 'på', 'kommende', 'om'],
    nextWeekdayCues: ['næste'],
    timeCues: ['kl.', 'kl', 'klokken'],
  },
  phrasing: {
    topics: ['om', 'vedrørende', 'angående', 'efter'],
    titleVerbs: ['opret', 'lav', 'tilføj', 'planlæg', 'ny', 'nyt'],
    titleEnds: [
      'i morgen',
      'i dag',
      'i overmorgen',
      'kl.',
      'kl',
      'klokken',
      'fra',
      'på',
      'den',
      'om',
    ],
    reasons: ['fordi', 'pga.', 'pga'],
    counts: ['hvor mange', 'antal', 'antallet'],
    countTables: ['hvor mange', 'antal'],
  },
  conversation: {
    greetings: ['hej', 'goddag', 'godmorgen', 'hallo'],
    thanks: ['tak', 'mange tak', 'tusind tak'],
    questions: ['hvad', 'hvordan', 'hvorfor', 'hvor', 'hvornår', 'hvilke', 'hvem', 'kan', 'er'],
    denials: ['afvist', 'afviste', 'afvise'],
  },
  nouns: {
    da: {
      documents: ['dokument', 'dokumenter'],
      rows: ['række', 'rækker'],
      results: ['resultat', 'resultater'],
      tables: ['tabel', 'tabeller'],
      matches: ['fund', 'fund'],
    },
  },
};
