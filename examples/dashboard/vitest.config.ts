import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import '../../vitest.shared.mjs';

export default defineConfig({
  resolve: {
    conditions: ['@tekup/source'],
    alias: {
      '@/': fileURLToPath(new URL('./src/', import.meta.url)),
      // The guard only means something inside Next's bundler; route tests import server modules directly.
      'server-only': fileURLToPath(new URL('./test/server-only.ts', import.meta.url)),
    },
  },
  ssr: { resolve: { conditions: ['@tekup/source'] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
