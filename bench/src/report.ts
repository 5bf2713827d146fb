/**
 * Where results go: `bench/results/<name>.json` (every number, with the machine) and the
 * generated part of `docs/benchmarks.md` between `<!-- bench:<name> -->` and
 * `<!-- /bench:<name> -->` (the latest run's tables; the prose around them is written by hand).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Machine } from './machine.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const docsFile = join(root, 'docs', 'benchmarks.md');

/** A markdown table from a header row and rows of cells. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const align = header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [line(header), line(align), ...rows.map(line)].join('\n');
}

/** Milliseconds with sensible precision. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** A difference in milliseconds, with its sign. */
export function signedMs(value: number): string {
  return value < 0 ? `−${ms(-value)}` : `+${ms(value)}`;
}

/** Writes one benchmark's results and replaces its section of docs/benchmarks.md. */
export async function record(
  name: string,
  results: { machine: Machine } & Record<string, unknown>,
  markdown: string,
): Promise<void> {
  const file = join(root, 'bench', 'results', `${name}.json`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const section = `${open}\n${markdown.trim()}\n${close}`;
  const docs = await readFile(docsFile, 'utf8').catch(() => '# Benchmarks\n');
  const start = docs.indexOf(open);
  const end = docs.indexOf(close);
  const next =
    start !== -1 && end > start
      ? `${docs.slice(0, start)}${section}${docs.slice(end + close.length)}`
      : `${docs.trimEnd()}\n\n${section}\n`;
  await writeFile(docsFile, next);
}
