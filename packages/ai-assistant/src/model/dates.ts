/**
 * Date words → calendar days. Days are computed on the UTC calendar of the injected clock,
 * so the same input gives the same answer on every runtime.
 */

/** A day or a span of days, as ISO `YYYY-MM-DD` strings. */
export interface DateSpan {
  start: string;
  end: string;
  /** Whether the text named a single day (tomorrow, Monday, 2026-12-01). */
  single: boolean;
}

const DAY_MS = 86_400_000;

const WEEKDAYS: Record<string, number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  søndag: 0,
  mandag: 1,
  tirsdag: 2,
  onsdag: 3,
  torsdag: 4,
  fredag: 5,
  lørdag: 6,
};

const MONTHS: Record<string, number> = {
  january: 0,
  januar: 0,
  jan: 0,
  february: 1,
  februar: 1,
  feb: 1,
  march: 2,
  marts: 2,
  april: 3,
  apr: 3,
  may: 4,
  maj: 4,
  june: 5,
  juni: 5,
  july: 6,
  juli: 6,
  august: 7,
  aug: 7,
  september: 8,
  sep: 8,
  sept: 8,
  october: 9,
  oktober: 9,
  okt: 9,
  oct: 9,
  november: 10,
  nov: 10,
  december: 11,
  dec: 11,
};

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

/**
 * Finds the dates a text mentions, in order of appearance: ISO and day-first dates,
 * today/tomorrow/yesterday (and the Danish i dag/i morgen/i går), weekday names (the next
 * such day, today included), this/next/last week, month and year, and month names.
 */
export function findDates(text: string, now: Date): DateSpan[] {
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
  const relative: Array<[RegExp, (match: RegExpMatchArray) => DateSpan | undefined]> = [
    [/\b(?:day after tomorrow|i overmorgen)\b/g, () => day(addDays(today, 2))],
    [/\b(?:today|i dag|idag|tonight|i aften)\b/g, () => day(today)],
    [/\b(?:tomorrow|i morgen|imorgen)\b/g, () => day(addDays(today, 1))],
    [/\b(?:yesterday|i går|igår)\b/g, () => day(addDays(today, -1))],
    [
      /\b(this|next|last|previous|coming|denne|dette|næste|sidste|forrige|kommende)\s+(week|uge|month|måned|quarter|kvartal|year|år)\b/gu,
      (match) => relativePeriod(today, match[1] ?? '', match[2] ?? ''),
    ],
    [/\bi\s+år\b/gu, () => relativePeriod(today, 'this', 'year')],
    [
      /\b(next|this|on|coming|næste|på|kommende|om)?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\b/gu,
      (match) => weekday(today, match[2] ?? '', match[1] ?? ''),
    ],
    [
      /\b(?:in|i|for|during)\s+(january|february|march|april|may|june|july|august|september|october|november|december|januar|februar|marts|maj|juni|juli|oktober)\b(?:\s+(\d{4}))?/gu,
      (match) => {
        // "may" is a month only when written "May": "in may we trust" names no date.
        const at = (match.index ?? 0) + match[0].toLowerCase().indexOf(match[1] ?? '');
        if (match[1] === 'may' && text[at] !== 'M') return undefined;
        return monthSpan(today, match[1] ?? '', match[2]);
      },
    ],
    [
      /\b(january|february|april|june|july|august|september|october|november|december|januar|februar|marts|juni|juli|oktober)(?:\s+(\d{4}))?\b/gu,
      (match) => monthSpan(today, match[1] ?? '', match[2]),
    ],
  ];
  for (const [pattern, build] of relative) {
    for (const match of lower.matchAll(pattern)) {
      add(match.index ?? 0, match[0].length, build(match));
    }
  }
  return found.sort((a, b) => a.index - b.index).map((item) => item.value);
}

function relativePeriod(today: Date, which: string, unit: string): DateSpan | undefined {
  const offset = /^(next|næste|coming|kommende)$/.test(which)
    ? 1
    : /^(last|previous|sidste|forrige)$/.test(which)
      ? -1
      : 0;
  if (unit === 'week' || unit === 'uge') {
    const monday = addDays(today, -((today.getUTCDay() + 6) % 7) + offset * 7);
    return span(monday, addDays(monday, 6));
  }
  if (unit === 'month' || unit === 'måned') {
    const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + offset, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
    return span(first, last);
  }
  if (unit === 'quarter' || unit === 'kvartal') {
    const quarter = Math.floor(today.getUTCMonth() / 3) + offset;
    const first = new Date(Date.UTC(today.getUTCFullYear(), quarter * 3, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 3, 0));
    return span(first, last);
  }
  if (unit === 'year' || unit === 'år') {
    const year = today.getUTCFullYear() + offset;
    return span(new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year, 11, 31)));
  }
  return undefined;
}

function weekday(today: Date, name: string, prefix: string): DateSpan | undefined {
  const target = WEEKDAYS[name];
  if (target === undefined) return undefined;
  let delta = (target - today.getUTCDay() + 7) % 7;
  if (delta === 0 && /^(next|næste)$/.test(prefix)) delta = 7;
  return day(addDays(today, delta));
}

function monthSpan(today: Date, name: string, year: string | undefined): DateSpan | undefined {
  const month = MONTHS[name];
  if (month === undefined) return undefined;
  const fullYear = year ? Number(year) : today.getUTCFullYear();
  const first = new Date(Date.UTC(fullYear, month, 1));
  return span(first, new Date(Date.UTC(fullYear, month + 1, 0)));
}

/** Whether a word names a day, weekday or month (so it is never read as a name). */
export function isDateWord(word: string): boolean {
  const lower = word.toLowerCase();
  return lower in WEEKDAYS || lower in MONTHS;
}
