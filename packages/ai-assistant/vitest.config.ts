import { defineConfig } from 'vitest/config';

import '../../vitest.shared.mjs';

const resolve = { conditions: ['@tekup/source'] };

export default defineConfig({
  resolve,
  ssr: { resolve: { conditions: ['@tekup/source'] } },
  test: {
    projects: [
      {
        resolve,
        ssr: { resolve: { conditions: ['@tekup/source'] } },
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
      {
        resolve,
        ssr: { resolve: { conditions: ['@tekup/source'] } },
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['src/**/*.test.tsx'],
          setupFiles: ['./test/setup-dom.ts'],
        },
      },
    ],
  },
});
