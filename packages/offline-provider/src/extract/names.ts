import { isDateWord } from '../language/dates';
import { isKnownWord, textWords } from '../language/words';
import type { Vocabulary } from '../lexicon/vocabulary';

function isCapitalized(word: string, vocabulary: Vocabulary): boolean {
  return (
    /^[\p{Lu}\p{N}]/u.test(word) &&
    /\p{L}/u.test(word) &&
    !vocabulary.currencyWords.has(word.toLowerCase())
  );
}

/**
 * Names after a cue ("for Acme ApS", "til Hansen & Søn", "the customer Nordlys"), capitalized
 * runs joined by connectors; after some cues a lowercase run too ("invoices for acme"). With
 * no cue, capitalized runs anywhere.
 */
export function findNames(text: string, vocabulary: Vocabulary): string[] {
  const tokens = textWords(text);
  const { connectors, fillers } = vocabulary;
  const names: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const cue = tokens[index]?.word ?? '';
    const lowerCue = cue.toLowerCase();
    const isCue = vocabulary.nameCues.has(lowerCue) || vocabulary.nameRoles.has(cue);
    if (!isCue) continue;
    let start = index + 1;
    while (tokens[start] && vocabulary.nameSkips.has(tokens[start]?.word ?? '')) start++;
    const run: string[] = [];
    for (let next = start; next < tokens.length; next++) {
      const word = tokens[next]?.word ?? '';
      if (
        isCapitalized(word, vocabulary) &&
        !isDateWord(word, vocabulary.dates) &&
        !/^\d+([.,]\d+)*$/.test(word)
      ) {
        run.push(word);
        continue;
      }
      const following = tokens[next + 1]?.word ?? '';
      if (
        run.length > 0 &&
        connectors.has(word.toLowerCase()) &&
        isCapitalized(following, vocabulary)
      ) {
        run.push(word);
        continue;
      }
      break;
    }
    if (run.length === 0 && vocabulary.lowercaseNameCues.has(lowerCue)) {
      for (let next = start; next < tokens.length && run.length < 3; next++) {
        const word = tokens[next]?.word ?? '';
        const lower = word.toLowerCase();
        if (fillers.has(lower) || /\d/.test(word) || isDateWord(word, vocabulary.dates)) break;
        if (isKnownWord(lower, vocabulary) || /[a-z][A-Z]/.test(word)) break;
        run.push(word);
      }
    }
    while (run.length > 0 && fillers.has((run.at(-1) ?? '').toLowerCase())) run.pop();
    while (run.length > 0 && connectors.has((run.at(-1) ?? '').toLowerCase())) run.pop();
    if (run.length > 0) names.push(run.join(' ').replace(/[.,;:!?]+$/, ''));
  }
  if (names.length === 0) names.push(...properNouns(text, vocabulary));
  return [...new Set(names)];
}

/** Capitalized runs with no cue word before them ("Which invoices has Acme ApS paid?"). */
function properNouns(text: string, vocabulary: Vocabulary): string[] {
  const found: string[] = [];
  for (const sentence of text.split(/[.!?\n]+/)) {
    const tokens = textWords(sentence);
    let run: string[] = [];
    let startsSentence = false;
    const flush = () => {
      if (startsSentence && run.length > 0 && isKnownWord(run[0] ?? '', vocabulary)) {
        run.shift();
        startsSentence = false;
      }
      const [first] = run;
      const usable = first !== undefined && (!startsSentence || run.length >= 2);
      if (usable) found.push(run.join(' '));
      run = [];
    };
    tokens.forEach(({ word }, index) => {
      const lower = word.toLowerCase();
      const nameLike =
        isCapitalized(word, vocabulary) &&
        !vocabulary.stopwords.has(lower) &&
        !isDateWord(word, vocabulary.dates) &&
        !/^\d/.test(word) &&
        (run.length > 0 || !isKnownWord(word, vocabulary) || index === 0);
      if (nameLike) {
        if (run.length === 0) startsSentence = index === 0;
        run.push(word);
      } else if (
        run.length > 0 &&
        vocabulary.connectors.has(lower) &&
        isCapitalized(tokens[index + 1]?.word ?? '', vocabulary)
      ) {
        run.push(word);
      } else {
        flush();
      }
    });
    flush();
  }
  return found;
}
