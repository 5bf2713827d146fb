import 'server-only';
import { join } from 'node:path';
import { startPgliteWorker } from '@tekup/mcp-gateway/node';
import { env } from './env';

/** The few SQL operations the dashboard's own tables need. Same `$1` placeholders on both engines. */
export interface Database {
  engine: 'postgres' | 'pglite';
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

const MIGRATIONS = `
create table if not exists dashboard_users (
  id uuid primary key,
  email text not null unique,
  name text not null,
  role text not null check (role in ('admin', 'member')),
  tenant_id uuid not null,
  tenant_name text not null,
  password_hash text not null,
  created_at timestamptz not null default now()
);
create table if not exists dashboard_api_keys (
  id text primary key,
  name text not null,
  prefix text not null,
  hash text not null unique,
  owner_id uuid not null,
  role text not null,
  tenant_id uuid not null,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
-- Keys created before access levels existed may only read: safe by default.
alter table dashboard_api_keys add column if not exists access text not null default 'read';
-- A visible prefix is the key's public part only (an older one ran into the secret).
update dashboard_api_keys set prefix = substring(prefix from '^tk_[a-z]+_[0-9a-f]{16}')
  where prefix !~ '^tk_[a-z]+_[0-9a-f]{16}$';
create table if not exists dashboard_revoked_sessions (
  sid text primary key,
  expires_at timestamptz not null
);
create table if not exists dashboard_usage (
  user_id uuid not null,
  day date not null,
  requests integer not null default 0,
  input_tokens bigint not null default 0,
  output_tokens bigint not null default 0,
  primary key (user_id, day)
);
-- Usage belongs to a subject (a user, or an API key of /api/ai/query) of one organization.
alter table dashboard_usage alter column user_id type text;
alter table dashboard_usage add column if not exists subject_kind text not null default 'user';
alter table dashboard_usage add column if not exists tenant_id uuid;
update dashboard_usage u set tenant_id = d.tenant_id
  from dashboard_users d where u.tenant_id is null and d.id::text = u.user_id;
create index if not exists dashboard_usage_tenant_day on dashboard_usage (tenant_id, day);
`;

async function open(): Promise<Database> {
  const { databaseUrl, dataDir } = env();
  if (databaseUrl) {
    const { Pool } = await import('pg');
    const pool = new Pool({ connectionString: databaseUrl, max: 5 });
    await pool.query(MIGRATIONS);
    return {
      engine: 'postgres',
      async query<Row>(sql: string, params: unknown[] = []) {
        const result = await pool.query(sql, params);
        return result.rows as Row[];
      },
      close: () => pool.end(),
    };
  }
  // On its own thread: opening PGlite takes seconds that the main thread must spend serving.
  const lite = startPgliteWorker({ dataDir: join(dataDir, 'dashboard-db') });
  await lite.exec(MIGRATIONS);
  return {
    engine: 'pglite',
    query: <Row>(sql: string, params: unknown[] = []) => lite.query<Row>(sql, params),
    close: () => lite.close(),
  };
}

const globalState = globalThis as typeof globalThis & { __tekupDashboardDb?: Promise<Database> };

/** The dashboard database: Postgres when `DATABASE_URL` is set, else an embedded PGlite file. */
export function database(): Promise<Database> {
  globalState.__tekupDashboardDb ??= open().catch((error: unknown) => {
    globalState.__tekupDashboardDb = undefined;
    throw error;
  });
  return globalState.__tekupDashboardDb;
}
