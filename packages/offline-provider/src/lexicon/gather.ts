import type { Lexicon } from './lexicon';

/** Every lexicon's entries of one list, in lexicon order. */
export function gather<T>(
  lexicons: readonly Lexicon[],
  pick: (lexicon: Lexicon) => readonly T[] | undefined,
) {
  return lexicons.flatMap((lexicon) => pick(lexicon) ?? []);
}

/** The value the last lexicon that gives one gives. */
export function lastOf<T>(lexicons: readonly Lexicon[], pick: (lexicon: Lexicon) => T | undefined) {
  let value: T | undefined;
  for (const lexicon of lexicons) value = pick(lexicon) ?? value;
  return value;
}

/** One record merged over the lexicons (later keys win). */
export function record<T>(
  lexicons: readonly Lexicon[],
  pick: (lexicon: Lexicon) => Readonly<Record<string, T>> | undefined,
): Map<string, T> {
  const result = new Map<string, T>();
  for (const lexicon of lexicons) {
    for (const [key, value] of Object.entries(pick(lexicon) ?? {})) result.set(key, value);
  }
  return result;
}
