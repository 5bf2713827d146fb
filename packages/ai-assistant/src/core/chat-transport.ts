import { toolSpecs, type GatewayTool } from '@tekup/mcp-client-web';
import { DefaultChatTransport } from 'ai';
import type { Clock } from './clock';
import { AssistantError, errorFromResponse } from './errors';
import { type HistoryLimits, trimHistory } from './trim';
import type { AssistantMessage } from './types';

/** What {@link createChatTransport} needs. */
export interface ChatTransportOptions {
  /** The chat route. */
  api: string;
  credentials: RequestCredentials;
  headers: Record<string, string> | undefined;
  fetch: typeof fetch;
  clock: Clock;
  /** The tools to offer with each request (listed when needed). */
  tools: () => Promise<GatewayTool[]>;
  threadId: () => string;
  historyLimits: HistoryLimits | undefined;
}

/**
 * Creates the transport to the chat route: the AI SDK's `DefaultChatTransport` with the tool
 * specs and thread id in every body, a long thread trimmed to the route's limits, and failed
 * responses turned into typed {@link AssistantError}s.
 */
export function createChatTransport(
  options: ChatTransportOptions,
): DefaultChatTransport<AssistantMessage> {
  const chatFetch: typeof fetch = async (input, init) => {
    let response: Response;
    try {
      response = await options.fetch(input, init);
    } catch (error) {
      if (init?.signal?.aborted || (error as Error)?.name === 'AbortError') throw error;
      throw new AssistantError('network', 'Could not reach the chat service.', {
        cause: error,
        at: options.clock.now(),
      });
    }
    // turn route errors into typed errors here: the SDK's own error drops Retry-After
    if (!response.ok) throw await errorFromResponse(response, options.clock.now());
    return response;
  };

  return new DefaultChatTransport<AssistantMessage>({
    api: options.api,
    credentials: options.credentials,
    headers: options.headers,
    fetch: chatFetch,
    body: async () => ({
      tools: toolSpecs(await options.tools()),
      threadId: options.threadId(),
    }),
    // a long thread is sent from a user message on, within the route's size and count limits
    prepareSendMessagesRequest: ({ id, messages, body, trigger, messageId }) => ({
      body: {
        ...body,
        id,
        messages: trimHistory(messages, options.historyLimits),
        trigger,
        messageId,
      },
    }),
  });
}
