import type { NextConfig } from 'next';

const config: NextConfig = {
  // Server-only packages with native/wasm pieces or runtime file reads are loaded from
  // node_modules at run time instead of being bundled (the gateway brings its own pino,
  // prom-client, ioredis and pg with it).
  serverExternalPackages: [
    '@tekup/demo-servers',
    '@tekup/mcp-gateway',
    '@electric-sql/pglite',
    'ioredis',
    'pg',
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default config;
