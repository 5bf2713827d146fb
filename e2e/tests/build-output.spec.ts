import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));
const staticDir = join(root, 'examples', 'dashboard', '.next', 'static');

function canaries(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of readFileSync(join(root, 'e2e', 'build-canaries.env'), 'utf8').split('\n')) {
    const match = /^([A-Z_]+)=(.+)$/.exec(line.trim());
    if (match) entries[match[1] as string] = match[2] as string;
  }
  return entries;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

test('no server-only value the dashboard was built with appears in the browser bundle', () => {
  const values = canaries();
  expect(Object.keys(values).length).toBeGreaterThanOrEqual(7);
  const bundle = files(staticDir).filter((path) => /\.(js|css|json|txt|map)$/.test(path));
  const text = bundle.map((path) => readFileSync(path, 'utf8')).join('\n');
  // The scan reads the real client code (the assistant component is in it).
  expect(text).toContain('tekup-assistant');
  const leaked = Object.entries(values).filter(([, value]) => {
    const secretPart = value.replace(/^[a-z]+:\/\//, '');
    return text.includes(value) || text.includes(secretPart);
  });
  expect(leaked.map(([name]) => name)).toEqual([]);
});
