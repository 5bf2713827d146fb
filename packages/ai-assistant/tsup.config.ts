import { copyFile } from 'node:fs/promises';
import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  format: ['esm'],
  dts: true,
  target: 'es2022',
  sourcemap: true,
  external: ['react', 'react-dom', '@tekup/ai-assistant/app-bridge'],
};

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts' },
    clean: true,
    // `import css from '../styles.css?inline'` (Vite's syntax, used by vitest too) becomes a
    // string: the component renders it in a deduplicated <style>
    loader: { '.css': 'text' },
    // 'use client' in a non-entry module is dropped by the bundler: put it on the entry
    banner: { js: "'use client';" },
    async onSuccess() {
      await copyFile('src/styles.css', 'dist/styles.css');
    },
  },
  {
    ...shared,
    entry: { 'server/index': 'src/server/index.ts' },
    clean: false,
  },
  {
    // The MCP Apps bridge with its dependencies inside: loaded on first use, sharing nothing.
    ...shared,
    entry: { 'app-bridge': 'src/app-bridge.ts' },
    clean: false,
    platform: 'browser',
    minify: true,
    splitting: false,
    noExternal: [/.*/],
  },
]);
