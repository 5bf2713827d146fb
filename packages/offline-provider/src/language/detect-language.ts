import type { AnswerLanguage, Vocabulary } from '../lexicon/vocabulary';

function marks(language: AnswerLanguage, text: string): boolean {
  // Such letters in a capitalized word are usually a name ("Klinik Østerbro"), not the language.
  const lowercaseWords = text.match(/(?<![\p{L}])\p{Ll}[\p{L}]*/gu) ?? [];
  if (language.letters.some((letters) => lowercaseWords.some((word) => letters.test(word)))) {
    return true;
  }
  const words = text.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  if (words.some((word) => language.distinctive.has(word))) return true;
  return words.filter((word) => language.common.has(word)).length >= 2;
}

/**
 * The language to answer in: the one `locale` names (`'da'`, `'da-DK'`), else the first
 * language whose markers the text carries, else the first language.
 */
export function answerLanguage(
  locale: string,
  text: string,
  vocabulary: Vocabulary,
): AnswerLanguage {
  const lower = locale.toLowerCase();
  const [first, ...others] = vocabulary.languages;
  const named = vocabulary.languages.find((language) => lower.startsWith(language.code));
  if (named) return named;
  return others.find((language) => marks(language, text)) ?? first;
}
