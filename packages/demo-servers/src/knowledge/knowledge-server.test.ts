import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../start-server.js';
import { connectTestClient, type TestClient, textOf } from '../test-client.js';
import { loadKnowledgeCorpus } from './knowledge-server.js';

let server: RunningServer;
let client: TestClient;

beforeAll(async () => {
  server = await startServer('knowledge', { port: 0 });
  client = await connectTestClient(server.url);
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

type Hit = { path: string; source: string; title: string; score: number; snippet: string };

describe('knowledge', () => {
  it('ships a corpus of Markdown how-tos', () => {
    const documents = loadKnowledgeCorpus();
    expect(documents.length).toBeGreaterThanOrEqual(8);
    expect(new Set(documents.map((document) => document.source))).toEqual(
      new Set(['billy', 'renos', 'platform']),
    );
  });

  it('offers prompts for frequent tasks, filled from their arguments', async () => {
    const { prompts } = await client.client.listPrompts();
    expect(prompts.map((prompt) => prompt.name).sort()).toEqual([
      'explain_howto',
      'overdue_followup',
      'report_vat',
    ]);
    expect(prompts.find((prompt) => prompt.name === 'report_vat')?.arguments).toEqual([
      expect.objectContaining({ name: 'quarter', required: true }),
    ]);
    const vat = await client.client.getPrompt({
      name: 'report_vat',
      arguments: { quarter: '2026-Q2' },
    });
    expect(vat.messages).toEqual([
      { role: 'user', content: { type: 'text', text: expect.stringContaining('2026-Q2') } },
    ]);
    await expect(
      client.client.getPrompt({ name: 'report_vat', arguments: { quarter: 'spring' } }),
    ).rejects.toThrow(/2026-Q2|quarter/);
  });

  it('ranks the relevant document first, with a snippet containing the terms', async () => {
    const vat = await client.call('search_docs', { query: 'VAT moms reporting deadline quarter' });
    const results = (vat.structuredContent as { results: Hit[] }).results;
    expect(results[0]?.path).toBe('billy/vat-moms.md');
    expect(results[0]?.snippet.toLowerCase()).toMatch(/quarter|deadline|report/);
    for (let index = 1; index < results.length; index += 1) {
      expect(results[index - 1]?.score ?? 0).toBeGreaterThanOrEqual(results[index]?.score ?? 0);
    }
    const booking = await client.call('search_docs', {
      query: 'book a free slot overlapping event',
    });
    expect((booking.structuredContent as { results: Hit[] }).results[0]?.path).toBe(
      'renos/calendar-booking.md',
    );
    const filtered = await client.call('search_docs', {
      query: 'invoice',
      source: 'platform',
      limit: 2,
    });
    const rows = (filtered.structuredContent as { results: Hit[] }).results;
    expect(rows.length).toBeLessThanOrEqual(2);
    for (const row of rows) expect(row.source).toBe('platform');
    const nothing = await client.call('search_docs', { query: 'xylophone zebra' });
    expect((nothing.structuredContent as { count: number }).count).toBe(0);
  });

  it('returns a whole document and lists the sources', async () => {
    const document = await client.call('get_doc', { path: 'billy/invoicing.md' });
    const output = document.structuredContent as {
      title: string;
      content: string;
      headings: string[];
    };
    expect(output.title).toBe('Invoicing in Billy');
    expect(output.headings).toContain('Approve');
    expect(textOf(document)).toContain('# Invoicing in Billy');
    const sources = await client.call('list_sources');
    const list = (
      sources.structuredContent as { sources: { source: string; documentCount: number }[] }
    ).sources;
    expect(list.reduce((sum, item) => sum + item.documentCount, 0)).toBe(
      loadKnowledgeCorpus().length,
    );
  });

  it('names the field for bad arguments', async () => {
    const missing = await client.call('get_doc', { path: '../package.json' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/^path: no document/);
    const short = await client.call('search_docs', { query: 'a' });
    expect(textOf(short)).toMatch(/query/);
    const source = await client.call('search_docs', { query: 'invoice', source: 'nowhere' });
    expect(textOf(source)).toMatch(/source/);
  });
});
