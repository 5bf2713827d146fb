import { asSchema } from 'ai';
import { describe, expect, it } from 'vitest';
import { toAiSdkTools } from './ai';
import type { GatewayTool } from './gateway-tool';
import { toolSpecs } from './tool-spec';

const tools: GatewayTool[] = [
  {
    name: 'billy__list_invoices',
    server: 'billy',
    tool: 'list_invoices',
    title: 'List invoices',
    description: 'Lists invoices',
    inputSchema: { type: 'object', properties: { limit: { type: 'number' } } },
    annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
    rawAnnotations: { readOnlyHint: true },
  },
  {
    name: 'billy__void_invoice',
    server: 'billy',
    tool: 'void_invoice',
    description: 'Voids an invoice',
    inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
    annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
  },
];

describe('AI SDK bridge', () => {
  it('builds tools with JSON schemas, annotations and no execute', async () => {
    const converted = toAiSdkTools(tools);
    expect(Object.keys(converted)).toEqual(['billy__list_invoices', 'billy__void_invoice']);
    const voidTool = converted.billy__void_invoice!;
    expect('execute' in voidTool).toBe(false);
    expect(voidTool.description).toBe('Voids an invoice');
    expect(await asSchema(voidTool.inputSchema).jsonSchema).toEqual(tools[1]!.inputSchema);
    expect(voidTool.metadata).toEqual({ annotations: tools[1]!.annotations });
    expect(converted.billy__list_invoices!.title).toBe('List invoices');
  });

  it('produces plain JSON specs that survive a round trip and convert on the server', () => {
    const specs = toolSpecs(tools);
    expect(specs[0]).toEqual({
      name: 'billy__list_invoices',
      description: 'Lists invoices',
      inputSchema: tools[0]!.inputSchema,
      annotations: tools[0]!.annotations,
      title: 'List invoices',
      server: 'billy',
    });
    const received = JSON.parse(JSON.stringify(specs)) as typeof specs;
    expect(Object.keys(toAiSdkTools(received))).toEqual(specs.map((spec) => spec.name));
  });

  it('describes a tool by its title when it has no description, and omits an empty one', () => {
    const [listed] = tools;
    const converted = toAiSdkTools([
      { ...listed!, name: 'a', description: '  ' },
      { ...listed!, name: 'b', description: '', title: undefined },
    ]);
    expect(converted.a!.description).toBe('List invoices');
    expect('description' in converted.b!).toBe(false);
  });
});
