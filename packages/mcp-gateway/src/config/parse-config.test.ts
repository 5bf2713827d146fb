import { describe, expect, it } from 'vitest';
import { parseConfig, parseConfigText } from './parse-config.js';
import { GatewayError } from '../errors.js';

function problem(input: unknown, env: Record<string, string> = {}): string {
  try {
    parseConfig(input, env);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('invalid_config');
    return (error as GatewayError).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseConfig', () => {
  it('accepts the smallest config and fills every default', () => {
    const config = parseConfig({
      servers: { billy: { instances: ['http://127.0.0.1:4101/mcp'] } },
    });
    expect(config.basePath).toBe('');
    expect(config.bodyLimitBytes).toBe(1024 * 1024);
    expect(config.healthCheck.intervalMs).toBe(30_000);
    expect(config.servers.billy).toMatchObject({
      name: 'billy',
      toolCallTimeoutMs: 30_000,
      requestTimeoutMs: 10_000,
      attemptTimeoutMs: 5_000,
      cacheTtlSeconds: 60,
      loadBalancing: 'round-robin',
      tenancy: 'tenant',
      invalidates: [],
    });
    expect(config.maxJsonDepth).toBe(64);
    expect(config.operators).toEqual({ tenants: [], roles: ['admin'] });
  });

  it('uses the plan cache TTLs for the known servers, and a per-server override', () => {
    const url = 'http://127.0.0.1:1/mcp';
    const config = parseConfig({
      servers: {
        knowledge: { instances: [url] },
        database: { instances: [url] },
        'code-intelligence': { instances: [url] },
        calendar: { instances: [url], cacheTtlSeconds: 5 },
      },
    });
    expect(config.servers.knowledge?.cacheTtlSeconds).toBe(900);
    expect(config.servers.database?.cacheTtlSeconds).toBe(300);
    expect(config.servers['code-intelligence']?.cacheTtlSeconds).toBe(1800);
    expect(config.servers.calendar?.cacheTtlSeconds).toBe(5);
  });

  it('names the key and the problem', () => {
    expect(problem({ servers: { billy: { instances: ['ftp://x'] } } })).toContain(
      'servers.billy.instances[0]: must be an http(s) URL',
    );
    expect(problem({ servers: { billy: { instances: [] } } })).toContain(
      'servers.billy.instances: needs at least one instance URL',
    );
    expect(problem({ servers: {} })).toContain('servers: needs at least one server');
    expect(problem({})).toContain('servers:');
    expect(
      problem({ servers: { billy: { instances: ['http://a'], timeouts: { toolCallMs: -1 } } } }),
    ).toContain('servers.billy.timeouts.toolCallMs');
    expect(problem({ servers: { billy: { instances: ['http://a'], instancez: [] } } })).toContain(
      'servers.billy',
    );
    expect(problem({ servers: { 'bad name!': { instances: ['http://a'] } } })).toContain(
      'servers.bad name!',
    );
    expect(problem({ basePath: 'api', servers: { billy: { instances: ['http://a'] } } })).toContain(
      'basePath',
    );
    expect(problem(null)).toContain('(root)');
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${NAME} syntax is what is under test
  it('interpolates ${ENV} and applies MCP_GATEWAY_* overrides', () => {
    const config = parseConfig(
      {
        servers: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: interpolation syntax under test
          billy: { instances: ['http://a/mcp'], headers: { Authorization: 'Bearer ${BILLY_KEY}' } },
          'code-intelligence': { instances: ['http://b/mcp'] },
        },
      },
      {
        BILLY_KEY: 'k-123',
        MCP_GATEWAY_BASE_PATH: '/api/gateway',
        MCP_GATEWAY_SERVER_CODE_INTELLIGENCE_INSTANCES: 'http://c/mcp, http://d/mcp',
      },
    );
    expect(config.servers.billy?.headers.Authorization).toBe('Bearer k-123');
    expect(config.basePath).toBe('/api/gateway');
    expect(config.servers['code-intelligence']?.instances).toEqual([
      'http://c/mcp',
      'http://d/mcp',
    ]);
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: interpolation syntax under test
      problem({ servers: { billy: { instances: ['http://a'], headers: { A: '${MISSING}' } } } }),
    ).toContain('servers.billy.headers.A: environment variable MISSING is not set');
  });

  it('keeps unknown sections for the policy stages', () => {
    const config = parseConfig({
      servers: { billy: { instances: ['http://a'] } },
      auth: { keys: [] },
    });
    expect(config.extra.auth).toEqual({ keys: [] });
  });
});

describe('parseConfigText', () => {
  it('reads YAML and reports unreadable text', () => {
    const config = parseConfigText(
      'servers:\n  billy:\n    instances: [http://127.0.0.1:4101/mcp]\n',
      'yaml',
    );
    expect(config.servers.billy?.instances).toEqual(['http://127.0.0.1:4101/mcp']);
    expect(() => parseConfigText('{ nope', 'json')).toThrow(/not valid JSON/);
  });
});
