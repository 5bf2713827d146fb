import 'server-only';
import {
  type Authenticator,
  type Principal,
  createApiKeyAuthenticator,
  isGatewayError,
} from '@tekup/mcp-gateway';
import { keyStore, recordKeyUse } from './api-keys';
import { ApiError, assertSameOrigin } from './http';
import { readSession } from './session';
import type { User } from './users';

/** Who called a route handler: a signed-in person or a server-to-server API key. */
export type Caller = { kind: 'user'; user: User } | { kind: 'api-key'; principal: Principal };

let apiKeyAuthenticator: Authenticator | undefined;

/** The gateway's API-key authenticator over the dashboard's key table. */
function authenticateApiKey(request: Request): Promise<Principal> {
  apiKeyAuthenticator ??= createApiKeyAuthenticator({ keys: keyStore(), onUse: recordKeyUse });
  return apiKeyAuthenticator(request, {});
}

/** The gateway principal of a signed-in dashboard user. */
export function userPrincipal(user: User): Principal {
  return { id: user.id, kind: 'user', role: user.role, tenantId: user.tenantId };
}

/** The gateway principal of any caller. */
export function principalOf(caller: Caller): Principal {
  return caller.kind === 'user' ? userPrincipal(caller.user) : caller.principal;
}

/**
 * Authenticates a route handler request. Cookie sessions must pass the same-origin (CSRF) check on
 * state-changing methods; API keys are accepted only where `allowApiKey` is set.
 */
export async function authenticate(
  request: Request,
  options: { allowApiKey?: boolean } = {},
): Promise<Caller> {
  if (request.headers.has('authorization')) {
    if (!options.allowApiKey) throw new ApiError('unauthorized', 'API keys are not accepted here.');
    try {
      return { kind: 'api-key', principal: await authenticateApiKey(request) };
    } catch (error) {
      if (isGatewayError(error))
        throw new ApiError(
          error.code === 'forbidden' ? 'forbidden' : 'unauthorized',
          error.message,
        );
      throw error;
    }
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
