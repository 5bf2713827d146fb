/**
 * Stateless, signed `Mcp-Session-Id`s for 2025-03-26 … 2025-11-25 clients: the id itself
 * carries the negotiated protocol version, the principal it is bound to and its issue time,
 * signed with HMAC-SHA-256 (crypto.subtle). Any gateway instance holding the same secret can
 * verify it, so no session store is shared. Only revocation (DELETE) is per instance.
 */
import type { Clock } from '../pipeline/types.js';

/** What a session id carries. */
export interface SessionClaims {
  /** Negotiated protocol version. */
  protocolVersion: string;
  /** Principal id the session is bound to. */
  principalId: string;
  /** Logical server name. */
  server: string;
  /** Issue time, ms since the epoch. */
  issuedAt: number;
  /** What the client declared it can be asked (`InteractionKey`: `f`, `u`, `s`); '' for nothing. */
  interaction: string;
}

/** Issues and verifies session ids. */
export interface SessionCodec {
  issue(
    claims: Omit<SessionClaims, 'issuedAt' | 'interaction'> & { interaction?: string },
  ): Promise<string>;
  /** The claims, or undefined when the id is malformed, forged, expired or revoked. */
  verify(sessionId: string): Promise<SessionClaims | undefined>;
  revoke(sessionId: string): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    return bytes;
  } catch {
    return undefined;
  }
}

/**
 * Creates a session codec. Without a `secret` a random one is made: then sessions are valid
 * only on this instance (fine for one process; set `sessionSecret` when running several).
 */
export function createSessionCodec(options: {
  secret: string | undefined;
  ttlMs: number;
  clock: Clock;
}): SessionCodec {
  const secretBytes =
    options.secret === undefined
      ? crypto.getRandomValues(new Uint8Array(32))
      : encoder.encode(options.secret);
  const keyPromise = crypto.subtle.importKey(
    'raw',
    secretBytes,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  // Verified ids are memoised (bounded) so the hot path skips the HMAC.
  const verified = new Map<string, SessionClaims>();
  const revoked = new Map<string, number>();
  const maxEntries = 10_000;

  return {
    async issue(claims) {
      const payload = {
        v: 1,
        p: claims.protocolVersion,
        u: claims.principalId,
        s: claims.server,
        t: options.clock.now(),
        n: toBase64Url(crypto.getRandomValues(new Uint8Array(9))),
        ...(claims.interaction ? { i: claims.interaction } : {}),
      };
      const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
      const signature = await crypto.subtle.sign('HMAC', await keyPromise, encoder.encode(body));
      return `${body}.${toBase64Url(new Uint8Array(signature))}`;
    },
    async verify(sessionId) {
      if (sessionId.length > 512 || revoked.has(sessionId)) return undefined;
      let claims = verified.get(sessionId);
      if (claims === undefined) {
        const [body, signature, rest] = sessionId.split('.');
        if (body === undefined || signature === undefined || rest !== undefined) return undefined;
        const signatureBytes = fromBase64Url(signature);
        if (signatureBytes === undefined) return undefined;
        const valid = await crypto.subtle.verify(
          'HMAC',
          await keyPromise,
          signatureBytes,
          encoder.encode(body),
        );
        if (!valid) return undefined;
        const bodyBytes = fromBase64Url(body);
        if (bodyBytes === undefined) return undefined;
        try {
          const payload = JSON.parse(decoder.decode(bodyBytes)) as Record<string, unknown>;
          if (
            payload.v !== 1 ||
            typeof payload.p !== 'string' ||
            typeof payload.u !== 'string' ||
            typeof payload.s !== 'string' ||
            typeof payload.t !== 'number' ||
            (payload.i !== undefined && typeof payload.i !== 'string')
          ) {
            return undefined;
          }
          claims = {
            protocolVersion: payload.p,
            principalId: payload.u,
            server: payload.s,
            issuedAt: payload.t,
            interaction: typeof payload.i === 'string' ? payload.i : '',
          };
        } catch {
          return undefined;
        }
        if (verified.size >= maxEntries) verified.clear();
        verified.set(sessionId, claims);
      }
      if (options.clock.now() - claims.issuedAt > options.ttlMs) return undefined;
      return claims;
    },
    revoke(sessionId) {
      verified.delete(sessionId);
      if (revoked.size >= maxEntries) {
        const now = options.clock.now();
        for (const [id, at] of revoked) if (now - at > options.ttlMs) revoked.delete(id);
        if (revoked.size >= maxEntries) revoked.clear();
      }
      revoked.set(sessionId, options.clock.now());
    },
  };
}
