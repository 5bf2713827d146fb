import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  constantTimeEqual,
  fromHex,
  sha256Bytes,
  sha256Hex,
  toHex,
} from './hash.js';

describe('hash helpers', () => {
  it('computes SHA-256 (FIPS 180-2 vector) the same way as Web Crypto', async () => {
    expect(await sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const text = 'tk_live_0123456789abcdef_æøå';
    const web = new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)),
    );
    expect(await sha256Bytes(text)).toEqual(web);
    expect(await sha256Hex(text)).toBe(toHex(web));
    expect(fromHex(toHex(web))).toEqual(web);
  });

  it('writes canonical JSON with keys sorted at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('compares digests', () => {
    expect(constantTimeEqual(fromHex('00ff'), fromHex('00ff'))).toBe(true);
    expect(constantTimeEqual(fromHex('00ff'), fromHex('00fe'))).toBe(false);
    expect(constantTimeEqual(fromHex('00ff'), fromHex('00'))).toBe(false);
  });
});
