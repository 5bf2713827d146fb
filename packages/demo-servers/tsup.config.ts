import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      manifest: 'src/manifest.ts',
      testing: 'src/testing/tenancy.ts',
    },
    format: ['esm'],
    dts: true,
    clean: true,
    target: 'es2022',
    sourcemap: true,
  },
  {
    entry: { cli: 'src/cli.ts', 'build-template': 'src/database/build-template.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    target: 'es2022',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
