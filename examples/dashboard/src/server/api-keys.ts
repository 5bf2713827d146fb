import 'server-only';
import { type ApiKeyRecord, type ApiKeyStore, generateApiKey } from '@tekup/mcp-gateway';
import { database } from './db';
import type { User } from './users';

/** An API key as listed to admins (never the key itself). */
export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  role: 'admin' | 'member';
  tenantId: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  owner_id: string;
  role: 'admin' | 'member';
  tenant_id: string;
  created_at: string | Date;
  last_used_at: string | Date | null;
  revoked_at: string | Date | null;
}

const iso = (value: string | Date | null): string | null =>
  value === null ? null : new Date(value).toISOString();

function toSummary(row: KeyRow): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    tenantId: row.tenant_id,
    createdAt: iso(row.created_at) ?? '',
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

/**
 * Creates a key for server-to-server callers with the gateway's own key generator: the secret is
 * returned once and only its SHA-256 is stored.
 */
export async function createApiKey(
  creator: User,
  input: { name: string; role: 'admin' | 'member' },
): Promise<{ key: string; summary: ApiKeySummary }> {
  const { key, record } = await generateApiKey({
    ownerId: creator.id,
    role: input.role,
    tenantId: creator.tenantId,
    kind: 'service',
    label: input.name,
  });
  const db = await database();
  const [row] = await db.query<KeyRow>(
    `insert into dashboard_api_keys (id, name, prefix, hash, owner_id, role, tenant_id, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`,
    [
      record.id,
      input.name,
      key.slice(0, key.lastIndexOf('_')),
      record.hash,
      creator.id,
      input.role,
      creator.tenantId,
      creator.id,
    ],
  );
  if (!row) throw new Error('API key insert returned no row');
  return { key, summary: toSummary(row) };
}

/** Lists the keys of an organization, newest first. */
export async function listApiKeys(tenantId: string): Promise<ApiKeySummary[]> {
  const db = await database();
  const rows = await db.query<KeyRow>(
    'select * from dashboard_api_keys where tenant_id = $1 order by created_at desc',
    [tenantId],
  );
  return rows.map(toSummary);
}

/** Revokes a key of the given organization; false when there is no such active key. */
export async function revokeApiKey(tenantId: string, id: string): Promise<boolean> {
  const db = await database();
  const rows = await db.query(
    'update dashboard_api_keys set revoked_at = now() where id = $1 and tenant_id = $2 and revoked_at is null returning id',
    [id, tenantId],
  );
  return rows.length > 0;
}

/**
 * The dashboard's keys as the gateway's {@link ApiKeyStore}: the gateway's authenticator parses
 * the presented key, looks its record up here and compares digests in constant time.
 */
export const dashboardKeyStore: ApiKeyStore = {
  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const db = await database();
    const [row] = await db.query<KeyRow>('select * from dashboard_api_keys where id = $1', [id]);
    if (!row) return undefined;
    void db
      .query('update dashboard_api_keys set last_used_at = now() where id = $1', [id])
      .catch(() => {});
    return {
      id: row.id,
      hash: row.hash,
      ownerId: row.id,
      role: row.role,
      tenantId: row.tenant_id,
      kind: 'service',
      label: row.name,
      ...(row.revoked_at ? { revokedAt: new Date(row.revoked_at).toISOString() } : {}),
    };
  },
};
