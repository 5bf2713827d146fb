#!/usr/bin/env node
/**
 * @module bin
 * The `mcp-gateway` executable.
 */
import { isGatewayError } from '../errors.js';
import { runCli } from './cli.js';

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
