import type { ResultFields } from '../lexicon/lexicon';
import type { AnswerLanguage } from '../lexicon/vocabulary';

/** What describing a result needs: the answer language and the fleet's result fields. */
export interface AnswerContext {
  language: AnswerLanguage;
  fields: Readonly<Required<ResultFields>>;
}

/** An English plural noun in the answer language, singular when `count` is 1. */
export function localNoun(noun: string, context: AnswerContext, count = 2): string {
  const forms = context.language.nouns.get(noun);
  if (forms) return count === 1 ? forms[0] : forms[1];
  const { singular } = context.language.answers;
  return count === 1 && singular ? singular(noun) : noun;
}
