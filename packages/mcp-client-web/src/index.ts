/**
 * @module @tekup/mcp-client-web
 * A small, Web-only Streamable HTTP MCP client for many servers behind one gateway: fetch,
 * streams and AbortSignal only, no Node built-ins, no eval, no runtime schema libraries. It owns
 * the tool contract the assistant stack shares: {@link GatewayTool}, the {@link ToolSpec} a
 * browser sends its chat route (and {@link parseToolSpecs} on the route), and the approval rule
 * ({@link toolNeedsApproval}). The AI SDK conversion is at `@tekup/mcp-client-web/ai`.
 */
export type { ProtocolEra } from './connection';
export { isMcpClientError, isOutcomeUnknown, McpClientError } from './errors';
export type { McpClientErrorCode, McpClientErrorDetails } from './errors';
export { type ApprovalPolicy, toolNeedsApproval } from './approval';
export type { ToolDecision } from './decisions';
export { createGatewayClient } from './gateway-client';
export type {
  CallToolOptions,
  GatewayClient,
  GatewayClientOptions,
  RequestOptions,
  ServerClient,
  ServerStatus,
  ToolListing,
} from './gateway-client';
export type { GatewayTool, GatewayToolUi } from './gateway-tool';
export {
  hashedToolName,
  MAX_TOOL_NAME_LENGTH,
  NAMESPACE_SEPARATOR,
  parsePlainToolName,
  plainToolName,
} from './namespacing';
export type { ToolAddress } from './namespacing';
export { SUPPORTED_PROTOCOL_VERSIONS } from './protocol';
export {
  CACHE_META_KEY,
  isRetrySafe,
  needsApproval,
  resolveToolSafety,
  type ToolSafety,
} from '@tekup/mcp-contract';
export { staleResultAge } from './tool-result';
export {
  parseToolSpecs,
  type ToolSpec,
  type ToolSpecAnnotations,
  type ToolSpecIssueCode,
  type ToolSpecLimits,
  type ToolSpecParseResult,
  toolSpecs,
} from './tool-spec';
export type {
  AudioContent,
  BlobResourceContents,
  ClientInfo,
  ContentAnnotations,
  ContentBlock,
  EmbeddedResource,
  GetPromptResult,
  ImageContent,
  JsonSchemaObject,
  McpPrompt,
  McpResource,
  McpTask,
  McpTool,
  Progress,
  PromptArgument,
  PromptMessage,
  ReadResourceResult,
  ResourceLink,
  ServerQuestion,
  AnswerQuestion,
  TextContent,
  TextResourceContents,
  ToolAnnotations,
  ToolResult,
} from './types';
