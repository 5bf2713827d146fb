import type { TextContent, ToolResult } from '@tekup/mcp-client-web';

/** How a tool result is best shown: rows of a table, key/value pairs, text or JSON. */
export type ToolResultView =
  | { kind: 'table'; columns: string[]; rows: Array<Record<string, unknown>>; caption?: string }
  | { kind: 'key-value'; entries: Array<[string, unknown]> }
  | { kind: 'text'; text: string }
  | { kind: 'json'; value: unknown }
  | { kind: 'empty' };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isRowArray = (value: unknown): value is Array<Record<string, unknown>> =>
  Array.isArray(value) && value.length > 0 && value.every(isPlainObject);

const isScalar = (value: unknown) =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

function columnsOf(rows: Array<Record<string, unknown>>): string[] {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows.slice(0, 50)) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return columns;
}

/** The data a tool returned: `structuredContent`, else JSON text content, else the text. */
export function toolResultData(output: unknown): unknown {
  if (!isPlainObject(output) || !Array.isArray(output.content)) return output;
  const result = output as unknown as ToolResult;
  if (result.structuredContent !== undefined) return result.structuredContent;
  const texts = result.content
    .filter((item): item is TextContent => item.type === 'text' && typeof item.text === 'string')
    .map((item) => item.text);
  if (texts.length === 1) {
    const text = texts[0]!.trim();
    if (text.startsWith('{') || text.startsWith('[')) {
      try {
        return JSON.parse(text);
      } catch {
        // plain text that happens to start with a bracket
      }
    }
    return texts[0];
  }
  if (texts.length > 1) return texts.join('\n\n');
  return result.content;
}

/** Picks the default view for a value (never HTML: every view renders as text). */
export function viewOf(data: unknown): ToolResultView {
  if (data === undefined || data === null || data === '') return { kind: 'empty' };
  if (typeof data === 'string') return { kind: 'text', text: data };
  if (isScalar(data)) return { kind: 'text', text: String(data) };
  if (isRowArray(data)) return { kind: 'table', columns: columnsOf(data), rows: data };
  if (isPlainObject(data)) {
    const arrayFields = Object.entries(data).filter(([, value]) => Array.isArray(value));
    if (arrayFields.length === 1 && isRowArray(arrayFields[0]![1])) {
      const [caption, rows] = arrayFields[0] as [string, Array<Record<string, unknown>>];
      return { kind: 'table', columns: columnsOf(rows), rows, caption };
    }
    const entries = Object.entries(data);
    if (entries.length > 0 && entries.every(([, value]) => isScalar(value))) {
      return { kind: 'key-value', entries };
    }
  }
  return { kind: 'json', value: data };
}

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::00(?:\.0+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Formats one cell or value as plain text. Whole-minute ISO timestamps read as
 * `2026-11-25 08:00 UTC` (the zone is kept; nothing is converted).
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    const match = ISO_DATE_TIME.exec(value);
    if (match) return `${match[1]} ${match[2]} ${match[3] === 'Z' ? 'UTC' : match[3]}`;
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
