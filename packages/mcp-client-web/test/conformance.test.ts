import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/conformance.mjs', import.meta.url));

it('passes the @modelcontextprotocol/conformance client scenarios initialize, tools_call, sse-retry, elicitation defaults', async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [script, 'initialize', 'tools_call', 'sse-retry', 'elicitation-sep1034-client-defaults'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (exitCode) => resolve({ code: exitCode, output }));
  });
  expect(output).toContain('all 4 scenarios passed');
  expect(output).toContain('client-sse-retry-timing');
  expect(output).toContain('client-elicitation-sep1034-boolean-default');
  expect(output).not.toContain('FAILURE');
  expect(code).toBe(0);
}, 90_000);
