import { describe, expect, it } from 'vitest';
import { decodeHeaderValue, paramHeaderProblem, paramHeaders } from './param-headers.js';

const schema = {
  type: 'object',
  properties: {
    region: { type: 'string', 'x-mcp-header': 'Region' },
    query: { type: 'string' },
    options: {
      type: 'object',
      properties: { limit: { type: 'integer', 'x-mcp-header': 'Limit' } },
    },
    list: {
      type: 'array',
      items: { type: 'object', properties: { x: { 'x-mcp-header': 'Nope' } } },
    },
  },
};

describe('Mcp-Param headers', () => {
  it('finds annotations through properties chains only', () => {
    expect(paramHeaders(schema)).toEqual([
      { path: ['region'], header: 'Region' },
      { path: ['options', 'limit'], header: 'Limit' },
    ]);
  });

  it('accepts matching headers (base64 and numeric forms) and skips absent values', () => {
    const annotated = paramHeaders(schema);
    const headers = new Headers({
      'mcp-param-region': `=?base64?${btoa('us-west1')}?=`,
      'mcp-param-limit': '42.0',
    });
    expect(
      paramHeaderProblem(annotated, { region: 'us-west1', options: { limit: 42 } }, headers),
    ).toBeUndefined();
    expect(paramHeaderProblem(annotated, { query: 'x' }, new Headers())).toBeUndefined();
  });

  it('reports a missing or different header', () => {
    const annotated = paramHeaders(schema);
    expect(paramHeaderProblem(annotated, { region: 'eu' }, new Headers())).toBe(
      'Mcp-Param-Region header is required',
    );
    expect(
      paramHeaderProblem(annotated, { region: 'eu' }, new Headers({ 'mcp-param-region': 'us' })),
    ).toBe('Mcp-Param-Region header does not match the body');
    expect(decodeHeaderValue('=?base64?%%%?=')).toBeUndefined();
  });
});
