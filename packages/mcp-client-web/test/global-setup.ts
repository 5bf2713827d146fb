import type { TestProject } from 'vitest/node';
import { startModernServer } from './modern-fixture';
import { startSdkFixture } from './sdk-fixture';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Gateway-style base URL of official SDK servers in session mode. */
    sdkGateway: string;
    /** Base URL of the 2026-07-28 fixture. */
    modernGateway: string;
  }
}

/** Starts Node-side fixtures for tests that run in other environments (edge runtime). */
export default async function setup(project: TestProject) {
  const sdk = await startSdkFixture({ mode: 'session' });
  const modern = await startModernServer();
  project.provide('sdkGateway', sdk.gateway);
  project.provide('modernGateway', modern.gateway);
  return async () => {
    await sdk.close();
    await modern.close();
  };
}
