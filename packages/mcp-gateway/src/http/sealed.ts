/**
 * Sealed continuation tokens: the answer ids and `requestState`s that let a client's answer to
 * an upstream's question reach the call that asked it from any gateway instance. Each is an
 * encrypted JWT (JWE, `dir` + A256GCM, by `jose`), so the client can neither read nor change
 * what it carries (the upstream session, the caller it belongs to); the key is derived with
 * HKDF from the shared `sessionSecret`.
 */
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Clock } from '../pipeline/types.js';

/** Seals and opens continuation tokens. */
export interface Sealer {
  seal(claims: Record<string, unknown>, ttlMs: number): Promise<string>;
  /** The claims, or undefined when the token is malformed, forged, for another purpose or expired. */
  open(token: string, purpose: string): Promise<Record<string, unknown> | undefined>;
}

const encoder = new TextEncoder();

async function deriveKey(secret: string | undefined): Promise<Uint8Array> {
  if (secret === undefined) return crypto.getRandomValues(new Uint8Array(32));
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(0),
      info: encoder.encode('tekup-mcp-gateway continuation v1'),
    },
    material,
    256,
  );
  return new Uint8Array(bits);
}

/**
 * Creates a sealer. Without a `secret` the key is random: tokens then open only on this
 * instance (set `sessionSecret` when running several).
 */
export function createSealer(options: { secret: string | undefined; clock: Clock }): Sealer {
  const keyPromise = deriveKey(options.secret);
  return {
    async seal(claims, ttlMs) {
      const now = options.clock.now();
      return new EncryptJWT(claims)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuedAt(Math.floor(now / 1000))
        .setExpirationTime(Math.ceil((now + ttlMs) / 1000))
        .encrypt(await keyPromise);
    },
    async open(token, purpose) {
      if (token.length > 16_384) return undefined;
      try {
        const { payload } = await jwtDecrypt(token, await keyPromise, {
          currentDate: new Date(options.clock.now()),
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
        });
        return payload.purpose === purpose ? (payload as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
