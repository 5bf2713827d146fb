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
  __tekupBoot?: Promise<void>;
  [GATEWAY_FRONT]?: GatewayFront;
  [STOP]?: () => Promise<void>;
};

async function start(): Promise<void> {
  // Independent: the dashboard's database (and its seed) and the gateway with its fleet and
  // stores start side by side; neither waits for a first request.
  const [, dashboard] = await Promise.all([database().then(() => ensureSeeded()), runtime()]);
  const { gateway } = dashboard;
  globalState[STOP] = async () => {
    delete globalState[GATEWAY_FRONT];
    await dashboard.close();
    await (await database()).close();
  };
  // Upstream sessions are opened by the first health round, before readiness reports ready.
  await gateway.checkHealth();
  globalState[GATEWAY_FRONT] = {
    basePath: `${gateway.config.basePath}/`,
    handle: createNodeHandler(gateway),
  };
}

/**
 * Starts everything the dashboard serves with, once per process, at server start (see
 * `instrumentation.ts`): readiness (`/api/ready`) turns 200 when it has finished. A failure is
 * logged and the next caller of a store starts it again.
 */
export function boot(): Promise<void> {
  globalState.__tekupBoot ??= start().catch((error: unknown) => {
    globalState.__tekupBoot = undefined;
    console.error('dashboard start failed', error instanceof Error ? error.message : error);
  });
  return globalState.__tekupBoot;
}
