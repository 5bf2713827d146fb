import { copyFile, readFile } from 'node:fs/promises';
import { defineConfig, type Options } from 'tsup';

// `import css from './styles.css?inline'` (Vite's syntax, also used by vitest) as a string
const inlineCss: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'inline-css',
  setup(build) {
    build.onResolve({ filter: /\.css\?inline$/ }, (args) => ({
      path: new URL(args.path.replace(/\?inline$/, ''), `file://${args.resolveDir}/`).pathname,
      namespace: 'inline-css',
    }));
    build.onLoad({ filter: /.*/, namespace: 'inline-css' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

const shared: Options = {
  format: ['esm'],
  dts: true,
  target: 'es2022',
  sourcemap: true,
  external: ['react', 'react-dom'],
};

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts' },
    clean: true,
    // 'use client' in a non-entry module is dropped by the bundler: put it on the entry
    banner: { js: "'use client';" },
    esbuildPlugins: [inlineCss],
    async onSuccess() {
      await copyFile('src/styles.css', 'dist/styles.css');
    },
  },
  {
    ...shared,
    entry: { 'server/index': 'src/server/index.ts' },
    clean: false,
  },
]);
