import { defineConfig } from 'vitest/config';

// Node 20 lacks Map.groupBy, which vitest 5's reporter calls when it prints a failure; without
// it a failing run ends in a reporter TypeError instead of the assertion message.
if (!('groupBy' in Map)) {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value: <K, V>(items: Iterable<V>, keyOf: (item: V, index: number) => K): Map<K, V[]> => {
      const groups = new Map<K, V[]>();
      let index = 0;
      for (const item of items) {
        const key = keyOf(item, index);
        index += 1;
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
      }
      return groups;
    },
  });
}

export default defineConfig({
  resolve: { conditions: ['@tekup/source'] },
  ssr: { resolve: { conditions: ['@tekup/source'] } },
  test: { include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'] },
});
