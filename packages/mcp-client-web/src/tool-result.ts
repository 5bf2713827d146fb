import { CACHE_META_KEY } from '@tekup/mcp-contract';
import { McpClientError } from './errors';
import { isRecord } from './protocol';
import type { ContentBlock, ToolResult } from './types';

/** How old a result served from the gateway's cache past its lifetime is; undefined for a live one. */
export function staleResultAge(result: { _meta?: unknown }): number | undefined {
  const marker = isRecord(result._meta) ? result._meta[CACHE_META_KEY] : undefined;
  if (!isRecord(marker) || marker.stale !== true) return undefined;
  return typeof marker.ageSeconds === 'number' && marker.ageSeconds >= 0 ? marker.ageSeconds : 0;
}

/** Reads a `tools/call` result: content (or structured content), `isError` and `_meta`. */
export function toToolResult(result: Record<string, unknown>, server: string): ToolResult {
  const structured = isRecord(result.structuredContent) ? result.structuredContent : undefined;
  if (!Array.isArray(result.content) && structured === undefined) {
    throw new McpClientError('invalid_response', `${server}: tools/call result has no content`, {
      server,
    });
  }
  const toolResult: ToolResult = {
    content: Array.isArray(result.content) ? (result.content as ContentBlock[]) : [],
  };
  if (structured !== undefined) toolResult.structuredContent = structured;
  if (typeof result.isError === 'boolean') toolResult.isError = result.isError;
  if (isRecord(result._meta)) toolResult._meta = result._meta;
  return toolResult;
}
