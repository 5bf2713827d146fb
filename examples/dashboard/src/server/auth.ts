import 'server-only';
import { type ApiKeyPrincipal, verifyApiKey } from './api-keys';
import { ApiError, assertSameOrigin } from './http';
import { readSession } from './session';
import type { User } from './users';

/** Who called a route handler: a signed-in person or a server-to-server API key. */
export type Caller = { kind: 'user'; user: User } | { kind: 'api-key'; key: ApiKeyPrincipal };

function bearer(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/**
 * Authenticates a route handler request. Cookie sessions must pass the same-origin (CSRF) check on
 * state-changing methods; API keys may be used only where `allowApiKey` is set.
 */
export async function authenticate(request: Request, options: { allowApiKey?: boolean } = {}): Promise<Caller> {
  const token = bearer(request);
  if (token !== undefined) {
    if (!options.allowApiKey) throw new ApiError('unauthorized', 'API keys are not accepted here.');
    const key = await verifyApiKey(token);
    if (!key) throw new ApiError('unauthorized', 'Unknown or revoked API key.');
    return { kind: 'api-key', key };
  }
  const session = await readSession(request);
  if (!session) throw new ApiError('unauthorized', 'Sign in first.');
  assertSameOrigin(request);
  return { kind: 'user', user: session.user };
}

/** Authenticates a signed-in admin (cookie session only). */
export async function authenticateAdmin(request: Request): Promise<User> {
  const caller = await authenticate(request);
  if (caller.kind !== 'user' || caller.user.role !== 'admin') {
    throw new ApiError('forbidden', 'Only admins may do this.');
  }
  return caller.user;
}
