/**
 * What the environment does to a configuration before it is validated: `${NAME}` inside
 * strings is replaced by `env[NAME]`, and `MCP_GATEWAY_*` variables override keys of the file.
 */

/** Environment variables by name. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Replaces `${NAME}` in every string; a missing variable is recorded in `problems` by key. */
export function interpolate(value: unknown, env: Env, path: string, problems: string[]): unknown {
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

/**
 * Applies `MCP_GATEWAY_BASE_PATH`, `MCP_GATEWAY_BODY_LIMIT_BYTES`, `MCP_GATEWAY_SESSION_SECRET`,
 * `MCP_GATEWAY_ALLOWED_ORIGINS`, `MCP_GATEWAY_HEALTH_INTERVAL_MS`,
 * `MCP_GATEWAY_SERVER_<NAME>_INSTANCES` and `MCP_GATEWAY_SERVER_<NAME>_AUTHORIZATION`.
 */
export function applyEnvOverrides(
  input: Record<string, unknown>,
  env: Env,
): Record<string, unknown> {
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
