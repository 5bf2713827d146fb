/**
 * Reads the gateway configuration file (JSON or YAML) from disk.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../config/parse-config.js';
import type { GatewayConfig } from '../config/types.js';
import { GatewayError } from '../errors.js';

/** The file's parsed content before validation (policy sections included). */
export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new GatewayError(
      'invalid_config',
      `Cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      {
        cause: error,
      },
    );
  }
  const yaml = /\.ya?ml$/i.test(path);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new GatewayError(
      'invalid_config',
      `Invalid gateway config: ${path} is not valid ${yaml ? 'YAML' : 'JSON'} (${(error as Error).message})`,
      { cause: error },
    );
  }
}

/**
 * Loads, validates and resolves a configuration file (`.json`, `.yaml` or `.yml`);
 * `${NAME}` and `MCP_GATEWAY_*` come from `env`.
 *
 * @throws GatewayError `invalid_config` naming each bad key and its problem.
 * @example
 * const config = await loadConfig('gateway.yaml');
 */
export async function loadConfig(
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<GatewayConfig> {
  return parseConfig(await readConfigFile(path), env);
}
