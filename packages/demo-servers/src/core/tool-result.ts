import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * A successful tool result: a human summary, the serialized JSON (for clients that ignore
 * `structuredContent`, as the spec recommends) and the structured content itself.
 */
export function toolResult(summary: string, structured: Record<string, unknown>): CallToolResult {
  return {
    content: [
      { type: 'text', text: summary },
      { type: 'text', text: JSON.stringify(structured) },
    ],
    structuredContent: structured,
  };
}
