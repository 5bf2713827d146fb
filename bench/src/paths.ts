/** Where the product's built pieces are, from the repository root. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dashboardDir = join(root, 'examples', 'dashboard');
export const gatewayBin = join(root, 'packages', 'mcp-gateway', 'dist', 'node', 'bin.js');
export const fleetBin = join(root, 'packages', 'demo-servers', 'dist', 'cli.js');

/** Fails with the command to run when the packages or the dashboard are not built. */
export function assertBuilt(): void {
  for (const [file, how] of [
    [gatewayBin, 'pnpm build'],
    [fleetBin, 'pnpm build'],
    [join(dashboardDir, '.next', 'BUILD_ID'), 'pnpm --filter @tekup/dashboard build'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`${how}\` first`);
  }
}
