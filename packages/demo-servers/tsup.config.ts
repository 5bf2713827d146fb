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
  {
    // The MCP Apps' browser scripts: one self-contained file each, inlined into their ui:// page.
    entry: { 'apps/invoice-view': 'apps/invoice-view.ts', 'apps/week-view': 'apps/week-view.ts' },
    format: ['iife'],
    platform: 'browser',
    dts: false,
    clean: false,
    minify: true,
    target: 'es2022',
    noExternal: [/.*/],
    tsconfig: 'apps/tsconfig.json',
  },
]);
