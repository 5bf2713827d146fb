import { defineConfig } from 'vitest/config';

import '../../vitest.shared.mjs';

export default defineConfig({
  resolve: { conditions: ['@tekup/source'] },
  ssr: { resolve: { conditions: ['@tekup/source'] } },
  // globalSetup runs in vitest's own Vite environment, which does not inherit `ssr.resolve`.
  environments: { __vitest__: { resolve: { conditions: ['@tekup/source'] } } },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
