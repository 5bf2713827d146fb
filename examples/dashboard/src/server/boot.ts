import 'server-only';
import { createNodeHandler, type NodeHandler } from '@tekup/mcp-gateway/node';
import { database } from './db';
import { runtime } from './gateway';
import { ensureSeeded } from './users';

/**
 * Where the custom server (`server.mjs`) finds the gateway front once it is up. A registry symbol
 * on `globalThis`, because the server file is plain Node and the front is built by Next.
 */
const GATEWAY_FRONT = Symbol.for('tekup.dashboard.gateway-front');
/** Where the custom server finds how to stop: flush the audit log, close stores and upstreams. */
const STOP = Symbol.for('tekup.dashboard.stop');

/** The gateway front as a node:http handler, for requests under `basePath`. */
interface GatewayFront {
  basePath: string;
  handle: NodeHandler;
}

const globalState = globalThis as typeof globalThis & {
  __tekupBoot?: Promise<boolean>;
  [GATEWAY_FRONT]?: GatewayFront;
  [STOP]?: () => Promise<void>;
};

/** Resolves to how long `promise` took, in whole milliseconds. */
async function timed<T>(
  promise: Promise<T>,
  into: Record<string, number>,
  name: string,
): Promise<T> {
  const started = performance.now();
  const value = await promise;
  into[name] = Math.round(performance.now() - started);
  return value;
}

async function start(): Promise<void> {
  const began = performance.now();
  const timings: Record<string, number> = {};
  // Independent: the dashboard's database (and its seed) and the gateway with its fleet and
  // stores start side by side; neither waits for a first request.
  const [, dashboard] = await Promise.all([
    timed(
      database().then(() => ensureSeeded()),
      timings,
      'database',
    ),
    timed(runtime(), timings, 'gateway'),
  ]);
  const { gateway, auditStore } = dashboard;
  globalState[STOP] = async () => {
    delete globalState[GATEWAY_FRONT];
    await dashboard.close();
    await (await database()).close();
  };
  // Upstream sessions are opened by the first health round, and the audit table migrated, before
  // readiness reports ready: the first tool call finds everything open.
  await Promise.all([
    timed(gateway.checkHealth(), timings, 'upstreams'),
    timed(auditStore.stats({ from: new Date() }), timings, 'audit'),
  ]);
  globalState[GATEWAY_FRONT] = {
    basePath: `${gateway.config.basePath}/`,
    handle: createNodeHandler(gateway),
  };
  console.log(
    `dashboard ready in ${Math.round(performance.now() - began)} ms (${Object.entries(timings)
      .map(([name, ms]) => `${name} ${ms} ms`)
      .join(', ')})`,
  );
}

/**
 * Starts everything the dashboard serves with, once per process, at server start (see
 * `instrumentation.ts`); resolves to whether it finished. Readiness (`/api/ready`) waits for it.
 * A failure is logged, and the next call (the next readiness probe) starts again.
 */
export function boot(): Promise<boolean> {
  globalState.__tekupBoot ??= start().then(
    () => true,
    (error: unknown) => {
      globalState.__tekupBoot = undefined;
      console.error('dashboard start failed', error instanceof Error ? error.message : error);
      return false;
    },
  );
  return globalState.__tekupBoot;
}
