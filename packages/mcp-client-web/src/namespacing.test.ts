import { describe, expect, it } from 'vitest';
import {
  createToolNamer,
  hashedToolName,
  MAX_TOOL_NAME_LENGTH,
  parsePlainToolName,
  plainToolName,
} from './namespacing';

const VALID = /^[a-zA-Z0-9_-]+$/;

describe('namespacing', () => {
  it('uses server__tool when that maps back exactly', () => {
    expect(plainToolName('billy', 'list_invoices')).toBe('billy__list_invoices');
    expect(parsePlainToolName('billy__list_invoices')).toEqual({
      server: 'billy',
      tool: 'list_invoices',
    });
    expect(parsePlainToolName('code-intelligence__find__refs')).toEqual({
      server: 'code-intelligence',
      tool: 'find__refs',
    });
  });

  it('refuses plain names that would be ambiguous, invalid or too long', () => {
    expect(plainToolName('a__b', 'c')).toBeUndefined();
    expect(plainToolName('a_', 'b')).toBeUndefined();
    expect(plainToolName('_a', 'b')).toBeUndefined();
    expect(plainToolName('vault', 'search.docs')).toBeUndefined();
    expect(plainToolName('vault', 'x'.repeat(60))).toBeUndefined();
    expect(parsePlainToolName('a___b')).toEqual({ server: 'a', tool: '_b' });
    expect(parsePlainToolName('__b')).toBeUndefined();
    expect(parsePlainToolName('nothing')).toBeUndefined();
  });

  it('hashes long or unsafe names into 64 valid characters, stably', () => {
    const long = hashedToolName('knowledge', `search_${'very_'.repeat(30)}long`);
    expect(long.length).toBeLessThanOrEqual(MAX_TOOL_NAME_LENGTH);
    expect(long).toMatch(VALID);
    expect(long).toBe(hashedToolName('knowledge', `search_${'very_'.repeat(30)}long`));
    expect(hashedToolName('vault', 'search.docs')).toMatch(/^vault__search_docs_[0-9a-z]{7}$/);
    expect(hashedToolName('vault', 'search.docs')).not.toBe(hashedToolName('vault', 'search_docs'));
    expect(hashedToolName('Ω', 'ünïcode')).toMatch(VALID);
  });

  it('assigns unique names that resolve back exactly, even for colliding inputs', () => {
    const namer = createToolNamer();
    const entries = [
      { server: 'a', tool: 'b__c' },
      { server: 'a__b', tool: 'c' },
      { server: 'vault', tool: 'search.docs' },
      { server: 'vault', tool: 'search_docs' },
      { server: 'vault', tool: 'search-docs' },
      { server: 'x'.repeat(80), tool: 'y'.repeat(80) },
      { server: 'x'.repeat(80), tool: `${'y'.repeat(80)}z` },
    ];
    const names = namer.assign(entries);
    expect(new Set(names).size).toBe(entries.length);
    names.forEach((name, index) => {
      expect(name.length).toBeLessThanOrEqual(MAX_TOOL_NAME_LENGTH);
      expect(name).toMatch(VALID);
      expect(namer.resolve(name)).toEqual(entries[index]);
    });
    expect(names[0]).toBe('a__b__c');
    expect(names[3]).toBe('vault__search_docs');
  });

  it('re-salts when a hashed name is already taken', () => {
    const namer = createToolNamer();
    const taken = hashedToolName('vault', 'search.docs');
    const [first, second] = namer.assign([
      { server: taken.split('__')[0]!, tool: taken.split('__')[1]! },
      { server: 'vault', tool: 'search.docs' },
    ]);
    expect(first).toBe(taken);
    expect(second).toBe(hashedToolName('vault', 'search.docs', 1));
    expect(namer.resolve(second!)).toEqual({ server: 'vault', tool: 'search.docs' });
  });
});
