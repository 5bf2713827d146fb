import { createDemoData } from './demo-data.js';
import { DemoServerError } from './errors.js';
import { DEFAULT_PORTS, SERVER_NAMES, type ServerName } from './manifest.js';
import { type RunningServer, startServer } from './start-server.js';

/** Options for {@link startFleet}. */
export interface FleetOptions {
  /** Which servers to start. @default all of SERVER_NAMES */
  servers?: ServerName[];
  /** Instances per server (for load-balancing demos). @default 1 each */
  instances?: Partial<Record<ServerName, number>>;
  /**
   * Port of billy; every other server keeps its DEFAULT_PORTS offset from it, instance k adds
   * 10 * k. 0 makes every port ephemeral. @default 4101 (i.e. DEFAULT_PORTS)
   */
  basePort?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Reference "now" for seeded dates. @default new Date() */
  now?: Date;
  /** Data seed. @default DEFAULT_SEED */
  seed?: number;
  /** Serve stateless Streamable HTTP. @default false */
  stateless?: boolean;
}

/** A running fleet. */
export interface RunningFleet {
  /** MCP endpoint URLs per server, one per instance (servers not started map to []). */
  urls: Record<ServerName, string[]>;
  servers: RunningServer[];
  /** Stops every server; resolves when all ports and workers are released. */
  close(): Promise<void>;
}

function portFor(name: ServerName, instance: number, basePort: number): number {
  if (basePort === 0) return 0;
  return basePort + (DEFAULT_PORTS[name] - DEFAULT_PORTS.billy) + 10 * instance;
}

/**
 * Starts several demo servers (and instances) together; on any failure the ones already
 * started are stopped again.
 * @example
 * const fleet = await startFleet({ instances: { billy: 2 } });
 * console.log(fleet.urls.billy); // ['http://127.0.0.1:4101/mcp', 'http://127.0.0.1:4111/mcp']
 * await fleet.close();
 */
export async function startFleet(options: FleetOptions = {}): Promise<RunningFleet> {
  const names = options.servers ?? [...SERVER_NAMES];
  for (const name of names) {
    if (!(SERVER_NAMES as readonly string[]).includes(name)) {
      throw new DemoServerError(
        'unknown_server',
        `unknown server "${name}"; expected one of ${SERVER_NAMES.join(', ')}`,
      );
    }
  }
  const now = options.now ?? new Date();
  const data = createDemoData({
    now,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const basePort = options.basePort ?? DEFAULT_PORTS.billy;
  const plan = names.flatMap((name) => {
    const count = options.instances?.[name] ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 10) {
      throw new DemoServerError(
        'invalid_argument',
        `instances.${name}: must be an integer from 1 to 10`,
        { field: `instances.${name}` },
      );
    }
    return Array.from({ length: count }, (_, instance) => ({
      name,
      port: portFor(name, instance, basePort),
    }));
  });
  const settled = await Promise.allSettled(
    plan.map(({ name, port }) =>
      startServer(name, {
        port,
        now,
        data,
        ...(options.host ? { host: options.host } : {}),
        ...(options.stateless !== undefined ? { stateless: options.stateless } : {}),
      }),
    ),
  );
  const servers = settled.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failure = settled.find(
    (result): result is PromiseRejectedResult => result.status === 'rejected',
  );
  if (failure) {
    await Promise.all(servers.map((server) => server.close()));
    throw failure.reason;
  }
  const urls = Object.fromEntries(
    SERVER_NAMES.map((name) => [
      name,
      servers.filter((server) => server.name === name).map((server) => server.url),
    ]),
  ) as Record<ServerName, string[]>;
  return {
    urls,
    servers,
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
