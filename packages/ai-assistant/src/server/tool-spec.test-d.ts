import type { GatewayTool } from '@tekup/mcp-client-web';
import { toolSpecs } from '@tekup/mcp-client-web/ai';
import { expectTypeOf, test } from 'vitest';
import type { ToolSpec } from './chat-request';
import { runToolLoop } from './run-tool-loop';

test('specs from mcp-client-web are accepted by runToolLoop', () => {
  const tools: GatewayTool[] = [];
  expectTypeOf(toolSpecs(tools)).toExtend<readonly ToolSpec[]>();
  void runToolLoop({
    prompt: 'x',
    tools: toolSpecs(tools),
    execute: async () => null,
  });
});

test('a plain JSON schema object is a ToolSpec input schema', () => {
  const spec: ToolSpec = {
    name: 'billy__list_invoices',
    description: '',
    inputSchema: {
      type: 'object',
      properties: { customer: { type: 'string' } } as Record<string, unknown>,
    },
  };
  expectTypeOf(spec.name).toEqualTypeOf<string>();
});
