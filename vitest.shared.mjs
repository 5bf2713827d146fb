/**
 * Shared vitest set-up, imported by every package's vitest.config.ts.
 *
 * vitest 5's reporter calls `Map.groupBy` (Node 21+) when it prints a failure; on Node 20 a
 * failing run would otherwise end in a reporter TypeError instead of the assertion message.
 */
if (typeof Map.groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value(items, keyOf) {
      const groups = new Map();
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
