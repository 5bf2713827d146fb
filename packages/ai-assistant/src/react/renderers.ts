import type { ReactNode } from 'react';

/** What a tool renderer receives. `output` is the raw MCP result; `data` is its payload. */
export interface ToolRendererProps {
  /** Namespaced tool name, e.g. `billy__list_invoices`. */
  toolName: string;
  server: string | undefined;
  tool: string | undefined;
  input: unknown;
  output: unknown;
  /** `structuredContent`, parsed JSON text, or the text of the result. */
  data: unknown;
  state: ToolCardState;
  errorText?: string;
}

/** Renders a tool result. Return `undefined` to fall back to the default renderer. */
export type ToolRenderer = (props: ToolRendererProps) => ReactNode;

/** Renderers keyed by namespaced name, `server/tool`, `server:tool` or bare tool name. */
export type ToolRenderers = Record<string, ToolRenderer>;

/** The state a tool call card shows (AI SDK part states plus approval and running). */
export type ToolCardState =
  | 'input-streaming'
  | 'input-available'
  | 'approval-requested'
  | 'running'
  /** A server asked the person something during the call (a form, a link, the model). */
  | 'input-required'
  | 'output-available'
  | 'output-error'
  | 'output-denied';

const registry = new Map<string, ToolRenderer>();

/**
 * Registers a renderer for every assistant on the page; returns a function that removes it.
 * Renderers passed as props win over registered ones.
 * @example
 * registerToolRenderer('billy/list_invoices', ({ data }) => <InvoiceList data={data} />);
 */
export function registerToolRenderer(name: string, renderer: ToolRenderer): () => void {
  registry.set(name, renderer);
  return () => {
    if (registry.get(name) === renderer) registry.delete(name);
  };
}

const keysFor = (toolName: string, server?: string, tool?: string) =>
  [
    toolName,
    server && tool && `${server}/${tool}`,
    server && tool && `${server}:${tool}`,
    tool,
  ].filter((key): key is string => Boolean(key));

/** Finds the renderer for a tool: props first, then the registry. */
export function findToolRenderer(
  renderers: ToolRenderers | undefined,
  toolName: string,
  server?: string,
  tool?: string,
): ToolRenderer | undefined {
  const keys = keysFor(toolName, server, tool);
  for (const key of keys) {
    const renderer = renderers?.[key];
    if (renderer) return renderer;
  }
  for (const key of keys) {
    const renderer = registry.get(key);
    if (renderer) return renderer;
  }
  return undefined;
}
