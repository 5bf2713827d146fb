#!/usr/bin/env node
/**
 * @module bin
 * The `mcp-gateway` executable.
 */
import { isGatewayError } from '../errors.js';
import { runCli } from './cli.js';

// The last line of defence: whatever a request does, the gateway keeps serving the others.
// Every promise has an owner in the code; this only logs one that slipped through.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `${JSON.stringify({ level: 50, time: Date.now(), msg: 'unhandled rejection; still serving', err: String(reason) })}\n`,
  );
});
process.on('uncaughtException', (error) => {
  process.stderr.write(
    `${JSON.stringify({ level: 50, time: Date.now(), msg: 'uncaught exception; still serving', err: String(error?.stack ?? error) })}\n`,
  );
});

runCli(process.argv.slice(2)).then(
  (server) => {
    let signals = 0;
    const shutdown = () => {
      signals++;
      if (signals > 1) process.exit(1);
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
  },
  (error: unknown) => {
    process.stderr.write(
      `${isGatewayError(error) ? error.message : `mcp-gateway failed to start: ${String(error)}`}\n`,
    );
    process.exit(2);
  },
);
