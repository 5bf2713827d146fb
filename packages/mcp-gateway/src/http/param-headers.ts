/**
 * `Mcp-Param-{Name}` validation (MCP 2026-07-28, Streamable HTTP "Custom Headers from Tool
 * Parameters"): a server that processes the body must check that every parameter a tool
 * marks with `x-mcp-header` is mirrored, correctly, in its header.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http#custom-headers-from-tool-parameters
 */

/** One annotated parameter: its property path from the schema root and its header name. */
export interface ParamHeader {
  path: readonly string[];
  header: string;
}

/** Collects `x-mcp-header` annotations reachable through `properties` chains only. */
export function paramHeaders(schema: unknown, path: readonly string[] = []): ParamHeader[] {
  if (schema === null || typeof schema !== 'object') return [];
  const properties = (schema as { properties?: unknown }).properties;
  if (properties === null || typeof properties !== 'object') return [];
  const found: ParamHeader[] = [];
  for (const [key, child] of Object.entries(properties as Record<string, unknown>)) {
    if (child === null || typeof child !== 'object') continue;
    const header = (child as Record<string, unknown>)['x-mcp-header'];
    if (typeof header === 'string' && header !== '') found.push({ path: [...path, key], header });
    found.push(...paramHeaders(child, [...path, key]));
  }
  return found;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Decodes the `=?base64?…?=` sentinel form; undefined when it is malformed. */
export function decodeHeaderValue(value: string): string | undefined {
  if (!(value.startsWith('=?base64?') && value.endsWith('?=') && value.length >= 11)) return value;
  const encoded = value.slice(9, -2);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return undefined;
  try {
    const binary = atob(encoded);
    const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The first problem with the request's `Mcp-Param-*` headers for these arguments, or
 * undefined when every annotated parameter present in the body is mirrored correctly.
 */
export function paramHeaderProblem(
  annotated: readonly ParamHeader[],
  args: unknown,
  headers: Headers,
): string | undefined {
  for (const { path, header } of annotated) {
    const value = valueAt(args, path);
    if (value === undefined || value === null) continue;
    const raw = headers.get(`mcp-param-${header}`);
    if (raw === null) return `Mcp-Param-${header} header is required`;
    const decoded = decodeHeaderValue(raw);
    const matches =
      decoded !== undefined &&
      (typeof value === 'number'
        ? decoded.trim() !== '' && Number(decoded) === value
        : typeof value === 'boolean'
          ? decoded === String(value)
          : decoded === value);
    if (!matches) return `Mcp-Param-${header} header does not match the body`;
  }
  return undefined;
}
