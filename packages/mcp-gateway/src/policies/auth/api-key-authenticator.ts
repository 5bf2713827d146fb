/**
 * Bearer API keys, stored as SHA-256 digests and compared in constant time.
 *
 * Key format: `tk_<live|test>_<16 hex id>_<43 base64url secret>`. The id is
 * public (it names the record and appears in audit rows); the whole key is the
 * secret. SHA-256 without a salt is the standard for API keys because each key
 * carries 256 random bits, so there is nothing to brute-force.
 */
import { GatewayError } from '../../errors.js';
import type { Authenticator, Clock, Principal } from '../../pipeline/types.js';
import { anonymousPrincipal, systemClock } from '../../pipeline/types.js';
import { constantTimeEqual, fromHex, sha256Bytes, sha256Hex, toHex } from '../hash.js';

/** A stored API key: never the key itself, only its digest. */
export interface ApiKeyRecord {
  /** The public id embedded in the key (16 hex characters). */
  id: string;
  /** Lower-case hex SHA-256 of the whole key. */
  hash: string;
  /** The owner (a user or a service); one owner may hold several active keys (rotation). */
  ownerId: string;
  /** RBAC role of requests made with this key. */
  role: string;
  tenantId?: string;
  /** `user` keys act as their owner; `service` keys (the default) are machines. */
  kind?: 'user' | 'service';
  /** May act on behalf of users through the on-behalf-of header (the dashboard's own key). */
  trusted?: boolean;
  /** When set, the roles a trusted key may assert for a user; any role otherwise. */
  onBehalfRoles?: string[];
  /** ISO time or epoch milliseconds after which the key is refused. */
  expiresAt?: string | number;
  /** ISO time or epoch milliseconds from which the key is refused. */
  revokedAt?: string | number;
  /** Free text for operators; the audit log shows it as the key's name. */
  label?: string;
  /** What the key may do (`billy:read`, `*:write`, …); absent: no scope limit. */
  scopes?: string[];
}

/** Looks up key records by id (a database, a secrets file, …). */
export interface ApiKeyStore {
  get(id: string): Promise<ApiKeyRecord | undefined> | ApiKeyRecord | undefined;
}

/** Options for {@link createApiKeyAuthenticator}. */
export interface ApiKeyAuthenticatorOptions {
  keys: readonly ApiKeyRecord[] | ApiKeyStore;
  /**
   * Requests without an `Authorization` header from a loopback address get the
   * anonymous principal. Off when keys are configured, unless turned on.
   * @default false
   */
  allowAnonymousLoopback?: boolean;
  /** Role of the anonymous loopback principal. @default 'anonymous' */
  anonymousRole?: string;
  /**
   * Header through which a trusted key names the user it acts for. Its value is
   * JSON: `{"id":"<user id>","role":"<role>","tenantId":"<tenant>"}` (`tenantId`
   * optional). Untrusted keys sending it get 403.
   * @default 'x-tekup-on-behalf-of'
   */
  trustedOnBehalfHeader?: string;
  /**
   * Called with each key that authenticated a request (for a batched "last used" time): after
   * every check passed, never for a wrong secret, a revoked or an expired key.
   */
  onUse?: (record: ApiKeyRecord) => void;
  clock?: Clock;
}

const keyPattern = /^tk_(live|test)_([0-9a-f]{16})_([A-Za-z0-9_-]{20,})$/;

function toMilliseconds(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : Date.parse(value);
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || plain.startsWith('127.');
}

function unauthorized(message: string): GatewayError {
  return new GatewayError('unauthorized', message);
}

function parseOnBehalf(value: string): { id: string; role: string; tenantId?: string } {
  if (value.length > 1024) {
    throw new GatewayError('invalid_request', 'The on-behalf-of header is too long');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new GatewayError('invalid_request', 'The on-behalf-of header is not valid JSON');
  }
  const candidate = parsed as { id?: unknown; role?: unknown; tenantId?: unknown };
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.id !== 'string' ||
    candidate.id === '' ||
    typeof candidate.role !== 'string' ||
    candidate.role === '' ||
    (candidate.tenantId !== undefined && typeof candidate.tenantId !== 'string')
  ) {
    throw new GatewayError(
      'invalid_request',
      'The on-behalf-of header needs {"id": string, "role": string, "tenantId"?: string}',
    );
  }
  return candidate.tenantId === undefined
    ? { id: candidate.id, role: candidate.role }
    : { id: candidate.id, role: candidate.role, tenantId: candidate.tenantId };
}

/**
 * Authenticates `Authorization: Bearer <key>` against hashed key records.
 * Missing or invalid keys → `unauthorized` (401); an untrusted key sending the
 * on-behalf-of header, or a trusted key asserting a role or tenant it may not
 * → `forbidden` (403). The key never travels further than this function.
 *
 * @example
 * const { key, record } = await generateApiKey({ ownerId: 'dashboard', role: 'service', trusted: true });
 * const authenticate = createApiKeyAuthenticator({ keys: [record] });
 * const principal = await authenticate(request, { remoteAddress });
 */
export function createApiKeyAuthenticator(options: ApiKeyAuthenticatorOptions): Authenticator {
  const clock = options.clock ?? systemClock;
  const header = (options.trustedOnBehalfHeader ?? 'x-tekup-on-behalf-of').toLowerCase();
  const anonymous: Principal = {
    ...anonymousPrincipal,
    role: options.anonymousRole ?? anonymousPrincipal.role,
  };
  const store: ApiKeyStore = Array.isArray(options.keys)
    ? ((records: readonly ApiKeyRecord[]) => {
        const byId = new Map(records.map((record) => [record.id, record]));
        return { get: (id: string) => byId.get(id) };
      })(options.keys)
    : (options.keys as ApiKeyStore);

  return async (request, info) => {
    const authorization = request.headers.get('authorization');
    if (authorization === null) {
      if (options.allowAnonymousLoopback && isLoopbackAddress(info.remoteAddress)) {
        if (request.headers.has(header)) {
          throw new GatewayError('forbidden', 'Anonymous callers may not act on behalf of users');
        }
        return anonymous;
      }
      throw unauthorized('Missing Authorization: Bearer <api key>');
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    const key = match?.[1];
    const parts = key === undefined ? null : keyPattern.exec(key);
    if (!key || !parts) throw unauthorized('Invalid API key');
    const id = parts[2] as string;

    const digest = await sha256Bytes(key);
    const record = await store.get(id);
    // Compare against a dummy digest when the id is unknown so both paths cost the same.
    const expected = record ? fromHex(record.hash) : new Uint8Array(32);
    if (!constantTimeEqual(digest, expected) || !record) throw unauthorized('Invalid API key');

    const now = clock.now();
    const revokedAt = toMilliseconds(record.revokedAt);
    if (revokedAt !== undefined && now >= revokedAt) throw unauthorized('API key revoked');
    const expiresAt = toMilliseconds(record.expiresAt);
    if (expiresAt !== undefined && now >= expiresAt) throw unauthorized('API key expired');

    const keyPrincipal: Principal = {
      id: record.ownerId,
      kind: record.kind ?? 'service',
      role: record.role,
      keyId: record.id,
      ...(record.label === undefined ? {} : { keyName: record.label }),
      ...(record.tenantId === undefined ? {} : { tenantId: record.tenantId }),
      ...(record.scopes === undefined ? {} : { scopes: record.scopes }),
    };

    const onBehalf = request.headers.get(header);
    if (onBehalf === null) {
      options.onUse?.(record);
      return keyPrincipal;
    }
    if (!record.trusted) {
      throw new GatewayError('forbidden', 'This API key may not act on behalf of users');
    }
    const user = parseOnBehalf(onBehalf);
    if (record.onBehalfRoles && !record.onBehalfRoles.includes(user.role)) {
      throw new GatewayError('forbidden', `This API key may not act with role "${user.role}"`);
    }
    if (record.tenantId !== undefined && user.tenantId !== record.tenantId) {
      throw new GatewayError('forbidden', 'This API key may not act for another tenant');
    }
    options.onUse?.(record);
    return {
      id: user.id,
      kind: 'user',
      role: user.role,
      keyId: record.id,
      ...(keyPrincipal.keyName === undefined ? {} : { keyName: keyPrincipal.keyName }),
      // A user acted for through a key can do no more than the key itself.
      ...(record.scopes === undefined ? {} : { scopes: record.scopes }),
      actor: keyPrincipal,
      ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }),
    };
  };
}

/** Fields of a new key's record. */
export type NewApiKey = Omit<ApiKeyRecord, 'id' | 'hash'> & {
  /** `live` for production, `test` for test environments. @default 'live' */
  environment?: 'live' | 'test';
};

/**
 * Creates a random API key (32 random bytes) and its record. Show `key` once
 * to its owner; store only `record`.
 *
 * @example
 * const { key, record } = await generateApiKey({ ownerId: 'svc-billing', role: 'billing' });
 * // key: 'tk_live_3f9c0a1b2c3d4e5f_Yk3...'
 */
export async function generateApiKey(
  fields: NewApiKey,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const { environment = 'live', ...rest } = fields;
  const id = toHex(crypto.getRandomValues(new Uint8Array(8)));
  const secret = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  const key = `tk_${environment}_${id}_${secret}`;
  return { key, record: { ...rest, id, hash: await sha256Hex(key) } };
}
