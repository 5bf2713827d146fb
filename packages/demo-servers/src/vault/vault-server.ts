import type { CreateTaskRequestHandlerExtra } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ServerContext, ServerRuntime } from '../core/server-runtime.js';
import { resultLimitInput } from '../core/inputs.js';
import { createSnippet, createTextIndex, type IndexHit } from '../core/text-index.js';
import { toolResult } from '../core/tool-result.js';
import type { VaultDocument } from '../demo-data.js';
import { DemoServerError } from '../errors.js';
import { READS } from '../core/annotations.js';

/** Turns texts into embedding vectors (the seam for real semantic search). */
export interface EmbeddingProvider {
  /** Short name shown in results, e.g. `openai:text-embedding-3-small`. */
  name: string;
  embed(texts: string[]): Promise<number[][]>;
}

/** Options for {@link createOpenAiEmbeddingProvider}. */
interface OpenAiEmbeddingOptions {
  apiKey: string;
  /** @default 'https://api.openai.com/v1' */
  baseUrl?: string;
  /** @default 'text-embedding-3-small' */
  model?: string;
}

/** An {@link EmbeddingProvider} on the OpenAI-compatible `/embeddings` endpoint. */
export function createOpenAiEmbeddingProvider(options: OpenAiEmbeddingOptions): EmbeddingProvider {
  const model = options.model ?? 'text-embedding-3-small';
  const baseUrl = (options.baseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
  return {
    name: `openai:${model}`,
    embed: async (texts) => {
      const response = await fetch(`${baseUrl}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
        body: JSON.stringify({ model, input: texts }),
        signal: AbortSignal.timeout(15_000),
      });
      if (!response.ok) throw new Error(`embeddings request failed with HTTP ${response.status}`);
      const body = (await response.json()) as { data: { embedding: number[]; index: number }[] };
      return body.data.sort((a, b) => a.index - b.index).map((item) => item.embedding);
    },
  };
}

/** Options for {@link createVaultRuntime}. */
export interface VaultOptions {
  /**
   * `'auto'` uses OpenAI embeddings when `OPENAI_API_KEY` is set (falling back to BM25 on any
   * failure); `'off'` always ranks locally; or pass a provider. @default 'auto'
   */
  embeddings?: 'auto' | 'off' | EmbeddingProvider;
  /**
   * How long syncing one repository takes: the sync reports its progress per repository
   * (`notifications/progress` when the call carries a progress token). @default 250
   */
  syncStepMs?: number;
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index += 1) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
}

const hitSchema = z.object({
  id: z.string(),
  repository: z.string(),
  path: z.string(),
  title: z.string(),
  score: z.number(),
  snippet: z.string(),
});

const documentSchema = z.object({
  id: z.string(),
  repository: z.string(),
  path: z.string(),
  title: z.string(),
  content: z.string(),
  tags: z.array(z.string()),
  updatedAt: z.string(),
});

const rankingSchema = z.string().describe('"bm25" (local) or "embeddings:<provider>"');

/** Creates the TekupVault server: six search tools over the seeded vault documents. */
export function createVaultRuntime(
  context: ServerContext,
  options: VaultOptions = {},
): ServerRuntime {
  const documents: VaultDocument[] = structuredClone(context.data.vaultDocuments);
  const index = createTextIndex(
    documents.map((document) => ({
      id: document.id,
      title: document.title,
      text: `${document.content} ${document.tags.join(' ')}`,
    })),
  );
  const repositories = [...new Set(documents.map((document) => document.repository))].sort();
  const syncedAt = new Map(
    repositories.map((repository) => [repository, context.now.toISOString()]),
  );
  const setting = options.embeddings ?? 'auto';
  const apiKey = process.env.OPENAI_API_KEY;
  const provider: EmbeddingProvider | undefined =
    typeof setting === 'object'
      ? setting
      : setting === 'auto' && apiKey
        ? createOpenAiEmbeddingProvider({
            apiKey,
            ...(process.env.OPENAI_BASE_URL ? { baseUrl: process.env.OPENAI_BASE_URL } : {}),
          })
        : undefined;
  let documentVectors: Promise<number[][]> | undefined;
  const stepMs = options.syncStepMs ?? 250;

  const semanticSearch = async (
    query: string,
    limit: number,
  ): Promise<{ hits: IndexHit[]; ranking: string }> => {
    if (provider) {
      try {
        documentVectors ??= provider.embed(
          documents.map((document) => `${document.title}\n${document.content}`),
        );
        const [vectors, [queryVector]] = await Promise.all([
          documentVectors,
          provider.embed([query]),
        ]);
        const hits = vectors
          .map((vector, position) => ({
            id: documents[position]?.id ?? '',
            score: Math.round(cosine(vector, queryVector ?? []) * 1000) / 1000,
          }))
          .sort((a, b) => b.score - a.score)
          .slice(0, limit);
        return { hits, ranking: `embeddings:${provider.name}` };
      } catch {
        // A failing embedding service must not take search down: fall back to local ranking.
        documentVectors = undefined;
      }
    }
    return { hits: index.search(query, limit), ranking: 'bm25' };
  };

  const toHit = (hit: IndexHit, query: string) => {
    const document = documents.find((item) => item.id === hit.id) as VaultDocument;
    return {
      id: document.id,
      repository: document.repository,
      path: document.path,
      title: document.title,
      score: hit.score,
      snippet: createSnippet(document.content, query, 200),
    };
  };

  const findDocument = (id: string): VaultDocument => {
    const needle = id.trim();
    const document = documents.find(
      (item) => item.id === needle || `${item.repository}/${item.path}` === needle,
    );
    if (!document)
      throw new DemoServerError('not_found', `documentId: no vault document "${id}"`, {
        field: 'documentId',
      });
    return document;
  };

  const repositoryInput = z
    .string()
    .optional()
    .describe(`Repository, one of: ${repositories.join(', ')}`);
  const checkRepository = (repository: string | undefined) => {
    if (repository && !repositories.includes(repository)) {
      throw new DemoServerError(
        'not_found',
        `repository: unknown "${repository}"; known: ${repositories.join(', ')}`,
        { field: 'repository' },
      );
    }
  };

  /** One sync: a step per repository, reported as progress and as the task's status. */
  const runSync = async (
    taskId: string,
    repository: string | undefined,
    extra: CreateTaskRequestHandlerExtra,
  ): Promise<void> => {
    const synced = repositories.filter((name) => !repository || name === repository);
    const token = extra._meta?.progressToken;
    try {
      for (const [index, name] of synced.entries()) {
        if (stepMs > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, stepMs);
            extra.signal.addEventListener('abort', () => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
        // Cancelled (tasks/cancel) or the call given up on: the index is left as it was.
        if ((await extra.taskStore.getTask(taskId))?.status === 'cancelled') return;
        if (extra.signal.aborted) {
          await extra.taskStore.updateTaskStatus(taskId, 'cancelled', 'The sync was cancelled');
          return;
        }
        const message = `Synced ${name}`;
        await extra.taskStore.updateTaskStatus(
          taskId,
          'working',
          `${message} (${index + 1} of ${synced.length})`,
        );
        if (token !== undefined) {
          // Heard while the call is open (a call not run as a task); a task reports its status.
          await extra
            .sendNotification({
              method: 'notifications/progress',
              params: { progressToken: token, progress: index + 1, total: synced.length, message },
            })
            .catch(() => undefined);
        }
      }
      // The sync takes effect as a whole, at its end.
      const now = new Date().toISOString();
      for (const name of synced) syncedAt.set(name, now);
      documentVectors = undefined;
      await extra.taskStore.storeTaskResult(
        taskId,
        'completed',
        toolResult(`Synced ${synced.join(', ')}`, { synced, syncedAt: now }),
      );
    } catch (error) {
      await extra.taskStore
        .storeTaskResult(taskId, 'failed', {
          content: [{ type: 'text', text: `vault: the sync failed (${String(error)})` }],
          isError: true,
        })
        .catch(() => undefined);
    }
  };

  const register = (server: McpServer): void => {
    server.registerTool(
      'search_vault',
      {
        title: 'Semantic search in TekupVault',
        description:
          'Search the TekupVault index of Tekup repository docs and code notes by meaning. Returns ranked documents with a snippet.',
        inputSchema: {
          query: z
            .string()
            .trim()
            .min(2)
            .max(500)
            .describe('Natural-language question or keywords'),
          repository: repositoryInput,
          limit: resultLimitInput(),
        },
        outputSchema: { results: z.array(hitSchema), count: z.number(), ranking: rankingSchema },
        annotations: READS,
      },
      async ({ query, repository, limit }) => {
        checkRepository(repository);
        const { hits, ranking } = await semanticSearch(query, documents.length);
        const results = hits
          .map((hit) => toHit(hit, query))
          .filter((hit) => !repository || hit.repository === repository)
          .slice(0, limit ?? 5);
        return toolResult(
          results.length
            ? results
                .map(
                  (hit, position) =>
                    `${position + 1}. ${hit.title} (${hit.repository}/${hit.path})`,
                )
                .join('\n')
            : `Nothing in the vault matches "${query}"`,
          { results, count: results.length, ranking },
        );
      },
    );

    server.registerTool(
      'get_document',
      {
        title: 'Get vault document',
        description: 'Get the full text of one vault document by id or "repository/path".',
        inputSchema: {
          documentId: z
            .string()
            .min(1)
            .describe('Document id (e.g. "doc_004") or "tekup/tekup-billy/README.md"'),
        },
        outputSchema: { document: documentSchema },
        annotations: READS,
      },
      ({ documentId }) => {
        const document = findDocument(documentId);
        return toolResult(
          `${document.title} (${document.repository}/${document.path})\n\n${document.content}`,
          { document },
        );
      },
    );

    server.registerTool(
      'list_repositories',
      {
        title: 'List vault repositories',
        description: 'List the repositories indexed in TekupVault with their document counts.',
        inputSchema: {},
        outputSchema: {
          repositories: z.array(
            z.object({ name: z.string(), documentCount: z.number(), lastUpdated: z.string() }),
          ),
        },
        annotations: READS,
      },
      () => {
        const result = repositories.map((name) => {
          const own = documents.filter((document) => document.repository === name);
          return {
            name,
            documentCount: own.length,
            lastUpdated:
              own
                .map((document) => document.updatedAt)
                .sort()
                .at(-1) ?? '',
          };
        });
        return toolResult(result.map((item) => `${item.name}: ${item.documentCount}`).join('\n'), {
          repositories: result,
        });
      },
    );

    server.registerTool(
      'find_similar',
      {
        title: 'Find similar documents',
        description:
          'Find the vault documents most similar in content to a given document (TF-IDF cosine).',
        inputSchema: {
          documentId: z.string().min(1).describe('Document id, e.g. "doc_004"'),
          limit: resultLimitInput(),
        },
        outputSchema: { results: z.array(hitSchema), count: z.number(), ranking: rankingSchema },
        annotations: READS,
      },
      ({ documentId, limit }) => {
        const document = findDocument(documentId);
        const results = index
          .similar(document.id, limit ?? 5)
          .map((hit) => toHit(hit, document.title));
        return toolResult(
          `${results.length} document(s) similar to ${document.title}: ${results.map((hit) => hit.title).join(', ')}`,
          {
            results,
            count: results.length,
            ranking: 'tfidf-cosine',
          },
        );
      },
    );

    server.registerTool(
      'get_sync_status',
      {
        title: 'Get sync status',
        description:
          'Show when each repository was last synchronised into the vault and how many documents it holds.',
        inputSchema: { repository: repositoryInput },
        outputSchema: {
          repositories: z.array(
            z.object({
              name: z.string(),
              status: z.literal('synced'),
              lastSyncedAt: z.string(),
              documentCount: z.number(),
            }),
          ),
          indexedDocuments: z.number(),
          ranking: rankingSchema,
        },
        annotations: READS,
      },
      ({ repository }) => {
        checkRepository(repository);
        const result = repositories
          .filter((name) => !repository || name === repository)
          .map((name) => ({
            name,
            status: 'synced' as const,
            lastSyncedAt: syncedAt.get(name) ?? '',
            documentCount: documents.filter((document) => document.repository === name).length,
          }));
        return toolResult(
          result.map((item) => `${item.name}: synced ${item.lastSyncedAt}`).join('\n'),
          {
            repositories: result,
            indexedDocuments: documents.length,
            ranking: provider ? `embeddings:${provider.name}` : 'bm25',
          },
        );
      },
    );

    server.experimental.tasks.registerToolTask(
      'trigger_sync',
      {
        title: 'Trigger sync',
        description:
          'Re-synchronise one repository (or all) into the vault index. Safe to repeat. Long: may run as a task (poll it, cancel it).',
        inputSchema: { repository: repositoryInput },
        outputSchema: { synced: z.array(z.string()), syncedAt: z.string() },
        annotations: {
          readOnlyHint: false,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        },
        execution: { taskSupport: 'optional' },
      },
      {
        createTask: async ({ repository }, extra) => {
          checkRepository(repository);
          const task = await extra.taskStore.createTask({ ttl: 600_000, pollInterval: 500 });
          // The work goes on after the call answered with the task; its end is the task's result.
          void runSync(task.taskId, repository, extra);
          return { task };
        },
        getTask: async (_args, extra) => {
          const task = await extra.taskStore.getTask(extra.taskId);
          if (!task) throw new DemoServerError('not_found', `taskId: no task "${extra.taskId}"`);
          return task;
        },
        getTaskResult: async (_args, extra) =>
          (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
      },
    );
  };

  return {
    register,
    taskStore: new InMemoryTaskStore(),
    health: () => ({
      documents: documents.length,
      ranking: provider ? `embeddings:${provider.name}` : 'bm25',
    }),
  };
}
