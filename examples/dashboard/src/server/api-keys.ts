import 'server-only';
import {
  type ApiKeyRecord,
  type ApiKeyStore,
  type CachedApiKeyStore,
  createCachedApiKeyStore,
  generateApiKey,
} from '@tekup/mcp-gateway';
import { database } from './db';
import { onRevocation, publishRevocation } from './revocation-feed';
import type { User } from './users';

/** What a key may do: read-only tools only (the default), or also tools that change data. */
export type ApiKeyAccess = 'read' | 'read-write';

/** The gateway scopes of an access level. */
const SCOPES: Record<ApiKeyAccess, string[]> = {
  read: ['*:read'],
  'read-write': ['*:read', '*:write'],
};

/** An API key as listed to admins (never the key itself). */
export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  role: 'admin' | 'member';
  access: ApiKeyAccess;
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
  access: string;
  tenant_id: string;
  created_at: string | Date;
  last_used_at: string | Date | null;
  revoked_at: string | Date | null;
}

const accessOf = (value: string): ApiKeyAccess => (value === 'read-write' ? 'read-write' : 'read');

const iso = (value: string | Date | null): string | null =>
  value === null ? null : new Date(value).toISOString();

function toSummary(row: KeyRow): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    access: accessOf(row.access),
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
  input: { name: string; role: 'admin' | 'member'; access: ApiKeyAccess },
): Promise<{ key: string; summary: ApiKeySummary }> {
  const { key, record } = await generateApiKey({
    ownerId: creator.id,
    role: input.role,
    tenantId: creator.tenantId,
    kind: 'service',
    label: input.name,
    scopes: SCOPES[input.access],
  });
  const db = await database();
  const [row] = await db.query<KeyRow>(
    `insert into dashboard_api_keys (id, name, prefix, hash, owner_id, role, access, tenant_id, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
    [
      record.id,
      input.name,
      // The public part only: `tk_live_<id>`. The secret after it may itself contain '_'.
      key.slice(0, key.indexOf(record.id) + record.id.length),
      record.hash,
      creator.id,
      input.role,
      input.access,
      creator.tenantId,
      creator.id,
    ],
  );
  if (!row) throw new Error('API key insert returned no row');
  return { key, summary: toSummary(row) };
}

/** Lists the keys of an organization, newest first. */
export async function listApiKeys(tenantId: string): Promise<ApiKeySummary[]> {
  await flushKeyUse().catch(() => undefined);
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
  if (rows.length === 0) return false;
  keyStore();
  await publishRevocation({ kind: 'api-key', id });
  return true;
}

/** The key table as the gateway's {@link ApiKeyStore}, one row per lookup. */
const tableKeyStore: ApiKeyStore = {
  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const db = await database();
    const [row] = await db.query<KeyRow>('select * from dashboard_api_keys where id = $1', [id]);
    if (!row) return undefined;
    return {
      id: row.id,
      hash: row.hash,
      ownerId: row.id,
      role: row.role,
      tenantId: row.tenant_id,
      kind: 'service',
      label: row.name,
      scopes: SCOPES[accessOf(row.access)],
      ...(row.revoked_at ? { revokedAt: new Date(row.revoked_at).toISOString() } : {}),
    };
  },
};

/**
 * How long a looked-up key is trusted. A revocation reaches this process's cache at once (and
 * every instance's with Redis); without Redis another instance's revocation takes this long.
 */
const KEY_CACHE_TTL_MS = 5000;
/** How often the "last used" times of keys are written, one statement for all of them. */
const LAST_USED_FLUSH_MS = 5000;

const globalState = globalThis as typeof globalThis & {
  __tekupKeyStore?: CachedApiKeyStore;
  __tekupKeysUsed?: Set<string>;
};

/**
 * The dashboard's keys as the gateway's {@link ApiKeyStore}: the gateway's authenticator parses
 * the presented key, looks its record up here and compares digests in constant time. Lookups are
 * cached per key (an authenticated request costs no database round trip); revocations
 * invalidate the cache through the revocation feed.
 */
export function keyStore(): CachedApiKeyStore {
  if (!globalState.__tekupKeyStore) {
    const store = createCachedApiKeyStore(tableKeyStore, { ttlMs: KEY_CACHE_TTL_MS });
    onRevocation((revocation) => {
      if (revocation.kind === 'api-key') store.invalidate(revocation.id);
    });
    globalState.__tekupKeyStore = store;
  }
  return globalState.__tekupKeyStore;
}

async function flushKeysUsed(): Promise<void> {
  const used = globalState.__tekupKeysUsed;
  if (!used || used.size === 0) return;
  const ids = [...used];
  used.clear();
  const db = await database();
  await db.query('update dashboard_api_keys set last_used_at = now() where id = any($1::text[])', [
    ids,
  ]);
}

/**
 * Notes that a key authenticated a request. The keys page shows "last used" to the few seconds,
 * so uses are collected and written together instead of one UPDATE per request.
 */
export function recordKeyUse(record: ApiKeyRecord): void {
  if (!globalState.__tekupKeysUsed) {
    globalState.__tekupKeysUsed = new Set();
    const timer = setInterval(() => {
      flushKeysUsed().catch((error: unknown) =>
        console.warn(
          'key last-used times not written',
          error instanceof Error ? error.message : error,
        ),
      );
    }, LAST_USED_FLUSH_MS);
    timer.unref();
  }
  globalState.__tekupKeysUsed.add(record.id);
}

/** Writes pending "last used" times now (the keys page reads its own writes; shutdown). */
export function flushKeyUse(): Promise<void> {
  return flushKeysUsed();
}
