import { startServer } from '@tekup/demo-servers';
import { DEMO_MEMBER } from './demo-member';
import { createGateway } from '@tekup/mcp-gateway';
import type { TestProject } from 'vitest/node';
import { serveHandler } from './http-server';
import { startModernServer } from './modern-fixture';
import { startSdkFixture } from './sdk-fixture';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Gateway-style base URL of official SDK servers in session mode. */
    sdkGateway: string;
    /** Base URL of the 2026-07-28 fixture. */
    modernGateway: string;
    /** Base URL of the real gateway in front of the demo billy and calendar servers. */
    fleetGateway: string;
  }
}

/** Starts Node-side fixtures (SDK servers, a 2026-07-28 server, the gateway and demo fleet) for the edge-runtime tests. */
export default async function setup(project: TestProject) {
  const sdk = await startSdkFixture({ mode: 'session' });
  const modern = await startModernServer();
  const fleet = await Promise.all([
    startServer('billy', { port: 0 }),
    startServer('calendar', { port: 0 }),
  ]);
  const gateway = createGateway({
    servers: Object.fromEntries(fleet.map((server) => [server.name, { instances: [server.url] }])),
    healthChecks: false,
    // A member of the first demo organization: billy and calendar keep books per organization.
    authenticate: async () => DEMO_MEMBER,
  });
  const served = await serveHandler((request) => gateway.fetch(request));
  project.provide('sdkGateway', sdk.gateway);
  project.provide('modernGateway', modern.gateway);
  project.provide('fleetGateway', served.origin);
  return async () => {
    await sdk.close();
    await modern.close();
    await served.close();
    await gateway.close();
    await Promise.all(fleet.map((server) => server.close()));
  };
}
