import { describe, expect, it } from 'vitest';
import { compileVocabulary } from '../lexicon/vocabulary';
import { NOW, TEKUP_LEXICON } from '../test/helpers';
import { readFacts } from './read-facts';

const VOCABULARY = compileVocabulary(TEKUP_LEXICON);
const facts = (text: string) => readFacts(text, NOW, VOCABULARY);

describe('a number followed by a unit is an amount or a quantity', () => {
  it.each([
    ['top 5', 5],
    ['the 3 latest invoices', 3],
    ['top 5 hours', undefined],
    ['top 5 units', undefined],
    ['de 3 seneste', 3],
  ])('limit of %s', (text, limit) => {
    expect(facts(text).limit).toBe(limit);
  });

  it.each([
    ['invoice 1036', ['1036']],
    ['faktura nr. 1041', ['1041']],
    ['invoice 20 days overdue', []],
    ['invoice 5 kr', []],
  ])('ids of %s', (text, ids) => {
    expect(facts(text).ids).toEqual(ids);
  });

  it.each([
    ['Book it at 10', '10:00'],
    ['Book det kl. 14.30', '14:30'],
    ['at 2pm', '14:00'],
    ['a price at 10 kr', undefined],
    ['a price at 10 euro', undefined],
  ])('time of %s', (text, time) => {
    expect(facts(text).time).toBe(time);
  });
});
