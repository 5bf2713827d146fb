import { describe, expect, it } from 'vitest';
import { splitMarkdownBlocks } from './markdown-blocks';

describe('splitMarkdownBlocks', () => {
  it.each([
    ['one paragraph', 'Hello **world**', ['Hello **world**']],
    ['paragraphs at blank lines', 'a\nb\n\n\nc', ['a\nb', 'c']],
    [
      'a table stays whole',
      'Intro:\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nDone',
      ['Intro:', '| a | b |\n| --- | --- |\n| 1 | 2 |', 'Done'],
    ],
    [
      'blank lines inside a fence stay inside it',
      '```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nafter',
      ['```ts\nconst a = 1;\n\nconst b = 2;\n```', 'after'],
    ],
    [
      'a longer fence is closed only by one as long',
      '````\n```\n\n```\n````\ntail',
      ['````\n```\n\n```\n````\ntail'],
    ],
    [
      'an unclosed fence (still streaming) keeps the rest',
      '```\ncode\n\nmore',
      ['```\ncode\n\nmore'],
    ],
    ['nothing', '', []],
  ])('%s', (_name, text, blocks) => {
    expect(splitMarkdownBlocks(text)).toEqual(blocks);
  });

  it('loses no text: the blocks joined by blank lines render the same document', () => {
    const text = '# Title\n\n- a\n- b\n\n1. one\n2. two\n\n> quote\n\n```\nx\n\ny\n```';
    expect(splitMarkdownBlocks(text).join('\n\n')).toBe(text);
  });
});
