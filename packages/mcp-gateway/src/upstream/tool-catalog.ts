/**
 * The tools one server lists, with their annotations (what retry decisions and the stages
 * read): loaded once on first use (single flight, every page), replaced by a complete
 * `tools/list` result that passes through, forgotten on `notifications/tools/list_changed`.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamAnswer } from './messages.js';

/** Pages of `tools/list` fetched by the catalog; at most this many are read. */
const maxPages = 20;

/** One server's tool catalog. */
export interface ToolCatalog {
  /**
   * The upstream's definition of `name`, loading the list first when unknown. `headers` go
   * with the listing (the on-behalf identity when the upstream is a gateway).
   */
  get(
    name: string,
    signal: AbortSignal,
    headers?: Readonly<Record<string, string>>,
  ): Promise<Tool | undefined>;
  /** Remembers the tools of a complete (single-page) `tools/list` result. */
  remember(result: Record<string, unknown>): void;
  /** Forgets the tools (the upstream said its list changed). */
  forget(): void;
}

/** Fetches one page of `tools/list` (`cursor` undefined for the first). */
export type ListTools = (
  cursor: string | undefined,
  signal: AbortSignal,
  headers: Readonly<Record<string, string>> | undefined,
) => Promise<UpstreamAnswer>;

/** Creates the catalog of one server over its `tools/list`. */
export function createToolCatalog(listTools: ListTools): ToolCatalog {
  let tools: Map<string, Tool> | undefined;
  let loading: Promise<void> | undefined;

  async function load(
    signal: AbortSignal,
    headers: Readonly<Record<string, string>> | undefined,
  ): Promise<void> {
    const map = new Map<string, Tool>();
    let cursor: string | undefined;
    try {
      for (let page = 0; page < maxPages; page++) {
        const reply = await listTools(cursor, signal, headers);
        if (!('result' in reply)) return;
        for (const tool of (reply.result.tools as Tool[] | undefined) ?? [])
          map.set(tool.name, tool);
        cursor = typeof reply.result.nextCursor === 'string' ? reply.result.nextCursor : undefined;
        if (cursor === undefined) break;
      }
    } catch {
      // Unknown annotations are treated as destructive and non-idempotent, which is safe.
      return;
    }
    tools = map;
  }

  return {
    async get(name, signal, headers) {
      if (tools === undefined) {
        loading ??= load(signal, headers).finally(() => {
          loading = undefined;
        });
        await loading;
      }
      return tools?.get(name);
    },
    remember(result) {
      if (result.nextCursor !== undefined || !Array.isArray(result.tools)) return;
      const map = new Map<string, Tool>();
      for (const tool of result.tools as Tool[]) {
        if (tool !== null && typeof tool === 'object' && typeof tool.name === 'string')
          map.set(tool.name, tool);
      }
      tools = map;
    },
    forget() {
      tools = undefined;
    },
  };
}
