// The dashboard's production server: Next.js for pages and routes, plus a direct path for the
// gateway front. `/api/gateway/*` is the hot path (every tool call of every user): once the
// front has started (src/server/boot.ts publishes it), its requests go straight to the gateway's
// node:http handler — the same gateway, stages and policy code as the route handler in
// src/app/api/gateway, without Next's per-request routing cost. Until then, and for every
// other path, Next answers.
import { createServer } from 'node:http';
import next from 'next';

const GATEWAY_FRONT = Symbol.for('tekup.dashboard.gateway-front');
const STOP = Symbol.for('tekup.dashboard.stop');
const port = Number(process.env.PORT || 3000);
// Not HOSTNAME: container runtimes set it to the container's name.
const hostname = process.env.HOST || '0.0.0.0';
const dev = process.env.NODE_ENV === 'development';

const app = next({ dev, dir: import.meta.dirname, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((incoming, outgoing) => {
  const front = globalThis[GATEWAY_FRONT];
  if (front && incoming.url?.startsWith(front.basePath)) {
    front.handle(incoming, outgoing);
    return;
  }
  handle(incoming, outgoing);
});
// Behind a load balancer idle connections must outlive its own keep-alive (often 60 s).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;
// A burst of new connections (a deploy, a reconnect storm) queues instead of being dropped.
server.listen({ port, host: hostname, backlog: 2048 }, () => {
  console.log(
    `dashboard listening on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`,
  );
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    // Flushes the audit log and closes stores and upstreams (src/server/boot.ts).
    const stop = globalThis[STOP];
    Promise.resolve(typeof stop === 'function' ? stop() : undefined)
      .catch((error) => console.error('shutdown', error))
      .finally(() => process.exit(0));
  });
}
