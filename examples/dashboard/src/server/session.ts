import 'server-only';
import { randomUUID } from 'node:crypto';
import { sealData, unsealData } from 'iron-session';
import { LRUCache } from 'lru-cache';
import { env } from './env';
import { isSessionRevoked } from './revocations';
import type { User } from './users';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'tekup_session';
const SESSION_TTL_SECONDS = 60 * 60 * 12;

/** What the sealed session cookie carries. */
export interface SessionData {
  user: User;
  issuedAt: number;
  /** The session's id, for ending it server-side (sign out) before the cookie expires. */
  sid: string;
}

/** How long a session lasts, in milliseconds. */
export const SESSION_TTL_MS = SESSION_TTL_SECONDS * 1000;

function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

const globalState = globalThis as typeof globalThis & {
  __tekupOpenedSessions?: LRUCache<string, SessionData>;
};

/**
 * Sessions already unsealed, by their sealed value: every tool call of a signed-in user carries
 * the cookie, and unsealing (key derivation, decryption, MAC) is the most expensive step of it.
 * An entry lives as long as the session, a minute at most; a forged value never gets in.
 */
function opened(): LRUCache<string, SessionData> {
  globalState.__tekupOpenedSessions ??= new LRUCache({ max: 10_000, ttl: 60_000 });
  return globalState.__tekupOpenedSessions;
}

async function unseal(sealed: string): Promise<SessionData | undefined> {
  const cache = opened();
  const known = cache.get(sealed);
  if (known && Date.now() < known.issuedAt + SESSION_TTL_MS) return known;
  let data: Partial<SessionData>;
  try {
    data = await unsealData<Partial<SessionData>>(sealed, {
      password: env().sessionSecret,
      ttl: SESSION_TTL_SECONDS,
    });
  } catch {
    return undefined;
  }
  if (!data.user || typeof data.issuedAt !== 'number' || typeof data.sid !== 'string') {
    return undefined;
  }
  const session = data as SessionData;
  const left = session.issuedAt + SESSION_TTL_MS - Date.now();
  if (left > 0) cache.set(sealed, session, { ttl: Math.min(left, 60_000) });
  return session;
}

/** Opens a sealed session value; undefined when missing, tampered with, expired or signed out. */
export async function openSession(sealed: string | undefined): Promise<SessionData | undefined> {
  if (!sealed) return undefined;
  const session = await unseal(sealed);
  if (!session) return undefined;
  if (await isSessionRevoked(session.sid)) return undefined;
  return session;
}

/** Reads the session from a request's cookies. */
export function readSession(request: Request): Promise<SessionData | undefined> {
  return openSession(cookieValue(request.headers.get('cookie'), SESSION_COOKIE));
}

function isHttps(request: Request): boolean {
  return (
    new URL(request.url).protocol === 'https:' ||
    request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
  );
}

/** A `Set-Cookie` value holding a new sealed session for `user`. */
export async function sessionCookie(request: Request, user: User): Promise<string> {
  const sealed = await sealData(
    { user, issuedAt: Date.now(), sid: randomUUID() } satisfies SessionData,
    {
      password: env().sessionSecret,
      ttl: SESSION_TTL_SECONDS,
    },
  );
  const secure = isHttps(request) ? '; Secure' : '';
  return `${SESSION_COOKIE}=${sealed}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_SECONDS}${secure}`;
}

/** A `Set-Cookie` value that removes the session. */
export function clearedSessionCookie(request: Request): string {
  const secure = isHttps(request) ? '; Secure' : '';
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
}
