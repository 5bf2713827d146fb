import { resolveToolSafety } from '@tekup/mcp-contract';
import { describe, expect, it } from 'vitest';
import { type GatewayTool, toGatewayTool } from './gateway-tool';
import { parseToolSpecs, toolSpecs } from './tool-spec';

const limits = { maxTools: 3, maxSchemaBytes: 200 };
const spec = (name: string, inputSchema: unknown = { type: 'object' }) => ({
  name,
  description: '',
  inputSchema,
});

describe('toolSpecs', () => {
  it('keeps what a chat route needs and drops the rest', () => {
    const tool: GatewayTool = {
      name: 'billy__list_invoices',
      server: 'billy',
      tool: 'list_invoices',
      description: 'Lists invoices',
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object' },
      annotations: resolveToolSafety({ readOnlyHint: true }),
      rawAnnotations: { readOnlyHint: true },
    };
    expect(toolSpecs([tool])).toEqual([
      {
        name: 'billy__list_invoices',
        server: 'billy',
        description: 'Lists invoices',
        inputSchema: { type: 'object' },
        annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
      },
    ]);
  });
});

describe('MCP App tools', () => {
  const listed = (name: string, meta: Record<string, unknown>) =>
    toGatewayTool(`billy__${name}`, 'billy', {
      name,
      inputSchema: { type: 'object' },
      _meta: meta,
    });

  it("reads a tool's app (both spellings) and keeps tools meant for their app away from the model", () => {
    const withView = listed('get_invoice', { ui: { resourceUri: 'ui://billy/invoice.html' } });
    const legacy = listed('show', { 'ui/resourceUri': 'ui://billy/show.html' });
    const appOnly = listed('refresh_view', { ui: { visibility: ['app'] } });
    const notUi = listed('odd', { ui: { resourceUri: 'https://example.com/x.html' } });
    expect(withView.ui).toEqual({
      resourceUri: 'ui://billy/invoice.html',
      visibility: ['model', 'app'],
    });
    expect(legacy.ui?.resourceUri).toBe('ui://billy/show.html');
    expect(appOnly.ui).toEqual({ visibility: ['app'] });
    // only ui:// resources are apps
    expect(notUi.ui).toBeUndefined();
    expect(toolSpecs([withView, legacy, appOnly, notUi]).map((spec) => spec.name)).toEqual([
      'billy__get_invoice',
      'billy__show',
      'billy__odd',
    ]);
  });
});

describe('parseToolSpecs', () => {
  it('accepts what toolSpecs sends, in canonical form', () => {
    const received = JSON.parse(
      JSON.stringify([
        {
          name: 'billy__create_invoice',
          description: 'Creates an invoice',
          inputSchema: { properties: { customer: { type: 'string' } } },
          annotations: { readOnly: false, destructive: true, future: 'dropped' },
          server: 'billy',
          title: 'Create invoice',
          extra: 'dropped',
        },
        { name: 'knowledge__search', inputSchema: { type: 'object' } },
      ]),
    );
    expect(parseToolSpecs(received, limits)).toEqual({
      ok: true,
      specs: [
        {
          name: 'billy__create_invoice',
          description: 'Creates an invoice',
          inputSchema: { type: 'object', properties: { customer: { type: 'string' } } },
          annotations: { readOnly: false, destructive: true },
          server: 'billy',
          title: 'Create invoice',
        },
        { name: 'knowledge__search', description: '', inputSchema: { type: 'object' } },
      ],
    });
  });

  it('reads an absent list as no tools', () => {
    expect(parseToolSpecs(undefined, limits)).toEqual({ ok: true, specs: [] });
    expect(parseToolSpecs(null, limits)).toEqual({ ok: true, specs: [] });
  });

  it.each([
    ['not an array', { a: 1 }, 'invalid'],
    ['a name over 64 characters', [spec('x'.repeat(65))], 'invalid'],
    ['a name with a space', [spec('has space')], 'invalid'],
    ['a duplicate', [spec('a'), spec('a')], 'invalid'],
    ['a schema of another type', [spec('a', { type: 'string' })], 'invalid'],
    ['a missing schema', [spec('a', null)], 'invalid'],
    ['a non-boolean hint', [{ ...spec('a'), annotations: { readOnly: 'yes' } }], 'invalid'],
    ['too many tools', [spec('a'), spec('b'), spec('c'), spec('d')], 'too_many_tools'],
    ['a schema over the limit', [spec('a', { description: 'x'.repeat(300) })], 'schema_too_large'],
  ])('refuses %s', (_case, value, code) => {
    const parsed = parseToolSpecs(value, limits);
    expect(parsed).toMatchObject({ ok: false, code });
  });

  it('names the tool whose schema is too large', () => {
    const parsed = parseToolSpecs([spec('billy__big', { description: 'x'.repeat(300) })], limits);
    expect(parsed.ok === false && parsed.message).toContain('billy__big');
  });
});
