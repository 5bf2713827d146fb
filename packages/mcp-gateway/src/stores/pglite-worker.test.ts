import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PgliteWorkerError, startPgliteWorker } from './pglite-worker.js';

const directories: string[] = [];
afterAll(async () => {
  await Promise.all(
    directories.map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

// Each test starts PGlite on a worker thread (2–3 s apiece on a shared 2-core machine).
describe('startPgliteWorker', { timeout: 30_000 }, () => {
  it('runs statements in order on its own thread and keeps the data in its directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pglite-worker-'));
    directories.push(dataDir);
    const db = startPgliteWorker({ dataDir });
    await db.ready;
    await db.exec(
      'create table notes (id int primary key, body text); insert into notes values (1, $$a$$)',
    );
    const writes = [2, 3, 4].map((id) =>
      db.query('insert into notes values ($1, $2)', [id, `n${id}`]),
    );
    await Promise.all(writes);
    expect(await db.query<{ count: number }>('select count(*)::int as count from notes')).toEqual([
      { count: 4 },
    ]);
    await db.close();

    const reopened = startPgliteWorker({ dataDir });
    expect(await reopened.query('select body from notes where id = $1', [3])).toEqual([
      { body: 'n3' },
    ]);
    await reopened.close();
  });

  it('rejects with the SQLSTATE code, and a failed transaction leaves nothing behind', async () => {
    const db = startPgliteWorker();
    await db.exec('create table t (id int primary key)');
    const duplicate = await db.query('insert into t values (1), (1)').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(duplicate).toBeInstanceOf(PgliteWorkerError);
    expect((duplicate as PgliteWorkerError).code).toBe('23505');
    await expect(
      db.transaction(['insert into t values (5)', 'insert into t values (5)']),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await db.query('select * from t')).toEqual([]);
    await db.close();
  });

  it('refuses calls after close instead of hanging', async () => {
    const db = startPgliteWorker();
    await db.ready;
    await db.close();
    await expect(db.query('select 1')).rejects.toThrow(/exited/);
  });
});
