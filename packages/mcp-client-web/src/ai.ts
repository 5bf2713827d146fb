/**
 * @module @tekup/mcp-client-web/ai
 * Bridges tool specs to the Vercel AI SDK: tool definitions with `jsonSchema(...)` inputs and no
 * `execute`, so the model's tool calls come back to the browser, which runs them through the
 * gateway. The one spec-to-tool converter of the repo (chat route and server-side tool loop).
 */
import { type JSONSchema7, jsonSchema, type Tool } from 'ai';
import type { ToolSpec } from './tool-spec';

/** What the model reads about a tool: its description, or its title when it has none. */
function modelDescription(spec: ToolSpec): string {
  return spec.description.trim() || spec.title?.trim() || '';
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
    const definition: Tool = { inputSchema: jsonSchema(spec.inputSchema as JSONSchema7) };
    if (description) definition.description = description;
    if (spec.title !== undefined) definition.title = spec.title;
    if (spec.annotations !== undefined) {
      definition.metadata = { annotations: { ...spec.annotations } };
    }
    tools[spec.name] = definition;
  }
  return tools;
}
