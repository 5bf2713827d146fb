/**
 * Bounds on the JSON a caller sends, checked before any other work: the nesting depth is
 * read off the text in one pass (brackets outside strings), so nothing later — hashing,
 * canonical sorting, serializing upstream — ever walks a structure deeper than the bound.
 */
import { GatewayError } from '../errors.js';

/** The deepest JSON nesting the gateway accepts from a caller (MCP messages need about 10). */
export const DEFAULT_MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of objects and arrays in JSON text (0 for a scalar); stops early past `limit`. */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index++;
      else if (code === QUOTE) inString = false;
      continue;
    }
    if (code === QUOTE) inString = true;
    else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) depth--;
  }
  return deepest;
}

/**
 * Parses a caller's JSON text within `maxDepth`.
 *
 * @throws GatewayError `invalid_request` (`data.reason: 'too_deep'`) past the depth, or
 * `parse_error` for text that is not JSON.
 */
export function parseCallerJson(text: string, maxDepth = DEFAULT_MAX_JSON_DEPTH): unknown {
  if (jsonDepth(text, maxDepth) > maxDepth) {
    throw new GatewayError('invalid_request', `JSON nests deeper than ${maxDepth} levels`, {
      data: { reason: 'too_deep', maxDepth },
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError('parse_error', 'The body is not valid JSON');
  }
}
