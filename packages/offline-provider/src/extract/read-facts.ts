import { type DateSpan, findDates } from '../language/dates';
import { concepts } from '../language/words';
import type { Vocabulary } from '../lexicon/vocabulary';
import { findIds } from './ids';
import { findNames } from './names';
import { type Amount, findAmounts, findQuantities, type Quantity } from './numbers';

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

function findLimit(text: string, vocabulary: Vocabulary): number | undefined {
  const lower = text.toLowerCase();
  const cue = lower.match(vocabulary.limitCue);
  if (cue) return Number(cue[1]);
  const counted = lower.match(vocabulary.limitCounted);
  return counted ? Number(counted[1]) : undefined;
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

function findTopic(text: string, quoted: string[], vocabulary: Vocabulary): string | undefined {
  if (quoted[0]) return quoted[0];
  const sentence = text.replace(/[?!]+\s*$/, '');
  const cue = sentence.match(vocabulary.topic);
  const tail = cue?.[1]?.trim();
  if (tail) {
    const tailWords = tail
      .split(/\s+/)
      .filter((word) => !vocabulary.fillers.has(word.toLowerCase()));
    if (tailWords.length > 0) return tailWords.join(' ').replace(/[.,;:]+$/, '');
  }
  return undefined;
}

function findTime(text: string, vocabulary: Vocabulary): string | undefined {
  const match =
    text.match(vocabulary.time) ??
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

function findTitle(text: string, vocabulary: Vocabulary): string | undefined {
  const sentence = (text.split(/[.!?\n]/)[0] ?? '').trim();
  const tokens = sentence.split(/\s+/);
  while (tokens.length > 0 && vocabulary.titleLead.has((tokens[0] ?? '').toLowerCase())) {
    tokens.shift();
  }
  const phrase = tokens
    .join(' ')
    .replace(vocabulary.titleStop, '')
    .replace(/[,;:]+$/, '')
    .trim();
  if (phrase.length < 2) return undefined;
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** Extracts quoted text, names, dates, amounts, quantities, limits, ids and SQL from a text. */
export function readFacts(text: string, now: Date, vocabulary: Vocabulary): TextFacts {
  const quoted = [
    ...text.matchAll(
      /"([^"]+)"|“([^”]+)”|„([^“”]+)[“”]|«([^»]+)»|(?:^|\s)'([^']+)'(?=\s|[.,!?]|$)/g,
    ),
  ]
    .map((match) => (match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5] ?? '').trim())
    .filter(Boolean);
  const limit = findLimit(text, vocabulary);
  const sql = findSql(text, quoted);
  const topic = findTopic(text, quoted, vocabulary);
  const time = findTime(text, vocabulary);
  const title = findTitle(text, vocabulary);
  return {
    text,
    quoted,
    names: findNames(text, vocabulary),
    dates: findDates(text, now, vocabulary.dates),
    amounts: findAmounts(text, vocabulary),
    quantities: findQuantities(text, vocabulary),
    ...(limit !== undefined ? { limit } : {}),
    ids: findIds(text, vocabulary),
    identifiers: [
      ...text.matchAll(/\b(?:[a-z]+(?:[A-Z][a-z0-9]*)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)\b/g),
    ].map((match) => match[0]),
    emails: [...text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)].map((match) => match[0]),
    paths: findPaths(text),
    countQuestion: vocabulary.countQuestion.test(text),
    ...(sql ? { sql } : {}),
    ...(topic ? { topic } : {}),
    ...(time ? { time } : {}),
    ...(title ? { title } : {}),
    concepts: new Set(concepts(text, vocabulary)),
  };
}
