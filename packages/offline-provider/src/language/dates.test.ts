import { describe, expect, it } from 'vitest';
import { TEKUP_LEXICON } from '../test/helpers';
import { compileVocabulary } from '../lexicon/vocabulary';
import { findDates } from './dates';

// Tuesday 24 November 2026, late in the UTC day.
const NOW = new Date('2026-11-24T23:30:00Z');
const DATES = compileVocabulary(TEKUP_LEXICON).dates;

describe('findDates', () => {
  const table: Array<[string, Array<[string, string]>]> = [
    ['today', [['2026-11-24', '2026-11-24']]],
    ['i dag', [['2026-11-24', '2026-11-24']]],
    ['tomorrow', [['2026-11-25', '2026-11-25']]],
    ['i morgen', [['2026-11-25', '2026-11-25']]],
    ['i går', [['2026-11-23', '2026-11-23']]],
    ['i overmorgen', [['2026-11-26', '2026-11-26']]],
    ['on Tuesday', [['2026-11-24', '2026-11-24']]],
    ['next Tuesday', [['2026-12-01', '2026-12-01']]],
    ['på fredag', [['2026-11-27', '2026-11-27']]],
    ['this week', [['2026-11-23', '2026-11-29']]],
    ['næste uge', [['2026-11-30', '2026-12-06']]],
    ['last month', [['2026-10-01', '2026-10-31']]],
    ['denne måned', [['2026-11-01', '2026-11-30']]],
    ['this quarter', [['2026-10-01', '2026-12-31']]],
    ['next quarter', [['2027-01-01', '2027-03-31']]],
    ['last year', [['2025-01-01', '2025-12-31']]],
    ['in February', [['2026-02-01', '2026-02-28']]],
    ['i maj 2027', [['2027-05-01', '2027-05-31']]],
    ['2026-12-01', [['2026-12-01', '2026-12-01']]],
    ['1.12.2026', [['2026-12-01', '2026-12-01']]],
    ['24/12/2026', [['2026-12-24', '2026-12-24']]],
    [
      'from 2026-12-01 to 2026-12-03',
      [
        ['2026-12-01', '2026-12-01'],
        ['2026-12-03', '2026-12-03'],
      ],
    ],
    ['2026-02-30', []],
    ['in may we trust', []],
    ['10 hours', []],
  ];

  it.each(table)('%s', (text, expected) => {
    expect(findDates(text, NOW, DATES).map((span) => [span.start, span.end])).toEqual(expected);
  });
});
