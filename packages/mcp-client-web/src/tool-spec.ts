import type { ToolSafety } from '@tekup/mcp-contract';
import type { GatewayTool } from './gateway-tool';
import { MAX_TOOL_NAME_LENGTH } from './namespacing';
import { isRecord } from './protocol';
import type { JsonSchemaObject } from './types';

/** The safety hints a spec carries; a received spec may leave any of them out. */
export type ToolSpecAnnotations = Partial<ToolSafety>;

/**
 * A tool as plain JSON: what the browser sends a chat route with every request (the model is
 * offered these tools; the browser runs the calls) and what the route validates.
 */
export interface ToolSpec {
  /** Namespaced tool name (`server__tool`), 1–64 characters of `[A-Za-z0-9_-]`. */
  name: string;
  description: string;
  /** JSON Schema of the arguments; it describes an object. */
  inputSchema: JsonSchemaObject;
  /** Behaviour hints (from {@link GatewayTool.annotations}); never trusted for access. */
  annotations?: ToolSpecAnnotations;
  title?: string;
  /** The MCP server the tool belongs to. */
  server?: string;
}

/**
 * Converts gateway tools to the plain JSON specs a chat route takes. Tools an MCP App keeps for
 * itself (`_meta.ui.visibility: ['app']`) are left out: a model is never offered them.
 *
 * @example
 * await fetch('/api/chat', { method: 'POST', body: JSON.stringify({ messages, tools: toolSpecs(tools) }) });
 */
export function toolSpecs(tools: readonly GatewayTool[]): ToolSpec[] {
  return tools.filter(offeredToModel).map((tool) => {
    const spec: ToolSpec = {
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      annotations: { ...tool.annotations },
      server: tool.server,
    };
    if (tool.title !== undefined) spec.title = tool.title;
    return spec;
  });
}

/** Whether a model may be offered the tool (not one its MCP App keeps for itself). */
function offeredToModel(tool: GatewayTool): boolean {
  return tool.ui === undefined || tool.ui.visibility.includes('model');
}

/** Bounds on the specs one request may carry. */
export interface ToolSpecLimits {
  /** Specs per request. */
  maxTools: number;
  /** Bytes of one spec's `inputSchema` as JSON. */
  maxSchemaBytes: number;
}

/** Why received specs were refused. */
export type ToolSpecIssueCode = 'invalid' | 'too_many_tools' | 'schema_too_large';

/** What {@link parseToolSpecs} found: the specs in canonical form, or the first problem. */
export type ToolSpecParseResult =
  | { ok: true; specs: ToolSpec[] }
  | { ok: false; code: ToolSpecIssueCode; message: string };

const TOOL_NAME = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_TOOL_NAME_LENGTH}}$`);
const ANNOTATION_KEYS = ['readOnly', 'destructive', 'idempotent', 'openWorld'] as const;

/** Thrown inside the parser only; {@link parseToolSpecs} returns it as a result. */
class SpecIssue extends Error {
  readonly code: ToolSpecIssueCode;
  constructor(code: ToolSpecIssueCode, message: string) {
    super(message);
    this.code = code;
  }
}

const invalid = (message: string) => new SpecIssue('invalid', message);
const byteLength = (text: string) => new TextEncoder().encode(text).byteLength;

function parseToolSpec(value: unknown, index: number, maxSchemaBytes: number): ToolSpec {
  const where = `tools[${index}]`;
  if (!isRecord(value)) throw invalid(`${where} must be an object.`);
  const { name, description, inputSchema, annotations, server, title } = value;
  if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
    throw invalid(`${where}.name must be 1–64 characters of letters, digits, "_" or "-".`);
  }
  if (description !== undefined && typeof description !== 'string') {
    throw invalid(`${where}.description must be a string.`);
  }
  if (!isRecord(inputSchema)) throw invalid(`${where}.inputSchema must be a JSON Schema object.`);
  if (inputSchema.type !== undefined && inputSchema.type !== 'object') {
    throw invalid(`${where}.inputSchema must describe an object (type "object").`);
  }
  const schemaBytes = byteLength(JSON.stringify(inputSchema));
  if (schemaBytes > maxSchemaBytes) {
    throw new SpecIssue(
      'schema_too_large',
      `The input schema of tool "${name}" is ${schemaBytes} bytes; the limit is ${maxSchemaBytes}.`,
    );
  }
  const spec: ToolSpec = {
    name,
    description: description ?? '',
    inputSchema: { ...inputSchema, type: 'object' },
  };
  if (annotations !== undefined) {
    if (!isRecord(annotations)) throw invalid(`${where}.annotations must be an object.`);
    const hints: ToolSpecAnnotations = {};
    for (const key of ANNOTATION_KEYS) {
      const hint = annotations[key];
      if (hint === undefined) continue;
      if (typeof hint !== 'boolean')
        throw invalid(`${where}.annotations.${key} must be a boolean.`);
      hints[key] = hint;
    }
    spec.annotations = hints;
  }
  if (server !== undefined) {
    if (typeof server !== 'string') throw invalid(`${where}.server must be a string.`);
    spec.server = server;
  }
  if (title !== undefined) {
    if (typeof title !== 'string') throw invalid(`${where}.title must be a string.`);
    spec.title = title;
  }
  return spec;
}

/**
 * Validates specs received from a browser: an array (absent means none) of at most `maxTools`
 * specs with valid, unique names and object schemas within `maxSchemaBytes`. Unknown fields
 * and annotation keys are dropped.
 *
 * @example
 * const parsed = parseToolSpecs(body.tools, { maxTools: 64, maxSchemaBytes: 16_384 });
 * if (!parsed.ok) return Response.json({ error: parsed }, { status: 400 });
 */
export function parseToolSpecs(value: unknown, limits: ToolSpecLimits): ToolSpecParseResult {
  if (value === undefined || value === null) return { ok: true, specs: [] };
  if (!Array.isArray(value))
    return { ok: false, code: 'invalid', message: '"tools" must be an array.' };
  if (value.length > limits.maxTools) {
    return {
      ok: false,
      code: 'too_many_tools',
      message: `The request offers ${value.length} tools; the limit is ${limits.maxTools}.`,
    };
  }
  try {
    const specs = value.map((item, index) => parseToolSpec(item, index, limits.maxSchemaBytes));
    const seen = new Set<string>();
    for (const spec of specs) {
      if (seen.has(spec.name)) throw invalid(`Tool "${spec.name}" is listed twice.`);
      seen.add(spec.name);
    }
    return { ok: true, specs };
  } catch (error) {
    if (!(error instanceof SpecIssue)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}
