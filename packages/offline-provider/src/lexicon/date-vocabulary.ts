import { gather, record } from './gather';
import type { Lexicon, PeriodUnit, PeriodWhich } from './lexicon';
import { alternation, longestFirst, normalizePhrase, spacedAlternation } from './patterns';

type Words = ReadonlySet<string>;

/** Date words compiled into the patterns `findDates` runs, in the order it runs them. */
export interface DateVocabulary {
  weekdays: ReadonlyMap<string, number>;
  months: ReadonlyMap<string, number>;
  /** Every word that names a day, weekday or month. */
  words: Words;
  days: RegExp;
  dayOffsets: ReadonlyMap<string, number>;
  period: RegExp;
  next: Words;
  last: Words;
  periodUnits: ReadonlyMap<string, PeriodUnit>;
  periodPhrase: RegExp;
  periodPhrases: ReadonlyMap<string, readonly [PeriodWhich, PeriodUnit]>;
  weekday: RegExp;
  nextWeekdayCues: Words;
  monthAfterCue: RegExp;
  capitalizedMonths: Words;
  monthAlone: RegExp;
}

/** Compiles the lexicons' date words. */
export function compileDates(lexicons: readonly Lexicon[]): DateVocabulary {
  const weekdays = record(lexicons, (lexicon) => lexicon.dates?.weekdays);
  const months = record(lexicons, (lexicon) => lexicon.dates?.months);
  const dayOffsets = new Map(
    [...record(lexicons, (lexicon) => lexicon.dates?.days)].map(([phrase, offset]) => [
      normalizePhrase(phrase),
      offset,
    ]),
  );
  const periods = (which: PeriodWhich) =>
    gather(lexicons, (lexicon) => lexicon.dates?.periods?.[which]);
  const periodUnits = new Map<string, PeriodUnit>();
  for (const unit of ['week', 'month', 'quarter', 'year'] as const) {
    for (const word of gather(lexicons, (lexicon) => lexicon.dates?.units?.[unit])) {
      periodUnits.set(normalizePhrase(word), unit);
    }
  }
  const periodPhrases = new Map(
    [...record(lexicons, (lexicon) => lexicon.dates?.periodPhrases)].map(([phrase, value]) => [
      normalizePhrase(phrase),
      value,
    ]),
  );
  const weekdayCues = gather(lexicons, (lexicon) => lexicon.dates?.weekdayCues);
  const monthCues = gather(lexicons, (lexicon) => lexicon.dates?.monthCues);
  const needingCue = new Set(gather(lexicons, (lexicon) => lexicon.dates?.monthsNeedingCue));
  const monthNames = [...months.keys()];
  return {
    weekdays,
    months,
    words: new Set([
      ...weekdays.keys(),
      ...monthNames,
      ...gather(lexicons, (lexicon) => lexicon.dates?.monthAbbreviations),
    ]),
    days: new RegExp(String.raw`\b(?:${longestFirst([...dayOffsets.keys()])})\b`, 'gu'),
    dayOffsets,
    period: new RegExp(
      String.raw`\b(${alternation([...periods('this'), ...periods('next'), ...periods('last')])})\s+(${alternation([...periodUnits.keys()])})\b`,
      'gu',
    ),
    next: new Set(periods('next').map(normalizePhrase)),
    last: new Set(periods('last').map(normalizePhrase)),
    periodUnits,
    periodPhrase: new RegExp(
      String.raw`\b(?:${spacedAlternation([...periodPhrases.keys()])})\b`,
      'gu',
    ),
    periodPhrases,
    weekday: new RegExp(
      String.raw`\b(${alternation(weekdayCues)})?\s*(${alternation([...weekdays.keys()])})\b`,
      'gu',
    ),
    nextWeekdayCues: new Set(gather(lexicons, (lexicon) => lexicon.dates?.nextWeekdayCues)),
    monthAfterCue: new RegExp(
      String.raw`\b(?:${alternation(monthCues)})\s+(${alternation(monthNames)})\b(?:\s+(\d{4}))?`,
      'gu',
    ),
    capitalizedMonths: new Set(gather(lexicons, (lexicon) => lexicon.dates?.capitalizedMonths)),
    monthAlone: new RegExp(
      String.raw`\b(${alternation(monthNames.filter((name) => !needingCue.has(name)))})(?:\s+(\d{4}))?\b`,
      'gu',
    ),
  };
}
