import 'server-only';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
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

/** The caller an API key authenticates. */
export interface ApiKeyPrincipal {
  keyId: string;
  name: string;
  role: 'admin' | 'member';
  tenantId: string;
}

const KEY_PREFIX = 'tk_';

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  hash: string;
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

/** Creates a key for server-to-server callers; the secret is returned once and only its SHA-256 is stored. */
export async function createApiKey(
  creator: User,
  input: { name: string; role: 'admin' | 'member' },
): Promise<{ key: string; summary: ApiKeySummary }> {
  // 32 random bytes: a digest of a key this strong needs no slow KDF.
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const db = await database();
  const [row] = await db.query<KeyRow>(
    `insert into dashboard_api_keys (id, name, prefix, hash, owner_id, role, tenant_id, created_by)
     values ($1, $2, $3, $4, $1, $5, $6, $7) returning *`,
    [id, input.name, key.slice(0, 10), digest(key), input.role, creator.tenantId, creator.id],
  );
  if (!row) throw new Error('API key insert returned no row');
  return { key, summary: toSummary(row) };
}

/** Lists the keys of the creator's organization, newest first. */
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

/** Checks a presented key; resolves to its principal when it is known and active. */
export async function verifyApiKey(presented: string): Promise<ApiKeyPrincipal | undefined> {
  if (!presented.startsWith(KEY_PREFIX) || presented.length > 200) return undefined;
  const hash = digest(presented);
  const db = await database();
  const [row] = await db.query<KeyRow>(
    'select * from dashboard_api_keys where hash = $1 and revoked_at is null',
    [hash],
  );
  // The lookup is by digest; compare again in constant time so a partial index match can never pass.
  if (!row || !timingSafeEqual(Buffer.from(row.hash, 'hex'), Buffer.from(hash, 'hex'))) return undefined;
  void db.query('update dashboard_api_keys set last_used_at = now() where id = $1', [row.id]).catch(() => {});
  return { keyId: row.id, name: row.name, role: row.role, tenantId: row.tenant_id };
}
