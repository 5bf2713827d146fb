/**
 * Who the gateway says is calling: the caller it sets in `params._meta` from the authenticated
 * principal only (a client-supplied one is stripped), the on-behalf-of header for an upstream
 * gateway, and the owner a session is bound to.
 */
import { CALLER_META_KEY } from '@tekup/mcp-contract';
import type { ServerConfig } from '../config/types.js';
import type { Principal } from '../pipeline/types.js';

/** The client's params without a caller of its own making in `_meta`. */
export function withoutCallerMeta(
  params: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const meta = params?._meta;
  if (
    params === undefined ||
    meta === null ||
    typeof meta !== 'object' ||
    !(CALLER_META_KEY in meta)
  ) {
    return params;
  }
  const { [CALLER_META_KEY]: _spoofed, ...rest } = meta as Record<string, unknown>;
  return { ...params, _meta: rest };
}

/** The params sent upstream: the caller in `_meta` is the authenticated principal. */
export function withCallerMeta(
  params: Record<string, unknown> | undefined,
  principal: Principal,
): Record<string, unknown> {
  const meta = (params?._meta as Record<string, unknown> | undefined) ?? {};
  const caller: Record<string, unknown> = { userId: principal.id, role: principal.role };
  if (principal.tenantId !== undefined) caller.tenantId = principal.tenantId;
  return { ...params, _meta: { ...meta, [CALLER_META_KEY]: caller } };
}

/**
 * The value of the on-behalf-of header that names `principal` to an upstream gateway trusting
 * this one's key: `{"id","role","tenantId"}` JSON.
 */
export function onBehalfValue(principal: Principal): string {
  const user: Record<string, string> = { id: principal.id, role: principal.role };
  if (principal.tenantId !== undefined) user.tenantId = principal.tenantId;
  return JSON.stringify(user);
}

/** The on-behalf-of header for an upstream gateway, when the server has one configured. */
export function onBehalfHeaders(
  server: ServerConfig,
  principal: Principal,
): Record<string, string> | undefined {
  if (server.onBehalfHeader === undefined || principal.kind === 'anonymous') return undefined;
  return { [server.onBehalfHeader]: onBehalfValue(principal) };
}

/** Sessions belong to whoever holds the connection: a trusted service acting for users keeps one. */
export function sessionOwner(principal: Principal): string {
  return principal.actor?.id ?? principal.id;
}
