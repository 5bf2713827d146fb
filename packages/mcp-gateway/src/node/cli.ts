/**
 * The standalone server: `mcp-gateway --config <file> [--port <n>] [--host <addr>]`.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { join } from 'node:path';
import { parseConfig } from '../config/parse-config.js';
import { GatewayError } from '../errors.js';
import { createGateway } from '../gateway.js';
import type { Logger } from '../observability/logger.js';
import { createFileAuditSpool } from '../stores/file-audit-spool.js';
import { createStagesFromEnvironment } from './create-stages-from-config.js';
import { readConfigFile } from './load-config.js';
import { createNodeFetch } from './node-fetch.js';
import { createPromClientMetrics, createPromClientPolicyMetrics } from './prom-client-metrics.js';
import { type GatewayServer, serve } from './serve.js';

const usage = 'Usage: mcp-gateway --config <file.json|file.yaml> [--port <n>] [--host <address>]';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

/** Options of {@link runCli}. */
export interface CliOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** @default a pino logger on stdout at `LOG_LEVEL` (info) */
  logger?: Logger;
}

/**
 * Starts the standalone gateway from command-line arguments. Without an `auth` section the
 * gateway listens on loopback only and warns; with one, every request needs a valid key.
 *
 * @throws GatewayError `invalid_config` for a bad file or bad arguments.
 */
export async function runCli(
  argv: readonly string[],
  options: CliOptions = {},
): Promise<GatewayServer> {
  const env = options.env ?? process.env;
  let values: { config?: string; port?: string; host?: string; help?: boolean };
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new GatewayError('invalid_config', `${(error as Error).message}\n${usage}`);
  }
  if (values.help === true || values.config === undefined) {
    throw new GatewayError('invalid_config', usage);
  }
  const portText = values.port ?? env.PORT ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new GatewayError(
      'invalid_config',
      `--port: must be an integer 0-65535 (got "${portText}")`,
    );
  }
  const logger: Logger =
    options.logger ??
    pino({
      level: env.LOG_LEVEL ?? 'info',
      redact: {
        paths: ['*.authorization', '*.Authorization', '*.headers', '*.apiKey', '*.key'],
        censor: '[redacted]',
      },
    });
  // One validation of the whole file: the core's sections and the policy sections together.
  const config = parseConfig(await readConfigFile(values.config), env);
  const hasAuth = config.policies.auth !== undefined;
  let host = values.host ?? env.HOST ?? '127.0.0.1';
  if (!hasAuth && !loopbackHosts.has(host)) {
    logger.warn({ host }, 'no auth section: refusing to listen beyond loopback, using 127.0.0.1');
    host = '127.0.0.1';
  }
  // The policy stages (auth keys, rbac, rate limits, cache, audit) come from the same file.
  const metrics = createPromClientMetrics();
  const { audit } = config.policies;
  const policies = await createStagesFromEnvironment(config.policies, {
    env: { ...env },
    logger,
    metrics: createPromClientPolicyMetrics({ registry: metrics.registry }),
    // Answered calls keep their audit rows through a crash: spooled on disk until stored.
    ...(audit.enabled
      ? { auditSpool: createFileAuditSpool({ dir: join(audit.dataDir, 'audit-spool') }) }
      : {}),
  });
  const upstreamFetch = createNodeFetch();
  const gateway = createGateway({
    config,
    fetch: upstreamFetch,
    authenticate: policies.authenticate,
    stages: policies.stages,
    logger,
    metrics,
  });
  const server = await serve(gateway, { port, host });
  const close = server.close;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= close()
      .then(() => policies.close())
      .finally(() => upstreamFetch.close());
    return stopping;
  };
  logger.info(
    {
      url: server.url,
      servers: Object.keys(config.servers),
      engines: policies.engines,
      auth: hasAuth,
    },
    'mcp-gateway listening',
  );
  return { ...server, close: stop };
}
