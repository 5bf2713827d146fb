import type { UIMessage } from 'ai';

/** MCP tool annotations as the gateway client reports them (hints, never guarantees). */
export interface ToolAnnotations {
  readOnly?: boolean;
  destructive?: boolean;
  idempotent?: boolean;
  openWorld?: boolean;
}

/** One tool discovered through the gateway, named `{server}_{tool}` (at most 64 characters). */
export interface GatewayTool {
  name: string;
  server: string;
  tool: string;
  title?: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations: ToolAnnotations;
}

/** The MCP `tools/call` result as the gateway client returns it. */
export interface ToolCallResult {
  content: Array<{ type: string; text?: string; [key: string]: unknown }>;
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: unknown;
}

/** The error shape of `@tekup/mcp-client-web` (read structurally, so any error works). */
export interface GatewayErrorLike {
  message: string;
  code?: string;
  status?: number;
  server?: string;
  url?: string;
  gatewayCode?: string;
  retryAfter?: number;
}

/** The part of `@tekup/mcp-client-web`'s gateway client the assistant uses. */
export interface GatewayClient {
  listTools(options?: { signal?: AbortSignal; refresh?: boolean }): Promise<{
    tools: GatewayTool[];
    failures: Array<{ server: string; error: GatewayErrorLike }>;
  }>;
  callTool(
    name: string,
    args: Record<string, unknown>,
    options?: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<ToolCallResult>;
  /** Called with a server name when its tool list changed. */
  onToolsChanged?(listener: (server: string) => void): () => void;
  /** Records a call the user declined, in the gateway's audit log. */
  reportDecision?(
    name: string,
    decision: { callId: string; decision: 'rejected' },
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  close?(): void | Promise<void>;
}

/** A tool as sent to the chat route in the request body's `tools` array. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  annotations?: ToolAnnotations;
  server?: string;
  title?: string;
}

/** Message metadata the chat route streams (`model`, `usage`). */
export interface AssistantMessageMetadata {
  model?: { id: string; provider: string; offline: boolean };
  usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number };
}

/** A chat message of the assistant thread (an AI SDK `UIMessage`). */
export type AssistantMessage = UIMessage<AssistantMessageMetadata>;

/** Decides whether a tool stops at an approval card before it runs. */
export type ApprovalPolicy = (tool: GatewayTool) => boolean;

/** Maps gateway tools to the specs the chat route expects. */
export function toToolSpecs(tools: readonly GatewayTool[]): ToolSpec[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
    annotations: tool.annotations,
    server: tool.server,
    ...(tool.title ? { title: tool.title } : {}),
  }));
}

/**
 * Whether a tool needs the user's approval: anything not marked read-only does, plus
 * whatever the app's policy adds. A policy can add approvals, never remove the default.
 */
export function needsApproval(tool: GatewayTool, policy?: ApprovalPolicy): boolean {
  if (tool.annotations?.readOnly !== true) return true;
  return policy ? policy(tool) === true : false;
}
