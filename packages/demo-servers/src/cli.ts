/**
 * The `tekup-demo-fleet` command.
 * @module
 */
import { runFleetCli } from './fleet-cli.js';

const controller = new AbortController();
let stopping = false;
const stop = () => {
  if (stopping) process.exit(130);
  stopping = true;
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const code = await runFleetCli(process.argv.slice(2), {
  write: (line) => process.stdout.write(`${line}\n`),
  signal: controller.signal,
});
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
process.exitCode = code;
