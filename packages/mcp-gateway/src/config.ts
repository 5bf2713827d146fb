/**
 * Gateway configuration: a zod schema with defaults, `${ENV}` interpolation and
 * `MCP_GATEWAY_*` environment overrides. Web-only (file reading lives in `./node`).
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GatewayError } from './errors.js';
import { DEFAULT_MAX_JSON_DEPTH } from './http/json-bounds.js';

/** Load-balancing strategy across a server's healthy instances. */
export type LoadBalancing = 'round-robin' | 'least-outstanding';

/** Per-tool safety overrides for when a server's annotations are missing or wrong. */
export interface ToolOverride {
  readOnly?: boolean;
  destructive?: boolean;
  idempotent?: boolean;
}

const httpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an http(s) URL' },
);

const positiveInt = z.number().int().positive();

const toolOverrideSchema = z.strictObject({
  readOnly: z.boolean().optional(),
  destructive: z.boolean().optional(),
  idempotent: z.boolean().optional(),
});

const loadBalancingSchema = z.enum(['round-robin', 'least-outstanding']);

/**
 * How a server's data relates to organizations (tenants):
 * - `tenant`: separate data per organization; callers without a tenant are refused (the default,
 *   because it fails closed).
 * - `shared`: the same content for everyone (how-to documents); any authenticated caller.
 * - `internal`: the operator's own tooling; only principals of `operators.tenants` may list or
 *   call it.
 */
export type ServerTenancy = 'tenant' | 'shared' | 'internal';

const tenancySchema = z.enum(['tenant', 'shared', 'internal']);

const serverSchema = z.strictObject({
  instances: z.array(httpUrl).min(1, { message: 'needs at least one instance URL' }),
  headers: z.record(z.string(), z.string()).optional(),
  onBehalfHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, { message: 'must be an HTTP header name' })
    .optional(),
  timeouts: z
    .strictObject({
      toolCallMs: positiveInt.optional(),
      requestMs: positiveInt.optional(),
      attemptMs: positiveInt.optional(),
    })
    .optional(),
  cacheTtlSeconds: z.number().int().min(0).optional(),
  loadBalancing: loadBalancingSchema.optional(),
  tools: z.record(z.string(), toolOverrideSchema).optional(),
  tenancy: tenancySchema.optional(),
  invalidates: z.array(z.string()).optional(),
});

const serverName = /^[a-z0-9][a-z0-9_-]{0,31}$/i;

/** Zod schema of the configuration file. Unknown top-level sections (auth, rbac, …) pass through for the policy stages. */
export const gatewayConfigSchema = z.looseObject({
  basePath: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)*$/, { message: "must be '' or a path like /api/gateway" })
    .optional(),
  bodyLimitBytes: positiveInt.optional(),
  maxJsonDepth: z.number().int().min(8).max(256).optional(),
  allowedOrigins: z.array(z.string()).optional(),
  allowLocalhostOrigins: z.boolean().optional(),
  sessionSecret: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  sessionTtlSeconds: positiveInt.optional(),
  loadBalancing: loadBalancingSchema.optional(),
  healthCheck: z
    .strictObject({ intervalMs: positiveInt.optional(), timeoutMs: positiveInt.optional() })
    .optional(),
  ejection: z
    .strictObject({
      consecutiveFailures: positiveInt.optional(),
      cooldownMs: positiveInt.optional(),
    })
    .optional(),
  retry: z
    .strictObject({
      maxAttempts: positiveInt.optional(),
      baseDelayMs: z.number().int().min(0).optional(),
      maxDelayMs: z.number().int().min(0).optional(),
    })
    .optional(),
  timeouts: z
    .strictObject({
      toolCallMs: positiveInt.optional(),
      requestMs: positiveInt.optional(),
      attemptMs: positiveInt.optional(),
    })
    .optional(),
  operators: z
    .strictObject({
      tenants: z.array(z.string().min(1)).optional(),
      roles: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  servers: z.record(z.string(), serverSchema).superRefine((servers, context) => {
    const names = Object.keys(servers);
    if (names.length === 0)
      context.addIssue({ code: 'custom', message: 'needs at least one server' });
    for (const name of names) {
      if (!serverName.test(name)) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: 'server names use letters, digits, "-" or "_" (at most 32)',
        });
      }
    }
  }),
});

/** The configuration as written in a file or passed to `createGateway`. */
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;

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
  /** Sections this package does not interpret (auth, rbac, rateLimit, cache, audit…), kept for the policy stages. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Default cache TTL per well-known Tekup server name (seconds). */
export const DEFAULT_CACHE_TTL_SECONDS: Readonly<Record<string, number>> = {
  knowledge: 900,
  database: 300,
  'code-intelligence': 1800,
};

const knownKeys = new Set([
  'basePath',
  'bodyLimitBytes',
  'maxJsonDepth',
  'allowedOrigins',
  'allowLocalhostOrigins',
  'sessionSecret',
  'sessionTtlSeconds',
  'loadBalancing',
  'healthCheck',
  'ejection',
  'retry',
  'timeouts',
  'operators',
  'servers',
]);

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

type Env = Readonly<Record<string, string | undefined>>;

function interpolate(value: unknown, env: Env, path: string, problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z0-9_]+)\}/g, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) {
        problems.push(`${path}: environment variable ${name} is not set`);
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolate(item, env, `${path}[${index}]`, problems));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = interpolate(item, env, path === '' ? key : `${path}.${key}`, problems);
    }
    return out;
  }
  return value;
}

function envKey(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function applyEnv(input: Record<string, unknown>, env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  const number = (name: string) => {
    const raw = env[name];
    return raw === undefined || raw === '' ? undefined : Number(raw);
  };
  if (env.MCP_GATEWAY_BASE_PATH !== undefined) out.basePath = env.MCP_GATEWAY_BASE_PATH;
  if (number('MCP_GATEWAY_BODY_LIMIT_BYTES') !== undefined) {
    out.bodyLimitBytes = number('MCP_GATEWAY_BODY_LIMIT_BYTES');
  }
  if (env.MCP_GATEWAY_SESSION_SECRET) out.sessionSecret = env.MCP_GATEWAY_SESSION_SECRET;
  if (env.MCP_GATEWAY_ALLOWED_ORIGINS) {
    out.allowedOrigins = env.MCP_GATEWAY_ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
  }
  if (number('MCP_GATEWAY_HEALTH_INTERVAL_MS') !== undefined) {
    out.healthCheck = {
      ...(out.healthCheck as object | undefined),
      intervalMs: number('MCP_GATEWAY_HEALTH_INTERVAL_MS'),
    };
  }
  const servers = out.servers;
  if (servers !== null && typeof servers === 'object' && !Array.isArray(servers)) {
    const next: Record<string, unknown> = { ...(servers as Record<string, unknown>) };
    for (const [name, server] of Object.entries(next)) {
      if (server === null || typeof server !== 'object') continue;
      const key = `MCP_GATEWAY_SERVER_${envKey(name)}`;
      const copy: Record<string, unknown> = { ...(server as Record<string, unknown>) };
      const instances = env[`${key}_INSTANCES`];
      if (instances) copy.instances = instances.split(',').map((url) => url.trim());
      const authorization = env[`${key}_AUTHORIZATION`];
      if (authorization) {
        copy.headers = { ...(copy.headers as object | undefined), Authorization: authorization };
      }
      next[name] = copy;
    }
    out.servers = next;
  }
  return out;
}

/**
 * Validates a configuration object and applies every default.
 *
 * `${NAME}` inside strings is replaced by `env[NAME]`; `MCP_GATEWAY_BASE_PATH`,
 * `MCP_GATEWAY_BODY_LIMIT_BYTES`, `MCP_GATEWAY_SESSION_SECRET`, `MCP_GATEWAY_ALLOWED_ORIGINS`,
 * `MCP_GATEWAY_HEALTH_INTERVAL_MS`, `MCP_GATEWAY_SERVER_<NAME>_INSTANCES` (comma-separated) and
 * `MCP_GATEWAY_SERVER_<NAME>_AUTHORIZATION` override the file.
 *
 * @throws GatewayError `invalid_config` whose message names each bad key and its problem.
 * @example
 * const config = parseConfig({ servers: { billy: { instances: ['http://127.0.0.1:4101/mcp'] } } });
 */
export function parseConfig(input: unknown, env: Env = {}): GatewayConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw configError(['(root): must be an object with a "servers" section']);
  }
  const problems: string[] = [];
  const interpolated = interpolate(input, env, '', problems) as Record<string, unknown>;
  if (problems.length > 0) throw configError(problems);
  const parsed = gatewayConfigSchema.safeParse(applyEnv(interpolated, env));
  if (!parsed.success) {
    throw configError(
      parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  }
  const value = parsed.data;
  const defaultBalancing = value.loadBalancing ?? 'round-robin';
  const servers: Record<string, ServerConfig> = {};
  for (const [name, server] of Object.entries(value.servers)) {
    servers[name] = {
      name,
      instances: server.instances,
      headers: server.headers ?? {},
      onBehalfHeader: server.onBehalfHeader?.toLowerCase(),
      toolCallTimeoutMs: server.timeouts?.toolCallMs ?? value.timeouts?.toolCallMs ?? 30_000,
      requestTimeoutMs: server.timeouts?.requestMs ?? value.timeouts?.requestMs ?? 10_000,
      attemptTimeoutMs: server.timeouts?.attemptMs ?? value.timeouts?.attemptMs ?? 5_000,
      cacheTtlSeconds: server.cacheTtlSeconds ?? DEFAULT_CACHE_TTL_SECONDS[name] ?? 60,
      loadBalancing: server.loadBalancing ?? defaultBalancing,
      tools: server.tools ?? {},
      tenancy: server.tenancy ?? 'tenant',
      // A server this gateway does not serve has no cache here to invalidate.
      invalidates: (server.invalidates ?? []).filter((other) => other in value.servers),
    };
  }
  const extra: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!knownKeys.has(key)) extra[key] = item;
  }
  return {
    basePath: value.basePath ?? '',
    bodyLimitBytes: value.bodyLimitBytes ?? 1024 * 1024,
    maxJsonDepth: value.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH,
    allowedOrigins: value.allowedOrigins ?? [],
    allowLocalhostOrigins: value.allowLocalhostOrigins ?? true,
    sessionSecret: value.sessionSecret,
    sessionTtlSeconds: value.sessionTtlSeconds ?? 86_400,
    healthCheck: {
      intervalMs: value.healthCheck?.intervalMs ?? 30_000,
      timeoutMs: value.healthCheck?.timeoutMs ?? 5_000,
    },
    ejection: {
      consecutiveFailures: value.ejection?.consecutiveFailures ?? 3,
      cooldownMs: value.ejection?.cooldownMs ?? 15_000,
    },
    retry: {
      maxAttempts: value.retry?.maxAttempts ?? 3,
      baseDelayMs: value.retry?.baseDelayMs ?? 25,
      maxDelayMs: value.retry?.maxDelayMs ?? 1_000,
    },
    servers,
    operators: {
      tenants: value.operators?.tenants ?? [],
      roles: value.operators?.roles ?? ['admin'],
    },
    extra,
  };
}

/**
 * Parses configuration text (JSON, or YAML when `format` is `yaml`) and validates it.
 *
 * @throws GatewayError `invalid_config`
 */
export function parseConfigText(
  text: string,
  format: 'json' | 'yaml',
  env: Env = {},
): GatewayConfig {
  let raw: unknown;
  try {
    raw = format === 'yaml' ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw configError([`(file): not valid ${format.toUpperCase()} (${(error as Error).message})`]);
  }
  return parseConfig(raw, env);
}

function configError(problems: string[]): GatewayError {
  return new GatewayError('invalid_config', `Invalid gateway config: ${problems.join('; ')}`, {
    data: { problems },
  });
}
