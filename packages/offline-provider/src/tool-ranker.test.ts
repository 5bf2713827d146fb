import { describe, expect, it } from 'vitest';
import { danishLexicon } from './lexicon/danish';
import { englishLexicon } from './lexicon/english';
import { tekupDemoLexicon } from './lexicon/tekup-demo';
import { FIXTURE_TOOLS, NEIGHBOUR_TOOLS } from './test/fixture-tools';
import { createToolRanker } from './tool-ranker';

const tools = [...FIXTURE_TOOLS, ...NEIGHBOUR_TOOLS];
const rank = createToolRanker({ lexicon: [englishLexicon, danishLexicon, tekupDemoLexicon] });

describe('createToolRanker', () => {
  it.each([
    ['Vis ubetalte fakturaer', 'billy__list_invoices'],
    ['Hvilke aftaler har jeg i morgen?', 'calendar__list_events'],
    ['Find invoices for Nordlys Rengøring', 'billy__list_invoices'],
    ['Where is createGateway defined?', 'code-intelligence__find_symbol'],
  ])('ranks the tool %s points at first', (text, first) => {
    expect(rank(text, tools)[0]).toBe(first);
  });

  it('leaves out tools the text does not touch', () => {
    const ranked = rank('Vis ubetalte fakturaer', tools);
    expect(ranked.length).toBeLessThan(tools.length);
    expect(ranked).not.toContain('calendar__cancel_event');
    expect(rank('hello', tools)).toEqual([]);
  });
});
