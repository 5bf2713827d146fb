/** The files code intelligence serves: one directory's text files, listed and cached briefly. */
import { existsSync, type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { findUp, packageRoot } from '../core/paths.js';

/** Directories never indexed or served. */
export const IGNORED_DIRECTORIES = new Set([
  'node_modules',
  'dist',
  '.next',
  '.git',
  'coverage',
  '.turbo',
  'test-results',
  'playwright-report',
  '.data',
]);

const TEXT_EXTENSIONS = new Set([
  '.ts',
  '.tsx',
  '.js',
  '.mjs',
  '.cjs',
  '.jsx',
  '.json',
  '.md',
  '.css',
  '.yaml',
  '.yml',
  '.html',
  '.sql',
  '.txt',
  '.toml',
]);

/** Largest file served or searched, in bytes. */
export const MAX_FILE_BYTES = 256 * 1024;

/** The default root: nearest ancestor of this package with `pnpm-workspace.yaml`. */
export function defaultCodeRoot(): string {
  const start = packageRoot();
  return (
    findUp(start, (directory) => existsSync(join(directory, 'pnpm-workspace.yaml'))) ??
    process.cwd()
  );
}

/** One text file of the tree, by its path relative to the root. */
export interface SourceFile {
  path: string;
  lines: string[];
}

/** Lists the text files under `root` (at most 5,000), re-reading at most every 10 s. */
export function createSourceTree(root: string, now: () => number = Date.now): () => SourceFile[] {
  let cache: { at: number; files: SourceFile[] } | undefined;
  return () => {
    // The tree changes while people work on it; a short-lived cache keeps answers fresh.
    if (cache && now() - cache.at < 10_000) return cache.files;
    const files: SourceFile[] = [];
    const walk = (folder: string) => {
      let entries: Dirent[];
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const full = join(folder, entry.name);
        if (entry.isDirectory()) {
          if (!IGNORED_DIRECTORIES.has(entry.name)) walk(full);
        } else if (
          entry.isFile() &&
          TEXT_EXTENSIONS.has(extname(entry.name)) &&
          files.length < 5000
        ) {
          try {
            if (statSync(full).size > MAX_FILE_BYTES) continue;
            files.push({
              path: relative(root, full).split(sep).join('/'),
              lines: readFileSync(full, 'utf8').split('\n'),
            });
          } catch {
            // Files can vanish between listing and reading.
          }
        }
      }
    };
    walk(root);
    cache = { at: now(), files };
    return files;
  };
}
