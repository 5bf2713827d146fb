/**
 * Benchmark child process: a gateway (no policy stages, silent logs, built-in metrics) in front
 * of `UPSTREAM_URL`, served by the node:http adapter. Prints its MCP URL; answers `cpu` on IPC.
 */
import { createGateway } from '@tekup/mcp-gateway';
import { createNodeFetch, serve } from '@tekup/mcp-gateway/node';

const upstream = process.env.UPSTREAM_URL;
if (upstream === undefined) throw new Error('UPSTREAM_URL is required');
const gateway = createGateway({
  servers: { bench: { instances: [upstream], tenancy: 'shared' } },
  healthChecks: false,
  fetch: createNodeFetch(),
});
const server = await serve(gateway, { port: 0 });
process.stdout.write(`${server.url}/mcp/bench\n`);
process.on('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});
process.on('message', () => process.send?.(process.cpuUsage()));
