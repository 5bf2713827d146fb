/**
 * @module @tekup/mcp-client-web
 * A small, Web-only Streamable HTTP MCP client for many servers behind one gateway: fetch,
 * streams and AbortSignal only, no Node built-ins, no eval, no runtime schema libraries.
 */
export type { ProtocolEra } from './connection';
export { isMcpClientError, isOutcomeUnknown, McpClientError } from './errors';
export type { McpClientErrorCode, McpClientErrorDetails } from './errors';
export { CACHE_META_KEY, createGatewayClient, staleResultAge } from './gateway-client';
export type {
  CallToolOptions,
  GatewayClient,
  GatewayClientOptions,
  GatewayTool,
  RequestOptions,
  ServerClient,
  ServerStatus,
  ToolDecision,
  ToolListing,
} from './gateway-client';
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
  isRetrySafe,
  needsApproval,
  resolveToolSafety,
  type ToolSafety,
} from '@tekup/mcp-contract';
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
  McpTool,
  Progress,
  PromptArgument,
  PromptMessage,
  ReadResourceResult,
  ResourceLink,
  TextContent,
  TextResourceContents,
  ToolAnnotations,
  ToolResult,
} from './types';
