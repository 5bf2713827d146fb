/**
 * Date words → calendar days. Days are computed on the UTC calendar of the injected clock,
 * so the same input gives the same answer on every runtime.
 */
import type { PeriodUnit } from '../lexicon/lexicon';
import { normalizePhrase } from '../lexicon/patterns';
import type { DateVocabulary } from '../lexicon/vocabulary';

/** A day or a span of days, as ISO `YYYY-MM-DD` strings. */
export interface DateSpan {
  start: string;
  end: string;
  /** Whether the text named a single day (tomorrow, Monday, 2026-12-01). */
  single: boolean;
}

const DAY_MS = 86_400_000;

/** Formats a UTC day as `YYYY-MM-DD`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

function day(date: Date): DateSpan {
  const value = isoDay(date);
  return { start: value, end: value, single: true };
}

function span(start: Date, end: Date): DateSpan {
  return { start: isoDay(start), end: isoDay(end), single: false };
}

function validDay(year: number, month: number, dayOfMonth: number): Date | undefined {
  const date = new Date(Date.UTC(year, month, dayOfMonth));
  if (date.getUTCMonth() !== month || date.getUTCDate() !== dayOfMonth) return undefined;
  return date;
}

interface Found {
  index: number;
  value: DateSpan;
}

type Reader = [RegExp, (match: RegExpMatchArray) => DateSpan | undefined];

/**
 * Finds the dates a text mentions, in order of appearance: ISO and day-first dates, days
 * relative to today (today, tomorrow, i morgen), weekday names (the next such day, today
 * included), this/next/last week, month, quarter and year, and month names.
 */
export function findDates(text: string, now: Date, words: DateVocabulary): DateSpan[] {
  const today = startOfDay(now);
  const lower = text.toLowerCase();
  const found: Found[] = [];
  const taken: Array<[number, number]> = [];
  const add = (index: number, length: number, value: DateSpan | undefined) => {
    if (!value) return;
    if (taken.some(([start, end]) => index < end && index + length > start)) return;
    taken.push([index, index + length]);
    found.push({ index, value });
  };

  for (const match of lower.matchAll(/\b(\d{4})-(\d{1,2})-(\d{1,2})(?:t[\d:.]+z?)?\b/g)) {
    const date = validDay(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    add(match.index, match[0].length, date && day(date));
  }
  for (const match of lower.matchAll(/\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/g)) {
    const date = validDay(Number(match[3]), Number(match[2]) - 1, Number(match[1]));
    add(match.index, match[0].length, date && day(date));
  }
  // Earlier readers win where matches overlap.
  const readers: Reader[] = [
    [
      words.days,
      (match) => {
        const offset = words.dayOffsets.get(normalizePhrase(match[0]));
        return offset === undefined ? undefined : day(addDays(today, offset));
      },
    ],
    [
      words.period,
      (match) => {
        const which = normalizePhrase(match[1] ?? '');
        const offset = words.next.has(which) ? 1 : words.last.has(which) ? -1 : 0;
        const unit = words.periodUnits.get(normalizePhrase(match[2] ?? ''));
        return unit && relativePeriod(today, offset, unit);
      },
    ],
    [
      words.periodPhrase,
      (match) => {
        const [which, unit] = words.periodPhrases.get(normalizePhrase(match[0])) ?? [];
        if (!which || !unit) return undefined;
        return relativePeriod(today, which === 'next' ? 1 : which === 'last' ? -1 : 0, unit);
      },
    ],
    [
      words.weekday,
      (match) => {
        const target = words.weekdays.get(match[2] ?? '');
        if (target === undefined) return undefined;
        let delta = (target - today.getUTCDay() + 7) % 7;
        if (delta === 0 && words.nextWeekdayCues.has(match[1] ?? '')) delta = 7;
        return day(addDays(today, delta));
      },
    ],
    [
      words.monthAfterCue,
      (match) => {
        const name = match[1] ?? '';
        // "may" is a month only when written "May": "in may we trust" names no date.
        const at = (match.index ?? 0) + match[0].toLowerCase().indexOf(name);
        const written = text[at] ?? '';
        if (words.capitalizedMonths.has(name) && written === written.toLowerCase()) {
          return undefined;
        }
        return monthSpan(today, words.months.get(name), match[2]);
      },
    ],
    [words.monthAlone, (match) => monthSpan(today, words.months.get(match[1] ?? ''), match[2])],
  ];
  for (const [pattern, read] of readers) {
    for (const match of lower.matchAll(pattern)) {
      add(match.index ?? 0, match[0].length, read(match));
    }
  }
  return found.sort((a, b) => a.index - b.index).map((item) => item.value);
}

function relativePeriod(today: Date, offset: number, unit: PeriodUnit): DateSpan {
  switch (unit) {
    case 'week': {
      const monday = addDays(today, -((today.getUTCDay() + 6) % 7) + offset * 7);
      return span(monday, addDays(monday, 6));
    }
    case 'month': {
      const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + offset, 1));
      const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
      return span(first, last);
    }
    case 'quarter': {
      const quarter = Math.floor(today.getUTCMonth() / 3) + offset;
      const first = new Date(Date.UTC(today.getUTCFullYear(), quarter * 3, 1));
      const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 3, 0));
      return span(first, last);
    }
    case 'year': {
      const year = today.getUTCFullYear() + offset;
      return span(new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year, 11, 31)));
    }
  }
}

function monthSpan(
  today: Date,
  month: number | undefined,
  year: string | undefined,
): DateSpan | undefined {
  if (month === undefined) return undefined;
  const fullYear = year ? Number(year) : today.getUTCFullYear();
  const first = new Date(Date.UTC(fullYear, month, 1));
  return span(first, new Date(Date.UTC(fullYear, month + 1, 0)));
}

/** Whether a word names a day, weekday or month (so it is never read as a name). */
export function isDateWord(word: string, words: DateVocabulary): boolean {
  return words.words.has(word.toLowerCase());
}
