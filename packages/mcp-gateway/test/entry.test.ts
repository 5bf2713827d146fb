/**
 * Keeps the root entry Web-only: walks the import graph from src/index.ts — static imports,
 * re-exports and dynamic `import()` alike — and fails on any `node:` built-in or Node-leaning
 * package (pino, prom-client, ioredis, pg, PGlite) reachable from it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const source = join(dirname(fileURLToPath(import.meta.url)), '../src');
const nodeOnly = /^(node:|pino$|prom-client$|ioredis$|pg$|@electric-sql\/pglite)/;

/** Every module specifier a file loads at run time (type-only imports are erased). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const declarations = /^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms;
  const bare = /^\s*import\s+'([^']+)'/gm;
  // A lazy import still loads the module in whatever runtime runs that branch.
  const dynamic = /\bimport\(\s*(?:\/\*.*?\*\/\s*)?['"]([^'"]+)['"]\s*\)/gs;
  return [
    ...[...text.matchAll(declarations)]
      .filter((match) => !/^\s*(?:import|export)\s+type\s/.test(match[0]))
      .map((match) => match[1] as string),
    ...[...text.matchAll(bare)].map((match) => match[1] as string),
    ...[...text.matchAll(dynamic)].map((match) => match[1] as string),
  ];
}

it('the root entry reaches nothing Node-only, not even lazily', () => {
  const seen = new Set<string>();
  const offenders: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of runtimeImports(file)) {
      if (nodeOnly.test(specifier)) offenders.push(`${file.slice(source.length)} → ${specifier}`);
      if (specifier.startsWith('.'))
        visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  };
  visit(join(source, 'index.ts'));
  expect(seen.size).toBeGreaterThan(8);
  expect(offenders).toEqual([]);
});
