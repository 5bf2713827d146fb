import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CallToolResultSchema,
  CancelTaskResultSchema,
  CreateTaskResultSchema,
  GetTaskResultSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBooks } from '../core/books.js';
import { createDemoData } from '../demo-data.js';
import { type RunningServer, startServer } from '../start-server.js';
import { connectTestClient, TEKUP_CALLER, type TestClient, textOf } from '../test-client.js';
import { createVaultRuntime, type EmbeddingProvider } from './vault-server.js';

const now = new Date('2026-03-04T09:30:00Z');
type Hit = { id: string; title: string; repository: string; score: number };

let server: RunningServer;
let client: TestClient;

beforeAll(async () => {
  server = await startServer('vault', { port: 0, now, embeddings: 'off' });
  client = await connectTestClient(server.url, { caller: TEKUP_CALLER });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

async function connectInMemory(
  provider: EmbeddingProvider | 'off',
  options: { syncStepMs?: number } = {},
): Promise<Client> {
  const data = createDemoData({ now });
  const runtime = createVaultRuntime(
    { data, now, books: createBooks(data) },
    { embeddings: provider, ...options },
  );
  const mcp = new McpServer(
    { name: 'vault-test', version: '0.0.0' },
    {
      capabilities: {
        tools: {},
        tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
      },
      ...(runtime.taskStore ? { taskStore: runtime.taskStore } : {}),
    },
  );
  runtime.register(mcp);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await mcp.connect(serverSide);
  const inMemory = new Client({ name: 't', version: '0' });
  await inMemory.connect(clientSide);
  return inMemory;
}

describe('vault', () => {
  it('has six tools', async () => {
    const { tools } = await client.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      [
        'find_similar',
        'get_document',
        'get_sync_status',
        'list_repositories',
        'search_vault',
        'trigger_sync',
      ].sort(),
    );
  });

  it('ranks locally with BM25', async () => {
    const result = await client.call('search_vault', {
      query: 'Row Level Security tenant policies',
    });
    const output = result.structuredContent as { results: Hit[]; ranking: string };
    expect(output.ranking).toBe('bm25');
    expect(output.results[0]?.title).toBe('Row Level Security per tenant');
    const scoped = await client.call('search_vault', {
      query: 'calendar',
      repository: 'tekup/renos-backend',
    });
    for (const hit of (scoped.structuredContent as { results: Hit[] }).results)
      expect(hit.repository).toBe('tekup/renos-backend');
  });

  it('gets documents, similar documents, repositories and sync status', async () => {
    const document = await client.call('get_document', {
      documentId: 'tekup/tekup-billy/docs/vat-reporting.md',
    });
    const id = (document.structuredContent as { document: { id: string } }).document.id;
    const similar = await client.call('find_similar', { documentId: id, limit: 3 });
    const hits = (similar.structuredContent as { results: Hit[] }).results;
    expect(hits).toHaveLength(3);
    expect(hits.map((hit) => hit.id)).not.toContain(id);
    const repositories = await client.call('list_repositories');
    const list = (
      repositories.structuredContent as { repositories: { name: string; documentCount: number }[] }
    ).repositories;
    expect(list.reduce((sum, item) => sum + item.documentCount, 0)).toBe(
      createDemoData({ now }).vaultDocuments.length,
    );
    const synced = await client.call('trigger_sync', { repository: 'tekup/tekup-vault' });
    const at = (synced.structuredContent as { syncedAt: string }).syncedAt;
    const status = await client.call('get_sync_status', { repository: 'tekup/tekup-vault' });
    expect(
      (status.structuredContent as { repositories: { lastSyncedAt: string }[] }).repositories[0]
        ?.lastSyncedAt,
    ).toBe(at);
  });

  it('reports the progress of a sync, one step per repository', async () => {
    const vault = await connectInMemory('off', { syncStepMs: 0 });
    const steps: { progress: number; total?: number; message?: string }[] = [];
    const result = await vault.callTool({ name: 'trigger_sync', arguments: {} }, undefined, {
      onprogress: (progress) => steps.push(progress),
    });
    const synced = (result.structuredContent as { synced: string[] }).synced;
    expect(synced.length).toBeGreaterThan(1);
    expect(steps).toEqual(
      synced.map((name, index) => ({
        progress: index + 1,
        total: synced.length,
        message: `Synced ${name}`,
      })),
    );
    await vault.close();
  });

  it('runs a sync as a task when asked: polled to its end, or cancelled part way', async () => {
    const vault = await connectInMemory('off', { syncStepMs: 20 });
    const start = () =>
      vault.request(
        {
          method: 'tools/call',
          params: { name: 'trigger_sync', arguments: {}, task: { ttl: 60_000 } },
        },
        CreateTaskResultSchema,
      );
    const { task } = await start();
    expect(task.status).toBe('working');
    let status = task.status;
    const seen = new Set<string>();
    while (status === 'working') {
      // Tasks are polled at the interval the server asks for (the protocol has no push for it).
      await new Promise((resolve) => setTimeout(resolve, Math.min(task.pollInterval ?? 50, 50)));
      const current = await vault.request(
        { method: 'tasks/get', params: { taskId: task.taskId } },
        GetTaskResultSchema,
      );
      status = current.status;
      if (current.statusMessage) seen.add(current.statusMessage);
    }
    expect(status).toBe('completed');
    expect([...seen].some((message) => message.startsWith('Synced '))).toBe(true);
    const result = await vault.request(
      { method: 'tasks/result', params: { taskId: task.taskId } },
      CallToolResultSchema,
    );
    expect((result.structuredContent as { synced: string[] }).synced.length).toBeGreaterThan(1);

    const second = (await start()).task;
    const cancelled = await vault.request(
      { method: 'tasks/cancel', params: { taskId: second.taskId } },
      CancelTaskResultSchema,
    );
    expect(cancelled.status).toBe('cancelled');
    await vault.close();
  });

  it('names the field for bad arguments', async () => {
    expect(textOf(await client.call('get_document', { documentId: 'doc_999' }))).toMatch(
      /^documentId: /,
    );
    expect(textOf(await client.call('search_vault', { query: 'x' }))).toMatch(/query/);
    expect(textOf(await client.call('get_sync_status', { repository: 'tekup/nope' }))).toMatch(
      /^repository: /,
    );
  });

  it('uses an embedding provider through the seam and falls back to BM25 when it fails', async () => {
    const vocabulary = ['vat', 'calendar', 'gateway'];
    const fake: EmbeddingProvider = {
      name: 'fake',
      embed: async (texts) =>
        texts.map((text) => vocabulary.map((word) => (text.toLowerCase().includes(word) ? 1 : 0))),
    };
    const working = await connectInMemory(fake);
    const result = await working.callTool({
      name: 'search_vault',
      arguments: { query: 'gateway' },
    });
    expect((result.structuredContent as { ranking: string }).ranking).toBe('embeddings:fake');
    expect((result.structuredContent as { results: Hit[] }).results[0]?.title).toMatch(/gateway/i);
    await working.close();

    const broken = await connectInMemory({
      name: 'broken',
      embed: async () => Promise.reject(new Error('offline')),
    });
    const fallback = await broken.callTool({
      name: 'search_vault',
      arguments: { query: 'gateway' },
    });
    expect(fallback.isError).toBeFalsy();
    expect((fallback.structuredContent as { ranking: string }).ranking).toBe('bm25');
    await broken.close();
  });
});
