import { defineConfig } from 'vitest/config';

import '../../vitest.shared.mjs';

export default defineConfig({
  resolve: { conditions: ['@tekup/source'] },
  ssr: { resolve: { conditions: ['@tekup/source'] } },
  test: { include: ['src/**/*.test.ts'] },
});
