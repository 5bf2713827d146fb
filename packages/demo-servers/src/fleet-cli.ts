import { DemoServerError } from './errors.js';
import { type FleetOptions, startFleet } from './fleet.js';
import { SERVER_NAMES, type ServerName } from './manifest.js';

/** Usage text of `tekup-demo-fleet`. */
const FLEET_USAGE = `Usage: tekup-demo-fleet [options]

Starts the Tekup MCP demo fleet (Streamable HTTP at /mcp, health at /health).

Options:
  --servers <list>       comma-separated subset of: ${SERVER_NAMES.join(', ')}
  --instances <n=k,...>  instances per server, e.g. billy=2 (repeatable)
  --base-port <port>     port of billy; the others follow (default 4101, 0 = ephemeral)
  --host <host>          interface to bind (default 127.0.0.1)
  --seed <n>             data seed
  --stateless            serve stateless Streamable HTTP (no sessions)
  -h, --help             show this help
`;

function isServerName(value: string): value is ServerName {
  return (SERVER_NAMES as readonly string[]).includes(value);
}

function integer(value: string | undefined, flag: string, min: number, max: number): number {
  const number = Number(value);
  if (value === undefined || !Number.isInteger(number) || number < min || number > max) {
    throw new DemoServerError(
      'invalid_argument',
      `${flag}: expected an integer from ${min} to ${max}, got "${value ?? ''}"`,
      { field: flag },
    );
  }
  return number;
}

/** Parses `tekup-demo-fleet` arguments; throws {@link DemoServerError} naming the bad flag. */
export function parseFleetArguments(argv: readonly string[]): FleetOptions | 'help' {
  const options: FleetOptions = {};
  const instances: Partial<Record<ServerName, number>> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const raw = argv[index] ?? '';
    const [flag, inline] =
      raw.startsWith('--') && raw.includes('=') && !raw.startsWith('--instances=')
        ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)]
        : raw.startsWith('--instances=')
          ? ['--instances', raw.slice('--instances='.length)]
          : [raw, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      index += 1;
      const next = argv[index];
      if (next === undefined || next.startsWith('--')) {
        throw new DemoServerError('invalid_argument', `${flag}: missing value`, { field: flag });
      }
      return next;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--servers': {
        const names = value()
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean);
        for (const name of names) {
          if (!isServerName(name))
            throw new DemoServerError(
              'unknown_server',
              `--servers: unknown server "${name}"; expected ${SERVER_NAMES.join(', ')}`,
              { field: '--servers' },
            );
        }
        options.servers = names as ServerName[];
        break;
      }
      case '--instances':
        for (const pair of value().split(',')) {
          const [name = '', count] = pair.split('=');
          if (!isServerName(name.trim()))
            throw new DemoServerError('unknown_server', `--instances: unknown server "${name}"`, {
              field: '--instances',
            });
          instances[name.trim() as ServerName] = integer(count, '--instances', 1, 10);
        }
        break;
      case '--base-port':
        options.basePort = integer(value(), '--base-port', 0, 65_000);
        break;
      case '--host':
        options.host = value();
        break;
      case '--seed':
        options.seed = integer(value(), '--seed', 0, 2 ** 32 - 1);
        break;
      case '--stateless':
        options.stateless = true;
        break;
      default:
        throw new DemoServerError('invalid_argument', `unknown option "${raw}"\n\n${FLEET_USAGE}`, {
          field: raw,
        });
    }
  }
  if (Object.keys(instances).length > 0) options.instances = instances;
  return options;
}

/** Where {@link runFleetCli} writes and what stops it. */
export interface FleetCliIo {
  write(line: string): void;
  /** Aborting shuts the fleet down (the bin wires SIGINT/SIGTERM to it). */
  signal: AbortSignal;
}

/**
 * Runs `tekup-demo-fleet`: starts the fleet, prints the URLs, waits for the signal, closes.
 * Resolves with the process exit code; never throws.
 */
export async function runFleetCli(argv: readonly string[], io: FleetCliIo): Promise<number> {
  let options: FleetOptions | 'help';
  try {
    options = parseFleetArguments(argv);
  } catch (error) {
    io.write(`tekup-demo-fleet: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (options === 'help') {
    io.write(FLEET_USAGE);
    return 0;
  }
  let fleet: Awaited<ReturnType<typeof startFleet>>;
  try {
    fleet = await startFleet(options);
  } catch (error) {
    io.write(`tekup-demo-fleet: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  for (const server of fleet.servers) io.write(`${server.name.padEnd(18)} ${server.url}`);
  io.write('Ready. Press Ctrl+C to stop.');
  if (!io.signal.aborted) {
    await new Promise<void>((resolve) =>
      io.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  }
  io.write('Stopping…');
  await fleet.close();
  io.write('Stopped.');
  return 0;
}
