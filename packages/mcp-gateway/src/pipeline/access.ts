/**
 * The rules every principal is held to whatever policy stages run: tenancy (whose data a
 * server holds, and who may use it) and credential scopes. The core applies them to every
 * upstream-bound request, so no configuration can leave them out.
 */
import type { OperatorsConfig, ServerConfig } from '../config/types.js';
import { GatewayError } from '../errors.js';
import type { Principal, ToolSafety } from './types.js';

/** True when the principal belongs to an organization that runs the fleet. */
export function isOperatorTenant(principal: Principal, operators: OperatorsConfig): boolean {
  return principal.tenantId !== undefined && operators.tenants.includes(principal.tenantId);
}

/**
 * May the principal see infrastructure detail (instance URLs, upstream errors)? Operators of
 * the fleet with an operator role may; so may the anonymous principal, which only loopback
 * callers of a gateway without an auth section get (whoever runs it).
 */
export function seesInfrastructure(principal: Principal, operators: OperatorsConfig): boolean {
  if (principal.kind === 'anonymous') return true;
  return isOperatorTenant(principal, operators) && operators.roles.includes(principal.role);
}

/** May the principal know the server exists (`/servers`, listings)? */
export function mayDiscover(
  principal: Principal,
  server: ServerConfig,
  operators: OperatorsConfig,
): boolean {
  return server.tenancy !== 'internal' || isOperatorTenant(principal, operators);
}

/** Throws `forbidden` unless the principal may use the server at all. */
export function assertTenancy(
  principal: Principal,
  server: ServerConfig,
  operators: OperatorsConfig,
): void {
  if (server.tenancy === 'shared') return;
  if (principal.tenantId === undefined || principal.tenantId === '') {
    throw new GatewayError(
      'forbidden',
      `Server "${server.name}" keeps data per organization and this credential belongs to none`,
      { data: { reason: 'tenant_required' } },
    );
  }
  if (server.tenancy === 'internal' && !isOperatorTenant(principal, operators)) {
    throw new GatewayError(
      'forbidden',
      `Server "${server.name}" is internal to the operator's organization`,
      { data: { reason: 'internal_server' } },
    );
  }
}

/** What a tool needs from a scope: `read` for read-only tools, else `write`. */
export function neededScope(safety: ToolSafety | undefined): 'read' | 'write' {
  return safety?.readOnly && !safety.destructive ? 'read' : 'write';
}

/** True when the principal's scopes (if any) grant `access` on `server`. */
export function scopeAllows(
  principal: Principal,
  server: string,
  access: 'read' | 'write',
): boolean {
  const { scopes } = principal;
  if (scopes === undefined) return true;
  return scopes.includes(`${server}:${access}`) || scopes.includes(`*:${access}`);
}

/** Throws `forbidden` unless the principal's scopes grant `access` on the server. */
export function assertScope(principal: Principal, server: string, access: 'read' | 'write'): void {
  if (scopeAllows(principal, server, access)) return;
  throw new GatewayError(
    'forbidden',
    access === 'write'
      ? `This credential may only read: ${server} tools that change data need the "${server}:write" scope`
      : `This credential has no access to server "${server}"`,
    { data: { reason: 'scope', needed: `${server}:${access}` } },
  );
}
