import { PGlite } from '@electric-sql/pglite';
import { createSchemaSql, createTenantRowsSql } from '../demo-servers/src/database/seed-sql.ts';
import { createDemoData } from '../demo-servers/src/demo-data.ts';
import { booksFor } from '../demo-servers/src/core/books.ts';
let t = performance.now();
const db = await PGlite.create();
console.log('initdb', Math.round(performance.now() - t));
t = performance.now();
await db.exec(createSchemaSql());
console.log('schema', Math.round(performance.now() - t));
for (const c of ['none', 'gzip'] as const) {
  t = performance.now();
  const dump = await db.dumpDataDir(c);
  const buf = await dump.arrayBuffer();
  console.log('dump', c, Math.round(performance.now() - t), buf.byteLength);
  t = performance.now();
  const db2 = await PGlite.create({ loadDataDir: new Blob([buf]) });
  console.log('load', c, Math.round(performance.now() - t));
  const now = new Date();
  const data = createDemoData({ now });
  const books = booksFor(data);
  const tenant = books.all()[0]!;
  t = performance.now();
  await db2.exec(createTenantRowsSql(tenant, data.sales, now));
  console.log('rows', Math.round(performance.now() - t));
  t = performance.now();
  const d3 = await (await db2.dumpDataDir(c)).arrayBuffer();
  console.log('dump seeded', Math.round(performance.now() - t), d3.byteLength);
  t = performance.now();
  const db3 = await PGlite.create({ loadDataDir: new Blob([d3]) });
  await db3.query('select 1');
  console.log('load seeded', Math.round(performance.now() - t));
}
const now1 = new Date('2026-06-10T09:00:00Z'),
  now2 = new Date('2026-06-10T10:30:00Z');
const a = createTenantRowsSql(
  booksFor(createDemoData({ now: now1 })).all()[0]!,
  createDemoData({ now: now1 }).sales,
  now1,
);
const b = createTenantRowsSql(
  booksFor(createDemoData({ now: now2 })).all()[0]!,
  createDemoData({ now: now2 }).sales,
  now2,
);
console.log('same rows within a day', a === b);
