/** The hook through which a host app (the dashboard's session) supplies the principal. */
import { GatewayError } from '../../errors.js';
import type { Authenticator, Principal } from '../../pipeline/types.js';

/** Resolves the already-authenticated principal of a request, or `undefined` when there is none. */
export type PrincipalResolver = (
  request: Request,
  info: { remoteAddress?: string },
) => Promise<Principal | undefined> | Principal | undefined;

/** Options for {@link createHostAuthenticator}. */
export interface HostAuthenticatorOptions {
  /** Tried when the host finds no session (e.g. API keys for machine callers). */
  fallback?: Authenticator;
}

/**
 * An authenticator that trusts the host app: `resolve` reads the host's own
 * session (cookie, JWT) and returns its principal. No principal and no
 * fallback → `unauthorized`.
 *
 * @example
 * const authenticate = createHostAuthenticator(async (request) => {
 *   const session = await getSession(request);
 *   return session && { id: session.userId, kind: 'user', role: session.role, tenantId: session.orgId };
 * }, { fallback: createApiKeyAuthenticator({ keys }) });
 */
export function createHostAuthenticator(
  resolve: PrincipalResolver,
  options: HostAuthenticatorOptions = {},
): Authenticator {
  return async (request, info) => {
    const principal = await resolve(request, info);
    if (principal) return principal;
    if (options.fallback) return options.fallback(request, info);
    throw new GatewayError('unauthorized', 'Not signed in');
  };
}
