import {
  parseToolSpecs,
  type ToolSpec,
  type ToolSpecAnnotations,
  type ToolSpecIssueCode,
  type ToolSpecLimits,
} from '@tekup/mcp-client-web';
import { jsonDepth } from '@tekup/mcp-contract';
import { safeValidateUIMessages, type UIMessage } from 'ai';
import { ChatRequestError, type ChatRequestErrorCode } from './errors';

// The tool contract is mcp-client-web's; the server entry names its types for route authors.
export type { ToolSpec };
/** A spec's safety hints (mcp-client-web's `ToolSpecAnnotations`). */
export type ToolAnnotations = ToolSpecAnnotations;

/** The body the browser POSTs: the `DefaultChatTransport` body plus the tool specs (validated by mcp-client-web's `parseToolSpecs`). */
export interface ChatRequestBody {
  id: string;
  messages: UIMessage[];
  trigger?: 'submit-message' | 'regenerate-message';
  messageId?: string;
  tools: ToolSpec[];
}

/** Limits applied to a chat request body (the tool specs' own bounds included). */
export interface ChatRequestLimits extends ToolSpecLimits {
  maxBodyBytes: number;
  /** Deepest JSON nesting of the body, checked before it is parsed. */
  maxJsonDepth: number;
  maxMessages: number;
}

const SPEC_ERRORS: Record<ToolSpecIssueCode, ChatRequestErrorCode> = {
  invalid: 'invalid_request',
  too_many_tools: 'too_many_tools',
  schema_too_large: 'schema_too_large',
};

/** Reads the body as text, refusing it as soon as it grows past `maxBytes`. */
async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new ChatRequestError(
      'payload_too_large',
      `The request body is ${declared} bytes; the limit is ${maxBytes}.`,
    );
  }
  if (!request.body) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ChatRequestError(
        'payload_too_large',
        `The request body is larger than the limit of ${maxBytes} bytes.`,
      );
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(message: string): ChatRequestError {
  return new ChatRequestError('invalid_request', message);
}

/**
 * Reads a POSTed JSON object within the limits: size (while reading), nesting depth (before
 * anything walks it), JSON syntax.
 */
export async function readJsonObject(
  request: Request,
  limits: { maxBodyBytes: number; maxJsonDepth: number },
): Promise<Record<string, unknown>> {
  if (request.method !== 'POST') {
    throw new ChatRequestError('method_not_allowed', 'Use POST to send chat messages.');
  }
  const text = await readBodyText(request, limits.maxBodyBytes);
  // Before anything walks the structure: validation, conversion and the model call all recurse.
  if (jsonDepth(text, limits.maxJsonDepth) > limits.maxJsonDepth) {
    throw new ChatRequestError(
      'too_deep',
      `The request body nests deeper than ${limits.maxJsonDepth} levels.`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ChatRequestError('invalid_json', 'The request body is not valid JSON.', {
      cause: error,
    });
  }
  if (!isRecord(body)) throw invalid('The request body must be a JSON object.');
  return body;
}

/** Reads and validates a chat request: size, JSON, messages, tools. */
export async function parseChatRequest(
  request: Request,
  limits: ChatRequestLimits,
): Promise<ChatRequestBody> {
  const body = await readJsonObject(request, limits);
  const { id, messages, trigger, messageId } = body;
  if (id !== undefined && typeof id !== 'string') throw invalid('"id" must be a string.');
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid('"messages" must be a non-empty array.');
  }
  if (messages.length > limits.maxMessages) {
    throw new ChatRequestError(
      'too_many_messages',
      `The request has ${messages.length} messages; the limit is ${limits.maxMessages}.`,
    );
  }
  // The browser must not be able to rewrite the host's instructions.
  if (messages.some((message) => isRecord(message) && message.role === 'system')) {
    throw invalid('System messages are not accepted from the client.');
  }
  if (trigger !== undefined && trigger !== 'submit-message' && trigger !== 'regenerate-message') {
    throw invalid('"trigger" must be "submit-message" or "regenerate-message".');
  }
  if (messageId !== undefined && messageId !== null && typeof messageId !== 'string') {
    throw invalid('"messageId" must be a string.');
  }
  const parsed = parseToolSpecs(body.tools, limits);
  if (!parsed.ok) throw new ChatRequestError(SPEC_ERRORS[parsed.code], parsed.message);
  const validated = await safeValidateUIMessages({ messages });
  if (!validated.success) {
    throw new ChatRequestError(
      'invalid_request',
      `"messages" are not valid UI messages: ${validated.error.message.slice(0, 300)}`,
      { cause: validated.error },
    );
  }
  return {
    id: id ?? '',
    messages: validated.data,
    ...(trigger ? { trigger } : {}),
    ...(typeof messageId === 'string' ? { messageId } : {}),
    tools: parsed.specs,
  };
}
