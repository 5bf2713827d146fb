/**
 * Starts the fixture server and a gateway in front of it on loopback, prints the gateway's
 * MCP URL, and keeps running until stdin closes or SIGTERM. Used by the conformance test.
 */
import { createGateway } from '../src/index.js';
import { serve } from '../src/node/index.js';
import { startFixtureServer } from '../test/fixtures/fixture-server.js';

const upstream = await startFixtureServer({ name: 'conformance' });
const gateway = createGateway({
  servers: { conformance: { instances: [upstream.url], tenancy: 'shared' } },
  healthChecks: false,
});
const server = await serve(gateway, { port: 0, host: '127.0.0.1' });
process.stdout.write(`${server.url}/mcp/conformance\n`);
const stop = async () => {
  await server.close();
  await upstream.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
