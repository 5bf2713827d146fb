import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = import.meta.dirname;
const NODE_BUILTINS =
  /from\s+['"](node:[^'"]+|fs|path|http|https|net|crypto|stream|buffer|child_process|os|url|util|zlib)['"]|require\(/;

function sources(): string[] {
  return readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(file))
    .filter((file) => !file.startsWith('test/'))
    .map((file) => join(ROOT, file));
}

describe('the provider stays edge-runtime safe', () => {
  it('has source files to check', () => {
    expect(sources().some((file) => file.endsWith('offline-language-model.ts'))).toBe(true);
  });

  it.each(sources().map((file) => [file.slice(ROOT.length + 1), file]))(
    '%s imports no Node built-ins',
    (_name, file) => {
      expect(readFileSync(file as string, 'utf8')).not.toMatch(NODE_BUILTINS);
    },
  );

  it('bundles for a neutral platform without Node built-ins', async () => {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [join(ROOT, 'index.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      conditions: ['edge-light', 'worker', 'browser', 'import', 'module', 'default'],
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).toContain('tekup-offline');
    expect(code).not.toMatch(
      /\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\s*\(\s*["']node:/,
    );
  }, 30_000);
});
