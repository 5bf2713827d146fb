/**
 * Bounds on the JSON a caller sends, checked before any other work: the nesting depth is
 * read off the text in one pass (brackets outside strings), so nothing later — hashing,
 * canonical sorting, serializing upstream — ever walks a structure deeper than the bound.
 */
import { DEFAULT_MAX_JSON_DEPTH, jsonDepth } from '@tekup/mcp-contract';
import { GatewayError } from '../errors.js';

export { DEFAULT_MAX_JSON_DEPTH };

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
