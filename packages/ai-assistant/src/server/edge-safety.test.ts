import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = [join(import.meta.dirname, '.')];
const NODE_BUILTINS =
  /from\s+['"](node:[^'"]+|fs|path|http|https|net|crypto|stream|buffer|child_process|os|url|util|zlib)['"]|require\(/;

function sources(): string[] {
  return ROOTS.flatMap((root) =>
    readdirSync(root)
      .filter((file) => file.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(file))
      .map((file) => join(root, file)),
  );
}

describe('server entry stays edge-runtime safe', () => {
  it('has source files to check', () => {
    expect(sources().some((file) => file.endsWith('chat-handler.ts'))).toBe(true);
    expect(sources().some((file) => file.endsWith('resolve-model.ts'))).toBe(true);
  });

  it.each(sources().map((file) => [file.split('/src/')[1], file]))(
    '%s imports no Node built-ins',
    (_name, file) => {
      expect(readFileSync(file as string, 'utf8')).not.toMatch(NODE_BUILTINS);
    },
  );
});

describe('server entry bundles for an edge runtime', () => {
  it('resolves every import without Node built-ins (esbuild, neutral platform)', async () => {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [join(import.meta.dirname, 'index.ts')],
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
    // The AI SDK mentions node:diagnostics_channel only through process.getBuiltinModule at
    // run time, guarded; a static import or require would break the edge runtime.
    expect(code).not.toMatch(
      /\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\s*\(\s*["']node:/,
    );
  }, 30_000);
});
