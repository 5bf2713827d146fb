import { describe, expect, it } from 'vitest';
import type { UpstreamReply } from './messages.js';
import { createToolCatalog, type ListTools } from './tool-catalog.js';

const schema = { type: 'object' };

function lister(pages: UpstreamReply[]): ListTools & { calls: (string | undefined)[] } {
  const calls: (string | undefined)[] = [];
  const list = async (cursor: string | undefined) => {
    calls.push(cursor);
    await Promise.resolve();
    return pages[calls.length - 1] ?? { error: { code: -32603, message: 'no more pages' } };
  };
  return Object.assign(list, { calls });
}

describe('tool catalog', () => {
  it('loads every page once for concurrent callers', async () => {
    const list = lister([
      { result: { tools: [{ name: 'a', inputSchema: schema }], nextCursor: 'p2' } },
      {
        result: {
          tools: [{ name: 'b', inputSchema: schema, annotations: { readOnlyHint: true } }],
        },
      },
    ]);
    const catalog = createToolCatalog(list);
    const signal = new AbortController().signal;
    const [a, b] = await Promise.all([catalog.get('a', signal), catalog.get('b', signal)]);
    expect(a?.name).toBe('a');
    expect(b?.annotations).toEqual({ readOnlyHint: true });
    expect(list.calls).toEqual([undefined, 'p2']);
    expect(await catalog.get('missing', signal)).toBeUndefined();
    expect(list.calls).toHaveLength(2);
  });

  it('knows nothing after an error and tries again on the next call', async () => {
    const list = lister([
      { error: { code: -32603, message: 'down' } },
      { result: { tools: [{ name: 'a', inputSchema: schema }] } },
    ]);
    const catalog = createToolCatalog(list);
    const signal = new AbortController().signal;
    expect(await catalog.get('a', signal)).toBeUndefined();
    expect((await catalog.get('a', signal))?.name).toBe('a');
  });

  it('takes a complete listing that passed through, and forgets on a list change', async () => {
    const list = lister([{ result: { tools: [] } }]);
    const catalog = createToolCatalog(list);
    const signal = new AbortController().signal;
    catalog.remember({ tools: [{ name: 'a', inputSchema: schema }], nextCursor: 'more' });
    catalog.remember({ tools: [{ name: 'b', inputSchema: schema }] });
    expect((await catalog.get('b', signal))?.name).toBe('b');
    expect(list.calls).toHaveLength(0);
    catalog.forget();
    expect(await catalog.get('b', signal)).toBeUndefined();
    expect(list.calls).toHaveLength(1);
  });
});
