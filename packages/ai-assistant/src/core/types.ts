import type { GatewayClient, ServerClient } from '@tekup/mcp-client-web';
import type { UIMessage } from 'ai';

/** Message metadata the chat route streams (`model`, `usage`). */
export interface AssistantMessageMetadata {
  model?: { id: string; provider: string; offline: boolean };
  usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number };
}

/** A chat message of the assistant thread (an AI SDK `UIMessage`). */
export type AssistantMessage = UIMessage<AssistantMessageMetadata>;

/**
 * The part of `@tekup/mcp-client-web`'s {@link GatewayClient} the assistant uses:
 * `createGatewayClient(...)` is one, and so is any object with these methods.
 */
export type AssistantGatewayClient = Pick<GatewayClient, 'listTools' | 'callTool'> &
  Partial<
    Pick<
      GatewayClient,
      | 'onToolsChanged'
      | 'reportDecision'
      | 'close'
      | 'startTask'
      | 'getTask'
      | 'taskResult'
      | 'cancelTask'
    >
  > & {
    /**
     * One server's prompts (without it the assistant offers no `/` commands) and resources
     * (without `readResource` tool calls' MCP Apps show their data instead of their view).
     */
    server?: (
      name: string,
    ) => Pick<ServerClient, 'listPrompts' | 'getPrompt'> &
      Partial<Pick<ServerClient, 'readResource'>>;
  };

/** A server's prompt, as the composer offers it (`/name`). */
export interface PromptEntry {
  server: string;
  name: string;
  title?: string;
  description?: string;
  arguments: Array<{ name: string; title?: string; description?: string; required: boolean }>;
}
