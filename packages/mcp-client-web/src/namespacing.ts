/** Longest tool name OpenAI (and most LLM APIs) accept. */
export const MAX_TOOL_NAME_LENGTH = 64;

/** Separator between the server and tool parts of a plain namespaced name. */
export const NAMESPACE_SEPARATOR = '__';

const SERVER_PLAIN = /^[a-zA-Z0-9-]+(_[a-zA-Z0-9-]+)*$/;
const TOOL_PLAIN = /^[a-zA-Z0-9_-]+$/;
const HASH_LENGTH = 7;
const SERVER_PART_LENGTH = 20;

/** Where a namespaced tool name points. */
export interface ToolAddress {
  server: string;
  tool: string;
}

/**
 * The plain namespaced name `${server}__${tool}`, or `undefined` when it would not map back
 * exactly: the server name must not contain `__` nor start or end with `_`, both parts must be
 * `[a-zA-Z0-9_-]`, and the whole must fit in 64 characters. Splitting a plain name at its first
 * `__` gives back the server and the tool.
 */
export function plainToolName(server: string, tool: string): string | undefined {
  if (!SERVER_PLAIN.test(server) || !TOOL_PLAIN.test(tool)) return undefined;
  const name = `${server}${NAMESPACE_SEPARATOR}${tool}`;
  return name.length <= MAX_TOOL_NAME_LENGTH ? name : undefined;
}

/** FNV-1a over UTF-16 code units: small, stable across runtimes, not cryptographic. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value.toString(36).padStart(HASH_LENGTH, '0');
}

/**
 * The hashed namespaced name: a sanitized, truncated `${server}__${tool}` prefix, `_`, and a
 * 7-character hash of the exact server and tool names (plus `salt` after a collision).
 * Always ≤ 64 characters of `[a-zA-Z0-9_-]`; maps back only through the namer's table.
 */
export function hashedToolName(server: string, tool: string, salt = 0): string {
  const clean = (text: string) => text.replace(/[^a-zA-Z0-9_-]/g, '_');
  const suffix = hash(`${server}\u0000${tool}${salt === 0 ? '' : `\u0000${salt}`}`);
  const prefix = `${clean(server).slice(0, SERVER_PART_LENGTH)}${NAMESPACE_SEPARATOR}${clean(tool)}`;
  return `${prefix.slice(0, MAX_TOOL_NAME_LENGTH - HASH_LENGTH - 1)}_${suffix}`;
}

/** Splits a plain namespaced name at its first `__`. */
export function parsePlainToolName(name: string): ToolAddress | undefined {
  const index = name.indexOf(NAMESPACE_SEPARATOR);
  if (index <= 0) return undefined;
  const address = {
    server: name.slice(0, index),
    tool: name.slice(index + NAMESPACE_SEPARATOR.length),
  };
  return plainToolName(address.server, address.tool) === name ? address : undefined;
}

/** A table from namespaced names to server tools, rebuilt whenever a listing changes. */
export interface ToolNamer {
  /** Assigns names to every (server, tool) pair, in order; earlier pairs keep plain names. */
  assign(entries: ToolAddress[]): string[];
  /** Looks a namespaced name up. */
  resolve(name: string): ToolAddress | undefined;
}

/**
 * Creates a collision-free namer. Each pair gets its plain name when that is exact and free,
 * else its hashed name, re-salted until free. Assignment is deterministic for a given order.
 */
export function createToolNamer(): ToolNamer {
  let table = new Map<string, ToolAddress>();
  return {
    assign(entries) {
      const next = new Map<string, ToolAddress>();
      const names = entries.map((entry) => {
        let name = plainToolName(entry.server, entry.tool);
        for (let salt = 0; name === undefined || next.has(name); salt++) {
          name = hashedToolName(entry.server, entry.tool, salt);
        }
        next.set(name, { server: entry.server, tool: entry.tool });
        return name;
      });
      table = next;
      return names;
    },
    resolve(name) {
      return table.get(name);
    },
  };
}
