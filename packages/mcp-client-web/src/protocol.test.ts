import { describe, expect, it } from 'vitest';
import { buildParameterHeaders, readParameterHeaders } from './parameter-headers';
import { encodeHeaderValue, parseRetryAfter } from './protocol';

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-11-24T06:00:00Z');
    expect(parseRetryAfter('Tue, 24 Nov 2026 06:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Tue, 24 Nov 2026 05:00:00 GMT', now)).toBe(0);
  });
});

describe('encodeHeaderValue', () => {
  it('follows the spec examples', () => {
    expect(encodeHeaderValue('us-west1')).toBe('us-west1');
    expect(encodeHeaderValue('Hello, 世界')).toBe('=?base64?SGVsbG8sIOS4lueVjA==?=');
    expect(encodeHeaderValue(' padded ')).toBe('=?base64?IHBhZGRlZCA=?=');
    expect(encodeHeaderValue('line1\nline2')).toBe('=?base64?bGluZTEKbGluZTI=?=');
    expect(encodeHeaderValue('=?base64?literal?=')).toBe('=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=');
  });
});

describe('x-mcp-header', () => {
  it('reads annotated primitive properties reachable through properties only', () => {
    const headers = readParameterHeaders({
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        options: {
          type: 'object',
          properties: { dry: { type: 'boolean', 'x-mcp-header': 'Dry-Run' } },
        },
      },
    });
    expect(headers).toEqual([
      { name: 'Region', path: ['region'] },
      { name: 'Dry-Run', path: ['options', 'dry'] },
    ]);
    expect(buildParameterHeaders(headers!, { region: 'eu', options: { dry: false } })).toEqual({
      'Mcp-Param-Region': 'eu',
      'Mcp-Param-Dry-Run': 'false',
    });
    expect(buildParameterHeaders(headers!, { region: null })).toEqual({});
  });

  it('rejects annotations the spec forbids', () => {
    const invalid = [
      { properties: { n: { type: 'number', 'x-mcp-header': 'N' } } },
      {
        properties: {
          a: { type: 'string', 'x-mcp-header': 'X' },
          b: { type: 'string', 'x-mcp-header': 'x' },
        },
      },
      { properties: { a: { type: 'string', 'x-mcp-header': 'has space' } } },
      { properties: { a: { type: 'string', 'x-mcp-header': '' } } },
      {
        properties: { list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Item' } } },
      },
      { anyOf: [{ properties: { a: { type: 'string', 'x-mcp-header': 'A' } } }] },
    ];
    for (const schema of invalid)
      expect(readParameterHeaders({ type: 'object', ...schema })).toBeUndefined();
    expect(readParameterHeaders({ type: 'object' })).toEqual([]);
  });
});
