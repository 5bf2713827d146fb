/**
 * @module @tekup/demo-servers/manifest
 * What the fleet is, as plain data: the servers, their ports, whose data each holds and which
 * servers read the same data. The gateway configuration of every host (the dashboard, the e2e
 * gateway, deploy/gateway.config.yaml) is built from or checked against this one declaration.
 * No Node built-ins: any runtime may import it.
 */
import { TENANTS } from './tenants.js';

export { TENANTS, type Tenant } from './tenants.js';

/** The demo fleet's server names, in the order hosts show them. */
export const SERVER_NAMES = [
  'billy',
  'calendar',
  'knowledge',
  'database',
  'vault',
  'code-intelligence',
] as const;

/** One demo server name. */
export type ServerName = (typeof SERVER_NAMES)[number];

/** Default port of each server; instance k (0-based) listens on port + 10 * k. */
export const DEFAULT_PORTS: Record<ServerName, number> = {
  billy: 4101,
  database: 4102,
  knowledge: 4103,
  'code-intelligence': 4104,
  vault: 4105,
  calendar: 4106,
};

/**
 * Who may use each server — the one place this is declared for the fleet:
 * - `tenant`: separate books per organization; a call must name one (billy, calendar, database).
 * - `shared`: the same content for every organization (the knowledge base's how-tos).
 * - `internal`: the operator's own tooling, for the operator organizations only.
 * The servers enforce it on every tool call, and the gateway configured from it enforces it too.
 */
export const SERVER_TENANCY: Readonly<Record<ServerName, ServerTenancy>> = {
  billy: 'tenant',
  database: 'tenant',
  knowledge: 'shared',
  'code-intelligence': 'internal',
  vault: 'internal',
  calendar: 'tenant',
};

/** How a server's data relates to organizations; see {@link SERVER_TENANCY}. */
export type ServerTenancy = 'tenant' | 'shared' | 'internal';

/** The organizations that run the fleet and may use its `internal` servers (Tekup Demo ApS). */
export const OPERATOR_TENANTS: readonly string[] = [TENANTS[0].id];

/**
 * Servers that read data another server writes: a write through the key invalidates the
 * writer's organization's cached reads of the listed servers too (billy's invoices and the
 * calendar's bookings are rows of the database server).
 */
export const DATA_FEEDS: Readonly<Partial<Record<ServerName, readonly ServerName[]>>> = {
  billy: ['database'],
  calendar: ['database'],
};

/** A server's tenancy and data feeds in the gateway configuration's words (`servers.<name>`). */
export function serverPolicy(name: ServerName): {
  tenancy: ServerTenancy;
  invalidates: ServerName[];
} {
  return { tenancy: SERVER_TENANCY[name], invalidates: [...(DATA_FEEDS[name] ?? [])] };
}

/** The servers every organization may use (tenant and shared ones), in {@link SERVER_NAMES} order. */
export const ORGANIZATION_SERVERS: readonly ServerName[] = SERVER_NAMES.filter(
  (name) => SERVER_TENANCY[name] !== 'internal',
);
