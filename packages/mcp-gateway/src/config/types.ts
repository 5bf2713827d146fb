/** The gateway configuration with every default applied, as the core and the stages read it. */
import type { PolicyConfig } from '../policies/config.js';

/** Load-balancing strategy across a server's healthy instances. */
export type LoadBalancing = 'round-robin' | 'least-outstanding';

/** Per-tool safety overrides for when a server's annotations are missing or wrong. */
export interface ToolOverride {
  readOnly?: boolean;
  destructive?: boolean;
  idempotent?: boolean;
}

/**
 * How a server's data relates to organizations (tenants):
 * - `tenant`: separate data per organization; callers without a tenant are refused (the default,
 *   because it fails closed).
 * - `shared`: the same content for everyone (how-to documents); any authenticated caller.
 * - `internal`: the operator's own tooling; only principals of `operators.tenants` may list or
 *   call it.
 */
export type ServerTenancy = 'tenant' | 'shared' | 'internal';

/** One server with every default applied. */
export interface ServerConfig {
  readonly name: string;
  readonly instances: readonly string[];
  /** Extra headers sent upstream (e.g. `Authorization` for a gateway in front of a gateway). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * When the upstream is another gateway that trusts this one's key: the header that names, per
   * request, the user this gateway acts for (`{"id","role","tenantId"}` JSON). Unset: no header.
   */
  readonly onBehalfHeader: string | undefined;
  /** @default 30000 */
  readonly toolCallTimeoutMs: number;
  /** Timeout of every other upstream request. @default 10000 */
  readonly requestTimeoutMs: number;
  /**
   * Deadline of one attempt of a retry-safe request (reads, idempotent tools) when the server
   * has more than one instance: a hung instance holds its callers this long, then another
   * instance answers within the overall deadline. @default 5000
   */
  readonly attemptTimeoutMs: number;
  /** Cache TTL read by the cache stage. @default knowledge 900, database 300, code-intelligence 1800, others 60 */
  readonly cacheTtlSeconds: number;
  readonly loadBalancing: LoadBalancing;
  readonly tools: Readonly<Record<string, ToolOverride>>;
  /** Who may use the server and whose data it holds. @default 'tenant' */
  readonly tenancy: ServerTenancy;
  /**
   * Other servers over the same data (billy's invoices are the database's rows): a write here
   * also invalidates the writer's organization's cached reads of these (names of servers this
   * gateway does not serve are ignored). @default []
   */
  readonly invalidates: readonly string[];
}

/**
 * The organizations that run the fleet. Their principals may use `internal` servers; those of
 * them with one of `roles` also see infrastructure detail (instance URLs, last errors) in
 * `/servers`. Everyone else sees neither.
 */
export interface OperatorsConfig {
  /** @default [] (no one may use internal servers) */
  readonly tenants: readonly string[];
  /** @default ['admin'] */
  readonly roles: readonly string[];
}

/** The whole configuration with every default applied. */
export interface GatewayConfig {
  /** @default '' */
  readonly basePath: string;
  /** @default 1048576 (1 MiB) */
  readonly bodyLimitBytes: number;
  /** Deepest JSON nesting accepted from a caller; deeper is a 400 before any other work. @default 64 */
  readonly maxJsonDepth: number;
  /** Browser origins allowed (with credentials) besides localhost ones; `*` lets any origin call without credentials. */
  readonly allowedOrigins: readonly string[];
  /** Whether localhost origins of any port are allowed too. @default true */
  readonly allowLocalhostOrigins: boolean;
  /** HMAC secret for stateless session ids; share it across gateway instances. */
  readonly sessionSecret: string | undefined;
  /** @default 86400 */
  readonly sessionTtlSeconds: number;
  readonly healthCheck: { readonly intervalMs: number; readonly timeoutMs: number };
  readonly ejection: { readonly consecutiveFailures: number; readonly cooldownMs: number };
  readonly retry: {
    readonly maxAttempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
  };
  readonly servers: Readonly<Record<string, ServerConfig>>;
  readonly operators: OperatorsConfig;
  /**
   * The policy sections (`auth`, `rbac`, `rateLimit`, `cache`, `audit`), validated with the rest
   * of the file, for `createStages` / `createStagesFromConfig`.
   */
  readonly policies: PolicyConfig;
  /**
   * The top-level sections other than the core's, as written (after `${ENV}` interpolation):
   * the policy sections — validated into {@link GatewayConfig.policies} — and any a host adds.
   */
  readonly extra: Readonly<Record<string, unknown>>;
}
