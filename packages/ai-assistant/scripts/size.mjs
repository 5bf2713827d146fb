// Bundles the root entry the way an app would (minified, React external) and reports min and
// min+gzip sizes, the largest inputs, and fails when the budget is exceeded or a Node built-in
// sneaks into the browser entry. The MCP Apps bridge (`@tekup/ai-assistant/app-bridge`, loaded
// when a tool's view is first shown) is measured on its own: it shares nothing with the entry.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET_BYTES = 160 * 1024;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

async function bundle(entry, external) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    conditions: ['@tekup/source'],
    loader: { '.css': 'text' },
    external,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  const byPackage = new Map();
  for (const [path, input] of Object.entries(
    result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].inputs,
  )) {
    const match = path.match(
      /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/,
    );
    const name = match
      ? match[1]
      : path.startsWith('src/')
        ? '(this package)'
        : path.split('/').slice(0, 3).join('/');
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  const nodeImports = Object.values(result.metafile.inputs)
    .flatMap((input) => input.imports)
    .filter((item) => item.path.startsWith('node:'));
  return {
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    top: [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12),
    nodeImports,
  };
}

const entry = await bundle('src/index.ts', [
  'react',
  'react-dom',
  'react/*',
  'react-dom/*',
  '@tekup/ai-assistant/app-bridge',
]);
const bridge = await bundle('src/app-bridge.ts', []);

console.log(
  `@tekup/ai-assistant root entry: ${kb(entry.min)} min, ${kb(entry.gzip)} min+gzip (budget ${kb(BUDGET_BYTES)})`,
);
console.log('largest inputs (minified bytes in output):');
for (const [name, bytes] of entry.top) console.log(`  ${name.padEnd(40)} ${kb(bytes)}`);
console.log(
  `MCP Apps bridge, loaded when a tool's view is first shown: ${kb(bridge.min)} min, ${kb(bridge.gzip)} min+gzip`,
);

const nodeImports = [...entry.nodeImports, ...bridge.nodeImports];
if (nodeImports.length > 0) {
  console.error(
    `Node built-ins in the browser entry: ${nodeImports.map((item) => item.path).join(', ')}`,
  );
  process.exit(1);
}
if (entry.gzip > BUDGET_BYTES) {
  console.error(`over budget by ${kb(entry.gzip - BUDGET_BYTES)}`);
  process.exit(1);
}
