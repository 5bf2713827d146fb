/**
 * @module @tekup/mcp-client-web/ai
 * Bridges tool specs to the Vercel AI SDK: tool definitions with `jsonSchema(...)` inputs and no
 * `execute`, so the model's tool calls come back to the browser, which runs them through the
 * gateway. The one spec-to-tool converter of the repo (chat route and server-side tool loop).
 */
import { type JSONSchema7, type JSONValue, jsonSchema, type Tool } from 'ai';
import type { ToolSpec } from './tool-spec';

/** What the model reads about a tool: its description, or its title when it has none. */
function modelDescription(spec: ToolSpec): string {
  return spec.description.trim() || spec.title?.trim() || '';
}

/** Keys that cost the model tokens and tell it nothing it can act on. */
const SCHEMA_NOISE = new Set(['$schema', '$id', '$comment', 'additionalProperties']);

/**
 * A tool's input schema as the model reads it: without schema bookkeeping (`$schema`,
 * `additionalProperties`) and without a `pattern` where a `format` already says what the string
 * is (an email address's regular expression alone costs ~60 tokens). The server still validates
 * the full schema. Deeper than 24 levels, a schema is passed on as it is.
 */
export function compactSchemaForModel(schema: unknown, depth = 0): unknown {
  if (depth > 24 || schema === null || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map((item) => compactSchemaForModel(item, depth + 1));
  const source = schema as Record<string, unknown>;
  const compact: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (SCHEMA_NOISE.has(key)) continue;
    if (key === 'pattern' && typeof source.format === 'string') continue;
    // Under `properties` the keys are parameter names, not schema keywords.
    compact[key] =
      key === 'properties' && value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([name, property]) => [
              name,
              compactSchemaForModel(property, depth + 1),
            ]),
          )
        : compactSchemaForModel(value, depth + 1);
  }
  return compact;
}

/** True when `text` is the JSON of `value` (a server's text copy of its structured content). */
function isJsonOf(text: string, value: unknown): boolean {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return false;
  try {
    return JSON.stringify(JSON.parse(trimmed)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

/**
 * What the model reads of a tool result. MCP servers that return `structuredContent` also put
 * its JSON in a text block for older clients (the spec asks them to); the model needs it once, so
 * that copy is left out — every other block (a summary sentence, an image, a link) stays.
 */
export function toolOutputForModel(output: unknown): unknown {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return output;
  const { content, structuredContent, ...rest } = output as {
    content?: unknown;
    structuredContent?: unknown;
  };
  if (structuredContent === undefined || !Array.isArray(content)) return output;
  const kept = content.filter(
    (block) =>
      !(
        block !== null &&
        typeof block === 'object' &&
        (block as { type?: unknown }).type === 'text' &&
        typeof (block as { text?: unknown }).text === 'string' &&
        isJsonOf((block as { text: string }).text, structuredContent)
      ),
  );
  // `content` stays, empty or not: it is what makes the value an MCP tool result.
  return { ...rest, content: kept, structuredContent };
}

/**
 * Converts tool specs (or gateway tools) to AI SDK tools keyed by name, without `execute`. The
 * model sees the name, the description (the title when there is none) and the input schema;
 * `title` and the safety hints (`metadata.annotations`) ride along on the tool call parts.
 *
 * @example
 * streamText({ model, messages, tools: toAiSdkTools(body.tools) });
 */
export function toAiSdkTools(specs: readonly ToolSpec[]): Record<string, Tool> {
  const tools: Record<string, Tool> = {};
  for (const spec of specs) {
    const description = modelDescription(spec);
    // The spec's schema is plain JSON; the SDK's JSONSchema7 type is narrower than our object type.
    const definition: Tool = {
      inputSchema: jsonSchema(compactSchemaForModel(spec.inputSchema) as JSONSchema7),
      toModelOutput: ({ output }) => ({
        type: 'json',
        value: toolOutputForModel(output) as JSONValue,
      }),
    };
    if (description) definition.description = description;
    if (spec.title !== undefined) definition.title = spec.title;
    if (spec.annotations !== undefined) {
      definition.metadata = { annotations: { ...spec.annotations } };
    }
    tools[spec.name] = definition;
  }
  return tools;
}
