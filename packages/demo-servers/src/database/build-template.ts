/**
 * The package build's last step (`pnpm build`): writes the database template to `dist/`, so the
 * database server starts from it instead of running initdb.
 * @module
 */
import { join } from 'node:path';
import { packageRoot } from '../core/paths.js';
import { writeSchemaTemplate } from './schema-template.js';
import { createSchemaSql } from './seed-sql.js';

const bytes = await writeSchemaTemplate(createSchemaSql(), join(packageRoot(), 'dist'));
console.log(`database template: ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
