/**
 * @module @tekup/mcp-client-web/ai
 * Bridges gateway tools to the Vercel AI SDK: tool definitions without `execute` (the browser
 * runs them through the gateway) and plain JSON specs to send to a chat route.
 */
import { jsonSchema, type Tool } from 'ai';
import type { GatewayTool } from './gateway-client';
import type { ToolSafety } from '@tekup/mcp-contract';
import type { JsonSchemaObject } from './types';

/** A tool as plain JSON, safe to send from the browser to a chat route. */
export interface ToolSpec {
  /** Namespaced tool name. */
  name: string;
  description: string;
  inputSchema: JsonSchemaObject;
  /** Behaviour hints, resolved with the MCP defaults. */
  annotations: ToolSafety;
  title?: string;
  /** Server the tool lives on, when known. */
  server?: string;
}

/** Anything with the fields of a {@link ToolSpec}: a {@link GatewayTool} or a received spec. */
export type ToolSpecLike = Pick<
  GatewayTool,
  'name' | 'description' | 'inputSchema' | 'annotations'
> & {
  title?: string;
  server?: string;
};

/**
 * Whether a tool call should wait for the user's approval: every tool that is not read-only.
 * Annotations are server-provided hints, so this errs on the side of asking.
 */
export function needsApproval(tool: Pick<ToolSpecLike, 'annotations'>): boolean {
  return tool.annotations.readOnly !== true;
}

/**
 * Converts tools to plain JSON specs `{ name, description, inputSchema, annotations, title?, server? }`.
 *
 * @example
 * await fetch('/api/chat', { method: 'POST', body: JSON.stringify({ messages, tools: toolSpecs(tools) }) });
 */
export function toolSpecs(tools: ToolSpecLike[]): ToolSpec[] {
  return tools.map((tool) => {
    const spec: ToolSpec = {
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      annotations: { ...tool.annotations },
    };
    if (tool.title !== undefined) spec.title = tool.title;
    if (tool.server !== undefined) spec.server = tool.server;
    return spec;
  });
}

/**
 * Converts tools (or specs received from a browser) to AI SDK tool definitions keyed by name,
 * with `jsonSchema(...)` input schemas and no `execute`, so the model's tool calls come back to
 * the client. The safety hints ride along in `metadata.annotations`.
 *
 * @example
 * streamText({ model, messages, tools: toAiSdkTools(body.tools) });
 */
export function toAiSdkTools(tools: ToolSpecLike[]): Record<string, Tool> {
  const result: Record<string, Tool> = {};
  for (const tool of tools) {
    const definition: Tool = {
      description: tool.description,
      inputSchema: jsonSchema(tool.inputSchema as Parameters<typeof jsonSchema>[0]),
      metadata: { annotations: { ...tool.annotations } },
    };
    if (tool.title !== undefined) definition.title = tool.title;
    result[tool.name] = definition;
  }
  return result;
}
