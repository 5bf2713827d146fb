/**
 * `pnpm bench [name ...]`: runs the product's benchmarks (all of them by default), prints their
 * numbers and records them with the machine in bench/results/ and docs/benchmarks.md.
 */
import { benchColdStart } from './cold-start.js';
import { benchDashboardFront } from './dashboard-front.js';
import { benchGatewayOverhead } from './gateway-overhead.js';
import { benchLongThread } from './long-thread.js';
import { benchPromptTokens } from './prompt-tokens.js';

const benchmarks: Record<string, () => Promise<void>> = {
  'gateway-overhead': benchGatewayOverhead,
  'dashboard-front': benchDashboardFront,
  'cold-start': benchColdStart,
  'long-thread': benchLongThread,
  'prompt-tokens': benchPromptTokens,
};

const chosen = process.argv.slice(2);
for (const name of chosen) {
  if (!(name in benchmarks)) {
    console.error(`unknown benchmark "${name}"; expected: ${Object.keys(benchmarks).join(', ')}`);
    process.exit(2);
  }
}
for (const name of chosen.length ? chosen : Object.keys(benchmarks)) {
  console.log(`\n=== ${name}`);
  await benchmarks[name]?.();
}
process.exit(0);
