import type { AnswerPhrases, Lexicon } from './lexicon';

/** A language the planner can answer in. */
export interface AnswerLanguage {
  code: string;
  answers: AnswerPhrases;
  letters: RegExp[];
  distinctive: Set<string>;
  common: Set<string>;
  nouns: Map<string, readonly [string, string]>;
  example?: string;
}

/**
 * The languages the lexicons can answer in, in lexicon order, each with the markers, nouns and
 * example every lexicon gives for it.
 */
export function languagesOf(lexicons: readonly Lexicon[]): AnswerLanguage[] {
  const languages = new Map<string, AnswerLanguage>();
  for (const lexicon of lexicons) {
    if (!lexicon.language || !lexicon.answers) continue;
    const known = languages.get(lexicon.language);
    languages.set(lexicon.language, {
      code: lexicon.language,
      answers: { ...known?.answers, ...lexicon.answers },
      letters: [],
      distinctive: new Set(),
      common: new Set(),
      nouns: new Map(),
    });
  }
  for (const language of languages.values()) {
    for (const lexicon of lexicons) {
      const markers = lexicon.markers?.[language.code];
      if (markers?.letters) language.letters.push(markers.letters);
      for (const word of markers?.distinctive ?? []) language.distinctive.add(word);
      for (const word of markers?.common ?? []) language.common.add(word);
      for (const [noun, forms] of Object.entries(lexicon.nouns?.[language.code] ?? {})) {
        language.nouns.set(noun, forms);
      }
      language.example = lexicon.examples?.[language.code] ?? language.example;
    }
  }
  return [...languages.values()];
}
