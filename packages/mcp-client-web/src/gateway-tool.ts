import { resolveToolSafety, type ToolSafety } from '@tekup/mcp-contract';
import { isRecord } from './protocol';
import type { JsonSchemaObject, McpTool } from './types';

/** A tool of one server as the gateway client presents it to an LLM. */
export interface GatewayTool {
  /** Namespaced name: ≤ 64 characters of `[a-zA-Z0-9_-]`, unique across servers. */
  name: string;
  /** Server the tool lives on. */
  server: string;
  /** The tool's own name on that server. */
  tool: string;
  title?: string;
  /** Description for the model (the title when the server gave none). */
  description: string;
  inputSchema: JsonSchemaObject;
  outputSchema?: JsonSchemaObject;
  /** Behaviour hints resolved with the MCP defaults. */
  annotations: ToolSafety;
  /** Annotations exactly as the server sent them. */
  rawAnnotations?: Record<string, unknown>;
  /** Whether the tool can run as a task (`execution.taskSupport`): polled, cancellable. */
  taskSupport?: 'optional' | 'required';
  /**
   * The tool's MCP App (`_meta.ui`, SEP-1865): the `ui://` resource a host renders for its calls,
   * and who may call it — `['app']` tools are for their app only, never offered to a model.
   */
  ui?: GatewayToolUi;
}

/** An MCP App's tool metadata, as far as a host needs it. */
export interface GatewayToolUi {
  resourceUri?: string;
  visibility: Array<'model' | 'app'>;
}

/** `_meta.ui` (or the older `_meta['ui/resourceUri']`) of a listed tool. */
function toolUi(meta: unknown): GatewayToolUi | undefined {
  if (!isRecord(meta)) return undefined;
  const ui = isRecord(meta.ui) ? meta.ui : {};
  const uri = ui.resourceUri ?? meta['ui/resourceUri'];
  const resourceUri = typeof uri === 'string' && uri.startsWith('ui://') ? uri : undefined;
  const listed = Array.isArray(ui.visibility)
    ? ui.visibility.filter((item): item is 'model' | 'app' => item === 'model' || item === 'app')
    : [];
  if (resourceUri === undefined && listed.length === 0) return undefined;
  return {
    ...(resourceUri === undefined ? {} : { resourceUri }),
    visibility: listed.length ? listed : ['model', 'app'],
  };
}

/** A server's listed tool under its namespaced name, with its safety resolved. */
export function toGatewayTool(name: string, server: string, tool: McpTool): GatewayTool {
  const inputSchema: JsonSchemaObject = isRecord(tool.inputSchema)
    ? { ...tool.inputSchema, type: 'object' }
    : { type: 'object', properties: {} };
  const gatewayTool: GatewayTool = {
    name,
    server,
    tool: tool.name,
    description: tool.description ?? tool.title ?? tool.annotations?.title ?? '',
    inputSchema,
    annotations: resolveToolSafety(tool.annotations),
  };
  if (tool.title !== undefined) gatewayTool.title = tool.title;
  if (isRecord(tool.outputSchema)) gatewayTool.outputSchema = tool.outputSchema;
  if (isRecord(tool.annotations)) gatewayTool.rawAnnotations = { ...tool.annotations };
  const taskSupport = isRecord(tool.execution) ? tool.execution.taskSupport : undefined;
  if (taskSupport === 'optional' || taskSupport === 'required')
    gatewayTool.taskSupport = taskSupport;
  const ui = toolUi(tool._meta);
  if (ui) gatewayTool.ui = ui;
  return gatewayTool;
}
