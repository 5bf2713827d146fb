/**
 * Bundles an entry the way an app bundler would for the browser (esbuild, minified, ESM, every
 * dependency inlined) and measures it. Shared by `pnpm size` and the bundle tests.
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The package root. */
const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * @param {{ entry?: string; contents?: string; external?: string[] }} source a file path relative to the package, or module source; `external` packages stay imports
 * @returns {Promise<{ code: string; minified: number; gzip: number; inputs: string[] }>}
 */
export async function measureBundle(source) {
  const result = await build({
    ...(source.entry
      ? { entryPoints: [source.entry] }
      : { stdin: { contents: source.contents ?? '', resolveDir: packageRoot, loader: 'ts' } }),
    absWorkingDir: packageRoot,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@tekup/source'],
    // Keep Node built-ins as imports so a scan can see them instead of the build failing.
    external: ['node:*', ...builtinModules, ...(source.external ?? [])],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  return {
    code,
    minified: Buffer.byteLength(code),
    gzip: gzipSync(code, { level: 9 }).length,
    inputs: Object.keys(result.metafile.inputs),
  };
}

/** The official SDK client measured the same way. */
export const sdkClientSource = [
  "export { Client } from '@modelcontextprotocol/sdk/client/index.js';",
  "export { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';",
].join('\n');
