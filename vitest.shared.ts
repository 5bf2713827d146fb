/**
 * Shared vitest set-up, imported by every package's vitest.config.ts.
 *
 * vitest 5's reporter calls `Map.groupBy` (Node 21+) when it prints a failure; on Node 20 a
 * failing run would otherwise end in a reporter TypeError instead of the assertion message.
 */
if (typeof (Map as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value<K, V>(items: Iterable<V>, keyOf: (item: V, index: number) => K): Map<K, V[]> {
      const groups = new Map<K, V[]>();
      let index = 0;
      for (const item of items) {
        const key = keyOf(item, index++);
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
      }
      return groups;
    },
  });
}

/** Resolve workspace packages from source in tests (see each package.json's `@tekup/source`). */
export const sourceConditions = ['@tekup/source'];
