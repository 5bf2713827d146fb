import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerRuntime } from '../core/server-runtime.js';
import { toolResult } from '../core/tool-result.js';
import { DemoServerError } from '../errors.js';
import {
  createSourceTree,
  defaultCodeRoot,
  IGNORED_DIRECTORIES,
  MAX_FILE_BYTES,
} from './source-tree.js';
import { READS } from '../core/annotations.js';

export { defaultCodeRoot, MAX_FILE_BYTES };

/** Options for {@link createCodeIntelligenceRuntime}. */
export interface CodeIntelligenceOptions {
  /** Directory to serve. @default the monorepo root (nearest folder with pnpm-workspace.yaml) */
  root?: string;
}

type SymbolKind = 'function' | 'class' | 'interface' | 'type' | 'const' | 'enum';

const SYMBOL_PATTERNS: { kind: SymbolKind; pattern: RegExp }[] = [
  {
    kind: 'function',
    pattern: /^\s*(export\s+)?(default\s+)?(async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/,
  },
  {
    kind: 'class',
    pattern: /^\s*(export\s+)?(default\s+)?(abstract\s+)?class\s+([A-Za-z_$][\w$]*)/,
  },
  { kind: 'interface', pattern: /^\s*(export\s+)?(declare\s+)?()interface\s+([A-Za-z_$][\w$]*)/ },
  { kind: 'type', pattern: /^\s*(export\s+)?(declare\s+)?()type\s+([A-Za-z_$][\w$]*)\s*[=<]/ },
  { kind: 'enum', pattern: /^\s*(export\s+)?(declare\s+)?(const\s+)?enum\s+([A-Za-z_$][\w$]*)/ },
  {
    kind: 'const',
    pattern: /^\s*(export\s+)?(declare\s+)?()(?:const|let|var)\s+([A-Za-z_$][\w$]*)/,
  },
];

/** Creates the code-intelligence server: search_code, find_symbol, get_file over one directory. */
export function createCodeIntelligenceRuntime(
  options: CodeIntelligenceOptions = {},
): ServerRuntime {
  const root = realpathSync(resolve(options.root ?? defaultCodeRoot()));

  const listFiles = createSourceTree(root);

  const checkPrefix = (path: string | undefined): string | undefined => {
    if (!path) return undefined;
    if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) {
      throw new DemoServerError(
        'forbidden',
        `path: "${path}" must be a relative folder inside the repository`,
        { field: 'path' },
      );
    }
    return path.replace(/^\.\/+/, '').replace(/\/+$/, '');
  };

  const register = (server: McpServer): void => {
    server.registerTool(
      'search_code',
      {
        title: 'Search code',
        description:
          'Search the source files of the repository for text or an identifier (whole word). Returns file path, line number and the matching line. node_modules, dist, .next and .git are skipped.',
        inputSchema: {
          query: z
            .string()
            .min(1)
            .max(200)
            .describe('Text or identifier to look for, e.g. "createGateway"'),
          mode: z
            .enum(['text', 'identifier'])
            .optional()
            .describe('"text" = substring (default), "identifier" = whole word'),
          path: z
            .string()
            .max(300)
            .optional()
            .describe('Only files under this folder, e.g. "packages/mcp-gateway"'),
          caseSensitive: z.boolean().optional().describe('Default false'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(200)
            .optional()
            .describe('Maximum matches (1–200, default 30)'),
        },
        outputSchema: {
          matches: z.array(
            z.object({ path: z.string(), line: z.number(), column: z.number(), text: z.string() }),
          ),
          count: z.number(),
          filesSearched: z.number(),
          truncated: z.boolean(),
        },
        annotations: READS,
      },
      ({ query, mode, path, caseSensitive, limit }) => {
        const prefix = checkPrefix(path);
        if (mode === 'identifier' && !/^[A-Za-z_$][\w$]*$/.test(query)) {
          throw new DemoServerError(
            'invalid_argument',
            `query: "${query}" is not an identifier; use mode "text"`,
            { field: 'query' },
          );
        }
        const escaped = query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const pattern = new RegExp(
          mode === 'identifier' ? `(?<![\\w$])${escaped}(?![\\w$])` : escaped,
          caseSensitive ? '' : 'i',
        );
        const files = listFiles().filter(
          (file) => !prefix || file.path === prefix || file.path.startsWith(`${prefix}/`),
        );
        const max = limit ?? 30;
        const matches: { path: string; line: number; column: number; text: string }[] = [];
        let truncated = false;
        for (const file of files) {
          for (let index = 0; index < file.lines.length; index += 1) {
            const text = file.lines[index] ?? '';
            const match = pattern.exec(text);
            if (!match) continue;
            if (matches.length >= max) {
              truncated = true;
              break;
            }
            matches.push({
              path: file.path,
              line: index + 1,
              column: match.index + 1,
              text: text.trim().slice(0, 300),
            });
          }
          if (truncated) break;
        }
        return toolResult(
          matches.length
            ? `${matches.length}${truncated ? '+' : ''} match(es) for "${query}":\n${matches.map((match) => `${match.path}:${match.line}: ${match.text}`).join('\n')}`
            : `No matches for "${query}" in ${files.length} files`,
          { matches, count: matches.length, filesSearched: files.length, truncated },
        );
      },
    );

    server.registerTool(
      'find_symbol',
      {
        title: 'Find symbol definition',
        description:
          'Find where a TypeScript/JavaScript symbol (function, class, interface, type, const, enum) is defined.',
        inputSchema: {
          name: z
            .string()
            .regex(/^[A-Za-z_$][\w$]*$/, 'must be an identifier')
            .max(120)
            .describe('Symbol name, e.g. "startServer"'),
          kind: z
            .enum(['function', 'class', 'interface', 'type', 'const', 'enum'])
            .optional()
            .describe('Only this kind of definition'),
          partial: z
            .boolean()
            .optional()
            .describe('Match names containing "name" (case-insensitive) instead of the exact name'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe('Maximum results (default 20)'),
        },
        outputSchema: {
          symbols: z.array(
            z.object({
              name: z.string(),
              kind: z.string(),
              path: z.string(),
              line: z.number(),
              exported: z.boolean(),
              signature: z.string(),
            }),
          ),
          count: z.number(),
        },
        annotations: READS,
      },
      ({ name, kind, partial, limit }) => {
        const symbols: {
          name: string;
          kind: string;
          path: string;
          line: number;
          exported: boolean;
          signature: string;
        }[] = [];
        const max = limit ?? 20;
        const wanted = name.toLowerCase();
        for (const file of listFiles()) {
          if (!/\.(ts|tsx|js|mjs|cjs|jsx)$/.test(file.path)) continue;
          file.lines.forEach((text, index) => {
            if (symbols.length >= max) return;
            for (const { kind: symbolKind, pattern } of SYMBOL_PATTERNS) {
              if (kind && kind !== symbolKind) continue;
              const match = pattern.exec(text);
              const found = match?.[4];
              if (!found) continue;
              if (partial ? found.toLowerCase().includes(wanted) : found === name) {
                symbols.push({
                  name: found,
                  kind: symbolKind,
                  path: file.path,
                  line: index + 1,
                  exported: Boolean(match[1]),
                  signature: text.trim().slice(0, 200),
                });
              }
              break;
            }
          });
          if (symbols.length >= max) break;
        }
        return toolResult(
          symbols.length
            ? symbols
                .map((symbol) => `${symbol.kind} ${symbol.name} — ${symbol.path}:${symbol.line}`)
                .join('\n')
            : `No definition of "${name}" found`,
          { symbols, count: symbols.length },
        );
      },
    );

    server.registerTool(
      'get_file',
      {
        title: 'Get file',
        description: `Read a text file of the repository by relative path, optionally a line range. Paths outside the repository, ignored folders and files over ${MAX_FILE_BYTES / 1024} KB are refused.`,
        inputSchema: {
          path: z
            .string()
            .min(1)
            .max(500)
            .describe(
              'Path relative to the repository root, e.g. "packages/demo-servers/package.json"',
            ),
          startLine: z.number().int().min(1).optional().describe('First line (1-based, default 1)'),
          endLine: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe('Last line, inclusive (default end of file)'),
        },
        outputSchema: {
          path: z.string(),
          content: z.string(),
          startLine: z.number(),
          endLine: z.number(),
          totalLines: z.number(),
          size: z.number(),
        },
        annotations: READS,
      },
      ({ path, startLine, endLine }) => {
        if (isAbsolute(path) || /^[a-zA-Z]:/.test(path)) {
          throw new DemoServerError('forbidden', 'path: must be relative to the repository root', {
            field: 'path',
          });
        }
        const full = resolve(root, path);
        const inside = (candidate: string) =>
          candidate === root || candidate.startsWith(`${root}${sep}`);
        if (!inside(full)) {
          throw new DemoServerError('forbidden', `path: "${path}" is outside the repository root`, {
            field: 'path',
          });
        }
        if (!existsSync(full))
          throw new DemoServerError('not_found', `path: no file "${path}"`, { field: 'path' });
        // Symlinks could point anywhere: check the resolved target too.
        const real = realpathSync(full);
        if (!inside(real)) {
          throw new DemoServerError(
            'forbidden',
            `path: "${path}" resolves outside the repository root`,
            { field: 'path' },
          );
        }
        const relativePath = relative(root, real).split(sep).join('/');
        if (relativePath.split('/').some((part) => IGNORED_DIRECTORIES.has(part))) {
          throw new DemoServerError('forbidden', `path: "${path}" is in an ignored folder`, {
            field: 'path',
          });
        }
        const stats = statSync(real);
        if (!stats.isFile())
          throw new DemoServerError('invalid_argument', `path: "${path}" is not a file`, {
            field: 'path',
          });
        if (stats.size > MAX_FILE_BYTES) {
          throw new DemoServerError(
            'invalid_argument',
            `path: "${path}" is ${stats.size} bytes, over the ${MAX_FILE_BYTES}-byte limit`,
            { field: 'path' },
          );
        }
        const buffer = readFileSync(real);
        if (buffer.includes(0))
          throw new DemoServerError('invalid_argument', `path: "${path}" is a binary file`, {
            field: 'path',
          });
        const lines = buffer.toString('utf8').split('\n');
        const first = startLine ?? 1;
        const last = Math.min(endLine ?? lines.length, lines.length);
        if (first > lines.length) {
          throw new DemoServerError(
            'invalid_argument',
            `startLine: the file has only ${lines.length} lines`,
            { field: 'startLine' },
          );
        }
        if (last < first)
          throw new DemoServerError('invalid_argument', 'endLine: must not be before startLine', {
            field: 'endLine',
          });
        const content = lines.slice(first - 1, last).join('\n');
        return toolResult(content, {
          path: relativePath,
          content,
          startLine: first,
          endLine: last,
          totalLines: lines.length,
          size: stats.size,
        });
      },
    );
  };

  return { register, health: () => ({ root }) };
}
