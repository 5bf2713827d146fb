import { describe, expect, it } from 'vitest';
import { findToolRenderer, registerToolRenderer } from './renderers';

describe('tool renderer lookup', () => {
  it('finds props renderers by namespaced name, server/tool, server:tool or bare tool, before the registry', () => {
    const fromProps = () => 'props';
    const fromRegistry = () => 'registry';
    const unregister = registerToolRenderer('billy/list_invoices', fromRegistry);
    expect(findToolRenderer(undefined, 'billy__list_invoices', 'billy', 'list_invoices')).toBe(
      fromRegistry,
    );
    expect(
      findToolRenderer(
        { 'billy:list_invoices': fromProps },
        'billy__list_invoices',
        'billy',
        'list_invoices',
      ),
    ).toBe(fromProps);
    expect(findToolRenderer({ billy__list_invoices: fromProps }, 'billy__list_invoices')).toBe(
      fromProps,
    );
    expect(findToolRenderer({ list_invoices: fromProps }, 'x', 'billy', 'list_invoices')).toBe(
      fromProps,
    );
    unregister();
    expect(
      findToolRenderer(undefined, 'billy__list_invoices', 'billy', 'list_invoices'),
    ).toBeUndefined();
  });
});
