import { encodeHeaderValue, isRecord } from './protocol';

/** One tool parameter a server asks to be mirrored into an `Mcp-Param-{name}` header. */
export interface ParameterHeader {
  /** The header name suffix, as given by `x-mcp-header`. */
  name: string;
  /** The chain of `properties` keys leading to the parameter. */
  path: string[];
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const PRIMITIVE_TYPES = new Set(['string', 'integer', 'boolean']);

/**
 * Reads the `x-mcp-header` annotations of a tool's input schema. Returns `undefined` when an
 * annotation breaks the spec's constraints, in which case the tool must be left out.
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http#schema-extension
 */
export function readParameterHeaders(schema: unknown): ParameterHeader[] | undefined {
  const headers: ParameterHeader[] = [];
  const seen = new Set<string>();
  let valid = true;

  const walk = (node: unknown, path: string[] | undefined) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, undefined);
      return;
    }
    if (!isRecord(node)) return;
    const header = node['x-mcp-header'];
    if (header !== undefined) {
      const lower = typeof header === 'string' ? header.toLowerCase() : '';
      if (
        path === undefined ||
        path.length === 0 ||
        typeof header !== 'string' ||
        !TOKEN.test(header) ||
        seen.has(lower) ||
        typeof node.type !== 'string' ||
        !PRIMITIVE_TYPES.has(node.type)
      ) {
        valid = false;
      } else {
        seen.add(lower);
        headers.push({ name: header, path });
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && isRecord(value) && path !== undefined) {
        for (const [property, child] of Object.entries(value)) walk(child, [...path, property]);
      } else if (key !== 'x-mcp-header') {
        walk(value, undefined);
      }
    }
  };

  walk(schema, []);
  return valid ? headers : undefined;
}

/** Builds the `Mcp-Param-*` headers for one call's arguments; absent and `null` values are omitted. */
export function buildParameterHeaders(
  headers: ParameterHeader[],
  args: Record<string, unknown>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const header of headers) {
    let value: unknown = args;
    for (const key of header.path) value = isRecord(value) ? value[key] : undefined;
    if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
      result[`Mcp-Param-${header.name}`] = encodeHeaderValue(String(value));
    }
  }
  return result;
}
