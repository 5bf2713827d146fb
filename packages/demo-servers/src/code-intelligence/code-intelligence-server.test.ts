import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../start-server.js';
import { connectTestClient, TEKUP_CALLER, type TestClient, textOf } from '../test-client.js';
import { defaultCodeRoot, MAX_FILE_BYTES } from './code-intelligence-server.js';

let outside: string;
let root: string;
let server: RunningServer;
let client: TestClient;

beforeAll(async () => {
  outside = mkdtempSync(join(tmpdir(), 'code-intelligence-'));
  root = join(outside, 'repo');
  mkdirSync(join(root, 'src', 'billing'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'left-pad'), { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), 'top secret\n');
  writeFileSync(
    join(root, 'src', 'billing', 'invoice-total.ts'),
    [
      "import { VAT_RATE } from './vat.js';",
      '',
      '/** Adds VAT. */',
      'export function invoiceTotal(net: number): number {',
      '  return net + net * VAT_RATE;',
      '}',
      '',
      'export interface InvoiceTotals { net: number; vat: number }',
      'export type Money = number;',
      'export class InvoiceBook {}',
      'const invoiceTotalCache = new Map();',
    ].join('\n'),
  );
  writeFileSync(join(root, 'src', 'billing', 'vat.ts'), 'export const VAT_RATE = 0.25;\n');
  writeFileSync(
    join(root, 'node_modules', 'left-pad', 'index.js'),
    'export function invoiceTotal() {}\n',
  );
  writeFileSync(join(root, 'big.txt'), 'x'.repeat(MAX_FILE_BYTES + 1));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'escape.txt'));
  server = await startServer('code-intelligence', { port: 0, root });
  client = await connectTestClient(server.url, { caller: TEKUP_CALLER });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  rmSync(outside, { recursive: true, force: true });
});

type Match = { path: string; line: number; text: string };

describe('code-intelligence', () => {
  it('defaults to the monorepo root', () => {
    expect(existsSync(join(defaultCodeRoot(), 'pnpm-workspace.yaml'))).toBe(true);
    expect(existsSync(join(defaultCodeRoot(), 'packages', 'demo-servers'))).toBe(true);
  });

  it('searches text and identifiers, skipping node_modules', async () => {
    const text = await client.call('search_code', { query: 'invoicetotal' });
    const matches = (text.structuredContent as { matches: Match[] }).matches;
    expect(matches.map((match) => `${match.path}:${match.line}`)).toEqual([
      'src/billing/invoice-total.ts:4',
      'src/billing/invoice-total.ts:8',
      'src/billing/invoice-total.ts:11',
    ]);
    const identifier = await client.call('search_code', {
      query: 'invoiceTotal',
      mode: 'identifier',
      caseSensitive: true,
    });
    expect(
      (identifier.structuredContent as { matches: Match[] }).matches.map((match) => match.line),
    ).toEqual([4]);
    const scoped = await client.call('search_code', {
      query: 'VAT_RATE',
      path: 'src/billing',
      limit: 1,
    });
    expect(scoped.structuredContent).toMatchObject({ count: 1, truncated: true });
  });

  it('finds symbol definitions by kind', async () => {
    const result = await client.call('find_symbol', { name: 'invoiceTotal' });
    expect((result.structuredContent as { symbols: unknown[] }).symbols).toEqual([
      expect.objectContaining({
        name: 'invoiceTotal',
        kind: 'function',
        path: 'src/billing/invoice-total.ts',
        line: 4,
        exported: true,
      }),
    ]);
    const partial = await client.call('find_symbol', { name: 'invoice', partial: true });
    const kinds = (partial.structuredContent as { symbols: { kind: string }[] }).symbols
      .map((symbol) => symbol.kind)
      .sort();
    expect(kinds).toEqual(['class', 'const', 'function', 'interface']);
    const constant = await client.call('find_symbol', { name: 'VAT_RATE', kind: 'const' });
    expect((constant.structuredContent as { count: number }).count).toBe(1);
  });

  it('reads files and line ranges', async () => {
    const result = await client.call('get_file', {
      path: 'src/billing/invoice-total.ts',
      startLine: 4,
      endLine: 6,
    });
    expect(result.structuredContent).toMatchObject({ startLine: 4, endLine: 6, totalLines: 11 });
    expect(textOf(result)).toBe(
      'export function invoiceTotal(net: number): number {\n  return net + net * VAT_RATE;\n}',
    );
  });

  it('refuses traversal, absolute paths, symlink escapes, ignored folders and big files', async () => {
    const cases: [string, RegExp][] = [
      ['../secret.txt', /^path: .*outside the repository root/],
      ['src/../../secret.txt', /^path: .*outside the repository root/],
      [join(outside, 'secret.txt'), /^path: must be relative/],
      ['escape.txt', /^path: .*resolves outside/],
      ['node_modules/left-pad/index.js', /^path: .*ignored folder/],
      ['big.txt', /^path: .*over the/],
      ['missing.ts', /^path: no file/],
    ];
    for (const [path, message] of cases) {
      const result = await client.call('get_file', { path });
      expect(result.isError, path).toBe(true);
      expect(textOf(result), path).toMatch(message);
      expect(textOf(result)).not.toContain('top secret');
    }
    const search = await client.call('search_code', { query: 'secret', path: '../' });
    expect(textOf(search)).toMatch(/^path: /);
    const badSymbol = await client.call('find_symbol', { name: 'not a name' });
    expect(textOf(badSymbol)).toMatch(/name/);
  });
});
