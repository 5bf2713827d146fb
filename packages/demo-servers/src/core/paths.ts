import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Walks up from `start` until `predicate(directory)` holds; undefined at the filesystem root. */
export function findUp(
  start: string,
  predicate: (directory: string) => boolean,
): string | undefined {
  let directory = start;
  for (;;) {
    if (predicate(directory)) return directory;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * This package's root directory, found from the running file so that it works both from
 * `src/` (tests) and from the bundled `dist/`.
 */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = findUp(here, (directory) => {
    const manifest = join(directory, 'package.json');
    if (!existsSync(manifest)) return false;
    try {
      return (
        (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name ===
        '@tekup/demo-servers'
      );
    } catch {
      return false;
    }
  });
  if (root) return root;
  // When bundled (e.g. into a Next.js server chunk) the module URL no longer points into the
  // package, so look for an installed copy from the working directory instead.
  const installed = findUp(process.cwd(), (directory) =>
    existsSync(join(directory, 'node_modules', '@tekup', 'demo-servers', 'package.json')),
  );
  if (installed) return join(installed, 'node_modules', '@tekup', 'demo-servers');
  throw new Error('cannot locate the @tekup/demo-servers package root');
}
