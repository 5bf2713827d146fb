/**
 * Reads a configuration: `${ENV}` interpolation and `MCP_GATEWAY_*` overrides, one validation
 * of the whole file, then every default applied. Web-only (file reading lives in `./node`).
 */
import { parse as parseYaml } from 'yaml';
import { GatewayError } from '../errors.js';
import { CONFIG_DEFAULTS as defaults, defaultCacheTtlSeconds } from './defaults.js';
import { applyEnvOverrides, type Env, interpolate } from './environment.js';
import { coreSectionSchemas, gatewayConfigSchema } from './schema.js';
import type { GatewayConfig, ServerConfig } from './types.js';

const coreKeys = new Set(Object.keys(coreSectionSchemas));

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

function configError(problems: string[]): GatewayError {
  return new GatewayError('invalid_config', `Invalid gateway config: ${problems.join('; ')}`, {
    data: { problems },
  });
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
  const written = applyEnvOverrides(interpolated, env);
  const parsed = gatewayConfigSchema.safeParse(written);
  if (!parsed.success) {
    throw configError(
      parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  }
  const value = parsed.data;
  const servers: Record<string, ServerConfig> = {};
  for (const [name, server] of Object.entries(value.servers)) {
    servers[name] = {
      name,
      instances: server.instances,
      headers: server.headers ?? {},
      onBehalfHeader: server.onBehalfHeader?.toLowerCase(),
      toolCallTimeoutMs:
        server.timeouts?.toolCallMs ?? value.timeouts?.toolCallMs ?? defaults.timeouts.toolCallMs,
      requestTimeoutMs:
        server.timeouts?.requestMs ?? value.timeouts?.requestMs ?? defaults.timeouts.requestMs,
      attemptTimeoutMs:
        server.timeouts?.attemptMs ?? value.timeouts?.attemptMs ?? defaults.timeouts.attemptMs,
      cacheTtlSeconds: server.cacheTtlSeconds ?? defaultCacheTtlSeconds(name),
      loadBalancing: server.loadBalancing ?? value.loadBalancing ?? defaults.loadBalancing,
      tools: server.tools ?? {},
      tenancy: server.tenancy ?? defaults.tenancy,
      // A server this gateway does not serve has no cache here to invalidate.
      invalidates: (server.invalidates ?? []).filter((other) => other in value.servers),
    };
  }
  const extra: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(written)) {
    if (!coreKeys.has(key)) extra[key] = item;
  }
  return {
    basePath: value.basePath ?? defaults.basePath,
    bodyLimitBytes: value.bodyLimitBytes ?? defaults.bodyLimitBytes,
    maxJsonDepth: value.maxJsonDepth ?? defaults.maxJsonDepth,
    allowedOrigins: value.allowedOrigins ?? [],
    allowLocalhostOrigins: value.allowLocalhostOrigins ?? defaults.allowLocalhostOrigins,
    sessionSecret: value.sessionSecret,
    sessionTtlSeconds: value.sessionTtlSeconds ?? defaults.sessionTtlSeconds,
    healthCheck: {
      intervalMs: value.healthCheck?.intervalMs ?? defaults.healthCheck.intervalMs,
      timeoutMs: value.healthCheck?.timeoutMs ?? defaults.healthCheck.timeoutMs,
    },
    ejection: {
      consecutiveFailures:
        value.ejection?.consecutiveFailures ?? defaults.ejection.consecutiveFailures,
      cooldownMs: value.ejection?.cooldownMs ?? defaults.ejection.cooldownMs,
    },
    retry: {
      maxAttempts: value.retry?.maxAttempts ?? defaults.retry.maxAttempts,
      baseDelayMs: value.retry?.baseDelayMs ?? defaults.retry.baseDelayMs,
      maxDelayMs: value.retry?.maxDelayMs ?? defaults.retry.maxDelayMs,
    },
    servers,
    operators: {
      tenants: value.operators?.tenants ?? [],
      roles: value.operators?.roles ?? defaults.operators.roles,
    },
    policies: {
      auth: value.auth,
      rbac: value.rbac,
      rateLimit: value.rateLimit,
      cache: value.cache,
      audit: value.audit,
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
