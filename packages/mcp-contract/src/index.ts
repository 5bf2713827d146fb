/**
 * @module @tekup/mcp-contract
 * What the Tekup gateway and its clients agree on beyond MCP itself: the `_meta` keys the
 * gateway writes, the bounds on JSON a caller may send, how a tool's annotations become its
 * safety (retries, approvals, scopes), and waiting on shared work with a caller's abort signal.
 * Web-only, no dependencies.
 */
export { followUntilAborted } from './abortable';
export { DEFAULT_MAX_JSON_DEPTH, jsonDepth } from './json-depth';
export { CACHE_META_KEY, CALLER_META_KEY } from './meta';
export {
  isRetrySafe,
  needsApproval,
  resolveToolSafety,
  type ToolSafety,
  type ToolSafetyAnnotations,
  type ToolSafetyOverride,
} from './tool-safety';
