/**
 * Runs `@modelcontextprotocol/conformance` client scenarios against this package: bundles
 * scripts/conformance-client.ts with esbuild, then lets the conformance tool start its test
 * servers and run the bundle against each. Exit code 0 when every scenario passes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const scenarios =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2)
    : ['initialize', 'tools_call', 'sse-retry', 'elicitation-sep1034-client-defaults'];
const require = createRequire(import.meta.url);
const cli = join(
  dirname(require.resolve('@modelcontextprotocol/conformance/package.json')),
  'dist/index.js',
);

const workDirectory = mkdtempSync(join(tmpdir(), 'mcp-client-web-conformance-'));
const bundle = join(workDirectory, 'client.mjs');
await build({
  entryPoints: [join(packageRoot, 'scripts/conformance-client.ts')],
  absWorkingDir: packageRoot,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['@tekup/source'],
  outfile: bundle,
  logLevel: 'silent',
});

let failed = 0;
for (const scenario of scenarios) {
  const code = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        cli,
        'client',
        '--command',
        `${process.execPath} ${bundle}`,
        '--scenario',
        scenario,
        '--timeout',
        '20000',
        '-o',
        join(workDirectory, 'results'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (exitCode) => {
      console.log(
        `--- conformance client --scenario ${scenario}: exit ${exitCode}\n${output.trim()}`,
      );
      resolve(exitCode);
    });
  });
  if (code !== 0) failed++;
}
rmSync(workDirectory, { recursive: true, force: true });
console.log(
  failed === 0
    ? `all ${scenarios.length} scenarios passed`
    : `${failed} of ${scenarios.length} scenarios failed`,
);
process.exitCode = failed === 0 ? 0 : 1;
