/**
 * Word handling: tokenizing, stemming and mapping words onto the lexicon's concepts.
 */
import type { Vocabulary } from '../lexicon/vocabulary';

/** Lowercases, folds the lexicon's phrases into single words and splits into letter/digit words. */
export function tokenize(text: string, vocabulary: Vocabulary): string[] {
  let folded = text.toLowerCase();
  for (const [pattern, replacement] of vocabulary.phrases) {
    folded = folded.replace(pattern, replacement);
  }
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

/** The concept of a word without one of the lexicon's endings ("kunderne" → customer). */
function conceptWithoutSuffix(word: string, vocabulary: Vocabulary): string | undefined {
  for (const suffix of vocabulary.suffixes) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) {
      const found = vocabulary.conceptOf.get(word.slice(0, -suffix.length));
      if (found) return found;
    }
  }
  return undefined;
}

/** Maps a word onto its concept (the lexicon first, then its stem), else its stem. */
export function concept(word: string, vocabulary: Vocabulary): string {
  const lower = word.toLowerCase();
  const stemmed = vocabulary.stem(lower);
  return (
    vocabulary.conceptOf.get(lower) ??
    vocabulary.conceptOf.get(stemmed) ??
    conceptWithoutSuffix(lower, vocabulary) ??
    stemmed
  );
}

/** Whether the lexicon knows the word (so it is a topic word, never a name). */
export function isKnownWord(word: string, vocabulary: Vocabulary): boolean {
  const lower = word.toLowerCase();
  return (
    vocabulary.conceptOf.has(lower) ||
    vocabulary.conceptOf.has(vocabulary.stem(lower)) ||
    conceptWithoutSuffix(lower, vocabulary) !== undefined
  );
}

/** The concepts of the meaningful words of a text. */
export function concepts(text: string, vocabulary: Vocabulary): string[] {
  return tokenize(text, vocabulary)
    .filter((word) => !vocabulary.stopwords.has(word))
    .map((word) => concept(word, vocabulary));
}

/** The action concepts tool names use; the lexicon gives their words. */
export type ActionConcept = 'list' | 'create' | 'delete' | 'update';

/** Whether the concept is an action (list, create, delete, update). */
export function isActionConcept(value: string): value is ActionConcept {
  return value === 'list' || value === 'create' || value === 'delete' || value === 'update';
}

/** The words of a text as written, with their offsets (names keep `&`, `A/S`, `Café`). */
export function textWords(text: string): Array<{ word: string; index: number }> {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:['’./-][\p{L}\p{N}]+)*|&/gu)].map((match) => ({
    word: match[0],
    index: match.index ?? 0,
  }));
}
