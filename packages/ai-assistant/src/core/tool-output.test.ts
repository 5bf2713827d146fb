import { describe, expect, it } from 'vitest';
import { formatValue, toolResultData, viewOf } from './tool-output';

describe('toolResultData', () => {
  it('prefers structuredContent', () => {
    expect(
      toolResultData({ content: [{ type: 'text', text: 'x' }], structuredContent: { a: 1 } }),
    ).toEqual({ a: 1 });
  });
  it('parses JSON text content and keeps other text as text', () => {
    expect(toolResultData({ content: [{ type: 'text', text: ' [{"a":1}]' }] })).toEqual([{ a: 1 }]);
    expect(toolResultData({ content: [{ type: 'text', text: '[not json' }] })).toBe('[not json');
    expect(
      toolResultData({
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      }),
    ).toBe('a\n\nb');
  });
  it('passes non-MCP values through', () => {
    expect(toolResultData('plain')).toBe('plain');
  });
});

describe('viewOf', () => {
  it('shows an array of objects as a table with the union of columns', () => {
    expect(viewOf([{ a: 1 }, { a: 2, b: 3 }])).toEqual({
      kind: 'table',
      columns: ['a', 'b'],
      rows: [{ a: 1 }, { a: 2, b: 3 }],
    });
  });
  it('shows an object whose one array field holds rows as a table with a caption', () => {
    const view = viewOf({ invoices: [{ id: 1 }], total: 1 });
    expect(view).toMatchObject({ kind: 'table', caption: 'invoices', columns: ['id'] });
  });
  it('shows flat objects as key/value, scalars as text, the rest as JSON', () => {
    expect(viewOf({ id: 'x', paid: true })).toEqual({
      kind: 'key-value',
      entries: [
        ['id', 'x'],
        ['paid', true],
      ],
    });
    expect(viewOf(42)).toEqual({ kind: 'text', text: '42' });
    expect(viewOf({ nested: { a: 1 } })).toEqual({ kind: 'json', value: { nested: { a: 1 } } });
    expect(viewOf([1, 2])).toEqual({ kind: 'json', value: [1, 2] });
    expect(viewOf(null)).toEqual({ kind: 'empty' });
  });
  it('formats cells as text', () => {
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue(undefined)).toBe('');
    expect(formatValue('2026-11-25T08:00:00.000Z')).toBe('2026-11-25 08:00 UTC');
    expect(formatValue('2026-11-25T08:00:00+01:00')).toBe('2026-11-25 08:00 +01:00');
    // Seconds that matter, and plain text, stay as they are.
    expect(formatValue('2026-11-25T08:00:30Z')).toBe('2026-11-25T08:00:30Z');
    expect(formatValue('<b>x</b>')).toBe('<b>x</b>');
  });
});
