import { asSchema, convertToModelMessages, type UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { compactSchemaForModel, toAiSdkTools, toolOutputForModel } from './ai';
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

  it('gives the model a structured result once: the text copy of its JSON is left out', async () => {
    const structuredContent = { invoices: [{ number: '1040', total: 5362.5 }] };
    const output = {
      content: [
        { type: 'text', text: '1 invoice, total 5.362,50 kr.' },
        { type: 'text', text: JSON.stringify(structuredContent) },
      ],
      structuredContent,
    };
    expect(toolOutputForModel(output)).toEqual({
      content: [{ type: 'text', text: '1 invoice, total 5.362,50 kr.' }],
      structuredContent,
    });
    // Text that is not that JSON, or a result without structured content, is left alone.
    const other = { content: [{ type: 'text', text: '{"invoices":[]}' }], structuredContent };
    expect(toolOutputForModel(other)).toEqual(other);
    const plain = { content: [{ type: 'text', text: '{"a":1}' }] };
    expect(toolOutputForModel(plain)).toBe(plain);

    const messages = [
      { id: 'u', role: 'user', parts: [{ type: 'text', text: 'invoices' }] },
      {
        id: 'a',
        role: 'assistant',
        parts: [
          {
            type: 'tool-billy__list_invoices',
            toolCallId: 'c1',
            state: 'output-available',
            input: {},
            output,
          },
        ],
      },
    ] as UIMessage[];
    const model = await convertToModelMessages(messages, { tools: toAiSdkTools(tools) });
    const sent = JSON.stringify(model);
    expect(sent).toContain('5.362,50 kr.');
    expect(sent.split('1040').length - 1).toBe(1);
  });

  it('shows the model a compact schema: no bookkeeping, no pattern where a format says it', async () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: {
        email: {
          type: 'string',
          format: 'email',
          pattern: '^.+@.+$',
          description: 'Invoice email',
        },
        zipcode: { type: 'string', pattern: '^\\d{4}$' },
        // a parameter may be called like a schema keyword
        pattern: { type: 'string', description: 'A glob' },
        lines: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: { qty: { type: 'number' } },
          },
        },
      },
      required: ['email'],
    };
    const compact = {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email', description: 'Invoice email' },
        zipcode: { type: 'string', pattern: '^\\d{4}$' },
        pattern: { type: 'string', description: 'A glob' },
        lines: {
          type: 'array',
          items: { type: 'object', properties: { qty: { type: 'number' } } },
        },
      },
      required: ['email'],
    };
    expect(compactSchemaForModel(schema)).toEqual(compact);
    const [converted] = Object.values(
      toAiSdkTools([{ name: 'x__y', description: 'd', inputSchema: schema as never }]),
    );
    expect(await asSchema(converted!.inputSchema).jsonSchema).toEqual(compact);
  });
});
