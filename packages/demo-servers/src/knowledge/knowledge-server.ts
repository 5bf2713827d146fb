import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { packageRoot } from '../core/paths.js';
import type { ServerRuntime } from '../core/server-runtime.js';
import { resultLimitInput } from '../core/inputs.js';
import { createSnippet, createTextIndex } from '../core/text-index.js';
import { toolResult } from '../core/tool-result.js';
import { DemoServerError } from '../errors.js';
import { registerKnowledgePrompts } from './prompts.js';
import { READS } from '../core/annotations.js';

/** One Markdown document of the knowledge corpus. */
export interface KnowledgeDocument {
  /** Path inside the corpus, e.g. `billy/invoicing.md`. */
  path: string;
  /** First folder of the path, e.g. `billy`. */
  source: string;
  title: string;
  content: string;
  headings: string[];
}

const SOURCE_TITLES: Record<string, string> = {
  billy: 'Billy.dk accounting how-tos',
  renos: 'RenOS calendar and booking how-tos',
  platform: 'Tekup MCP platform documentation',
};

/** Directory of the shipped Markdown corpus. */
function knowledgeCorpusDirectory(): string {
  return join(packageRoot(), 'corpus', 'knowledge');
}

/** Loads every `*.md` file below `directory`. */
export function loadKnowledgeCorpus(
  directory: string = knowledgeCorpusDirectory(),
): KnowledgeDocument[] {
  const documents: KnowledgeDocument[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md')) {
        const content = readFileSync(full, 'utf8');
        const path = relative(directory, full).split(sep).join('/');
        const headings = [...content.matchAll(/^#{1,3}\s+(.+)$/gm)].map(
          (match) => match[1]?.trim() ?? '',
        );
        documents.push({
          path,
          source: path.includes('/') ? (path.split('/')[0] ?? 'general') : 'general',
          title: headings[0] ?? path,
          content,
          headings,
        });
      }
    }
  };
  walk(directory);
  return documents;
}

const resultSchema = z.object({
  path: z.string(),
  source: z.string(),
  title: z.string(),
  score: z.number(),
  snippet: z.string(),
});

/** Creates the knowledge server: search_docs, get_doc, list_sources over the Markdown corpus. */
export function createKnowledgeRuntime(_context: unknown, directory?: string): ServerRuntime {
  const documents = loadKnowledgeCorpus(directory);
  const index = createTextIndex(
    documents.map((document) => ({
      id: document.path,
      title: document.title,
      text: document.content,
    })),
  );
  const sources = [...new Set(documents.map((document) => document.source))].sort();

  const register = (server: McpServer): void => {
    server.registerTool(
      'search_docs',
      {
        title: 'Search documentation',
        description:
          'Full-text search (BM25) over the Tekup how-to documentation: invoicing in Billy, VAT (moms), calendar booking in RenOS, the MCP gateway and the AI assistant. Returns ranked documents with the best matching snippet.',
        inputSchema: {
          query: z
            .string()
            .trim()
            .min(2)
            .max(500)
            .describe('What to look for, e.g. "how do I approve an invoice"'),
          limit: resultLimitInput(),
          source: z
            .enum(sources as [string, ...string[]])
            .optional()
            .describe('Only documents from this source'),
        },
        outputSchema: { results: z.array(resultSchema), count: z.number() },
        annotations: READS,
      },
      ({ query, limit, source }) => {
        const hits = index.search(query, documents.length);
        const results = hits
          .map((hit) => ({ hit, document: documents.find((document) => document.path === hit.id) }))
          .filter(({ document }) => document && (!source || document.source === source))
          .slice(0, limit ?? 5)
          .map(({ hit, document }) => ({
            path: hit.id,
            source: document?.source ?? '',
            title: document?.title ?? '',
            score: hit.score,
            snippet: createSnippet(document?.content ?? '', query),
          }));
        return toolResult(
          results.length
            ? results
                .map(
                  (result, position) =>
                    `${position + 1}. ${result.title} (${result.path}) — ${result.snippet}`,
                )
                .join('\n')
            : `No documents match "${query}"`,
          { results, count: results.length },
        );
      },
    );

    server.registerTool(
      'get_doc',
      {
        title: 'Get document',
        description:
          'Get the full Markdown of one documentation page by its path (from search_docs or list_sources).',
        inputSchema: {
          path: z.string().min(1).max(300).describe('Document path, e.g. "billy/invoicing.md"'),
        },
        outputSchema: {
          path: z.string(),
          source: z.string(),
          title: z.string(),
          headings: z.array(z.string()),
          content: z.string(),
        },
        annotations: READS,
      },
      ({ path }) => {
        const wanted = path.trim().replace(/^\/+/, '');
        const document =
          documents.find((item) => item.path === wanted) ??
          documents.find(
            (item) => item.path === `${wanted}.md` || item.path.endsWith(`/${wanted}`),
          );
        if (!document) {
          throw new DemoServerError(
            'not_found',
            `path: no document "${path}"; known: ${documents.map((item) => item.path).join(', ')}`,
            { field: 'path' },
          );
        }
        return toolResult(document.content, {
          path: document.path,
          source: document.source,
          title: document.title,
          headings: document.headings,
          content: document.content,
        });
      },
    );

    server.registerTool(
      'list_sources',
      {
        title: 'List documentation sources',
        description: 'List the documentation sources and the documents (path and title) in each.',
        inputSchema: {},
        outputSchema: {
          sources: z.array(
            z.object({
              source: z.string(),
              title: z.string(),
              documentCount: z.number(),
              documents: z.array(z.object({ path: z.string(), title: z.string() })),
            }),
          ),
        },
        annotations: READS,
      },
      () => {
        const result = sources.map((source) => {
          const own = documents.filter((document) => document.source === source);
          return {
            source,
            title: SOURCE_TITLES[source] ?? source,
            documentCount: own.length,
            documents: own.map((document) => ({ path: document.path, title: document.title })),
          };
        });
        return toolResult(
          result.map((item) => `${item.source}: ${item.documentCount} document(s)`).join('\n'),
          { sources: result },
        );
      },
    );
  };

  return {
    register: (server: McpServer) => {
      register(server);
      registerKnowledgePrompts(server);
    },
    health: () => ({ documents: documents.length }),
  };
}
