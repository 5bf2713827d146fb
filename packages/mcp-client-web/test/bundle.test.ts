import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs helper shared with `pnpm size`
import { measureBundle } from '../scripts/measure.mjs';

interface Measured {
  code: string;
  minified: number;
  gzip: number;
  inputs: string[];
}

const BUDGET_GZIP_BYTES = 20 * 1024;

describe('root entry bundle', () => {
  it('is Web-only: no Node built-ins, no eval, no new Function, no schema libraries', async () => {
    const bundle = (await measureBundle({ entry: 'src/index.ts' })) as Measured;
    expect(bundle.code).not.toMatch(/from\s*["']node:/);
    expect(bundle.code).not.toMatch(/import\s*\(\s*["']node:/);
    expect(bundle.code).not.toMatch(/\brequire\s*\(/);
    for (const name of builtinModules.filter((module) => !module.startsWith('_'))) {
      expect(bundle.code.includes(`from"${name}"`), name).toBe(false);
    }
    expect(bundle.code).not.toMatch(/new\s+Function\s*\(/);
    expect(bundle.code).not.toMatch(/\beval\s*\(/);
    expect(bundle.inputs.filter((input) => /node_modules/.test(input))).toEqual([]);
  });

  it(`fits the ${BUDGET_GZIP_BYTES / 1024} KB min+gzip budget`, async () => {
    const bundle = (await measureBundle({ entry: 'src/index.ts' })) as Measured;
    expect(bundle.gzip).toBeGreaterThan(1024);
    expect(bundle.gzip).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it('would catch a Node built-in if one crept in', async () => {
    const bundle = (await measureBundle({
      contents:
        "import { gzipSync } from 'node:zlib'; export const f = () => gzipSync(new Function('return 1')());",
    })) as Measured;
    expect(bundle.code).toMatch(/from\s*["']node:/);
    expect(bundle.code).toMatch(/new\s+Function\s*\(/);
  });
});
