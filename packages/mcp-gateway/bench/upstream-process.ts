/**
 * Benchmark child process: one fixture MCP server (JSON responses). Prints its URL.
 */
import { startFixtureServer } from '../test/fixtures/fixture-server.js';

const upstream = await startFixtureServer({ name: 'bench', jsonResponse: true });
process.stdout.write(`${upstream.url}\n`);
process.on('SIGTERM', () => {
  upstream.stop().then(() => process.exit(0));
});
process.on('message', () => process.send?.(process.cpuUsage()));
