/**
 * @module @tekup/mcp-contract
 * What the Tekup gateway and its clients agree on beyond MCP itself: the `_meta` keys the
 * gateway writes, and the bounds on JSON a caller may send. Web-only, no dependencies.
 */
export { DEFAULT_MAX_JSON_DEPTH, jsonDepth } from './json-depth';
export { CACHE_META_KEY, CALLER_META_KEY } from './meta';
