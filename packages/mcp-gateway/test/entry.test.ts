/**
 * Keeps the root entry Web-only: walks the import graph from src/index.ts and fails on any
 * `node:` built-in or Node-leaning package (pino, prom-client, ioredis, pg, PGlite).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const source = join(dirname(fileURLToPath(import.meta.url)), '../src');
const nodeOnly = /^(node:|pino$|prom-client$|ioredis$|pg$|@electric-sql\/pglite)/;

function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  // Static imports and re-exports only: dynamic import() is lazy and allowed (policy stores).
  const pattern = /^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms;
  return [...text.matchAll(pattern)]
    .filter((match) => !/^\s*(?:import|export)\s+type\s/.test(match[0]))
    .map((match) => match[1] as string);
}

it('the root entry imports nothing Node-only', () => {
  const seen = new Set<string>();
  const offenders: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (nodeOnly.test(specifier)) offenders.push(`${file.slice(source.length)} → ${specifier}`);
      if (specifier.startsWith('.'))
        visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  };
  visit(join(source, 'index.ts'));
  expect(seen.size).toBeGreaterThan(8);
  expect(offenders).toEqual([]);
});
