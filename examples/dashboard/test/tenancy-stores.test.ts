/**
 * The cross-tenant suite on Redis and a fresh Postgres database (created for this run on the
 * server DATABASE_URL points at, and dropped after it). Reported as skipped without both.
 */
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { describeTenancy } from './tenancy-suite';
import { prepareTestEnvironment } from './setup-env';

const redisUrl = process.env.REDIS_URL;
const serverUrl = process.env.DATABASE_URL;
const now = new Date('2026-06-10T09:00:00.000Z');

if (redisUrl && serverUrl) {
  const name = `tekup_dashboard_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  prepareTestEnvironment({
    TEKUP_DEMO_NOW: now.toISOString(),
    REDIS_URL: redisUrl,
    DATABASE_URL: url.href,
  });
  afterAll(async () => {
    const { database } = await import('@/server/db');
    await (await database()).close();
    // Not WITH (FORCE): a connection still open would die under a live pool and crash the run.
    // A database left behind by a straggler is harmless (the name is unique per run).
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await admin.end();
  });
  describeTenancy('Redis and Postgres', now);
} else {
  describe.skip('tenancy of the dashboard (Redis and Postgres; needs REDIS_URL and DATABASE_URL)', () => {});
}
