/**
 * The empty database (schema, reader role, grants, RLS) every organization's replica starts
 * from, prebuilt when the package is built. Creating it at start-up means running Postgres's
 * initdb inside WebAssembly (about two seconds on a laptop core); loading the prebuilt copy takes
 * a few hundred milliseconds. A copy that does not match this schema and this PGlite is ignored
 * and the template is built at start-up instead.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { packageRoot } from '../core/paths.js';
import { createSchemaTemplate, pgliteVersion } from './sql-engine.js';

const TEMPLATE_FILE = 'database-template.tar.gz';
const KEY_FILE = 'database-template.key';

/** What the template depends on: the schema's SQL and the PGlite that reads the files. */
function templateKey(schemaSql: string): string {
  return createHash('sha256').update(`${pgliteVersion()}\n${schemaSql}`).digest('hex');
}

/**
 * The template's data directory (an uncompressed tar): the prebuilt copy in `dist/` when it
 * matches, else one built now.
 */
export async function loadSchemaTemplate(schemaSql: string): Promise<ArrayBuffer> {
  const directory = join(packageRoot(), 'dist');
  try {
    const key = (await readFile(join(directory, KEY_FILE), 'utf8')).trim();
    if (key === templateKey(schemaSql)) {
      // Decompressed once here (on libuv's thread pool), not once per replica's worker.
      const tar = await promisify(gunzip)(await readFile(join(directory, TEMPLATE_FILE)));
      return tar.buffer.slice(tar.byteOffset, tar.byteOffset + tar.byteLength) as ArrayBuffer;
    }
  } catch {
    // No prebuilt copy (running from source before a build): build it below.
  }
  return createSchemaTemplate(schemaSql);
}

/** Builds the template and writes it into `directory` (the package build's last step). */
export async function writeSchemaTemplate(schemaSql: string, directory: string): Promise<number> {
  const template = await createSchemaTemplate(schemaSql);
  const compressed = await promisify(gzip)(new Uint8Array(template), { level: 9 });
  await writeFile(join(directory, TEMPLATE_FILE), compressed);
  await writeFile(join(directory, KEY_FILE), `${templateKey(schemaSql)}\n`);
  return compressed.byteLength;
}
