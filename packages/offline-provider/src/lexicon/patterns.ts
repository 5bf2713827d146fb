import type { WordPattern } from './lexicon';

/** Escapes the characters that mean something in a regular expression (valid under the `u` flag). */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One word list entry as pattern source: a word or phrase as written, or a pattern's source. */
export function patternSource(entry: WordPattern): string {
  return typeof entry === 'string' ? escapeRegExp(entry) : entry.source;
}

/**
 * The entries as one alternation, in their order (an entry that is the start of another must
 * come after it only where the pattern that follows cannot tell them apart: `kr.` before `kr`).
 * An empty list never matches.
 */
export function alternation(entries: readonly WordPattern[]): string {
  if (entries.length === 0) return '(?!)';
  return [...new Set(entries.map(patternSource))].join('|');
}

/** Phrases as one alternation whose words may be apart by any whitespace ("i  år"). */
export function spacedAlternation(phrases: readonly string[]): string {
  if (phrases.length === 0) return '(?!)';
  return phrases.map((phrase) => phrase.split(/\s+/).map(escapeRegExp).join('\\s+')).join('|');
}

/** The entries as one alternation, longest first, so a phrase wins over a word inside it. */
export function longestFirst(entries: readonly string[]): string {
  return alternation([...entries].sort((a, b) => b.length - a.length));
}

/** A matched phrase as the lexicon writes it: whitespace collapsed, lowercase. */
export function normalizePhrase(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}
