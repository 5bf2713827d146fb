import { jsonDepth } from '@tekup/mcp-contract';
import { type JSONSchema7, safeValidateUIMessages, type UIMessage } from 'ai';
import { ChatRequestError } from './errors';

/** MCP tool annotations the browser forwards (hints, never trusted for security). */
export interface ToolAnnotations {
  readOnly?: boolean;
  destructive?: boolean;
  idempotent?: boolean;
  openWorld?: boolean;
}

/** A tool the browser offers to the model; the browser runs it through the gateway. */
export interface ToolSpec {
  /** Namespaced tool name (`server__tool`), at most 64 characters of `[A-Za-z0-9_-]`. */
  name: string;
  description: string;
  /** JSON Schema of the arguments; must describe an object. */
  inputSchema: JSONSchema7;
  annotations?: ToolAnnotations;
  /** The MCP server the tool belongs to. */
  server?: string;
  title?: string;
}

/** The body the browser POSTs: the `DefaultChatTransport` body plus the tool specs. */
export interface ChatRequestBody {
  id: string;
  messages: UIMessage[];
  trigger?: 'submit-message' | 'regenerate-message';
  messageId?: string;
  tools: ToolSpec[];
}

/** Limits applied to a chat request body. */
export interface ChatRequestLimits {
  maxBodyBytes: number;
  /** Deepest JSON nesting of the body, checked before it is parsed. */
  maxJsonDepth: number;
  maxMessages: number;
  maxTools: number;
  maxSchemaBytes: number;
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ANNOTATION_KEYS = ['readOnly', 'destructive', 'idempotent', 'openWorld'] as const;

/** Reads the body as text, refusing it as soon as it grows past `maxBytes`. */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
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

function byteLength(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** Checks one tool spec and returns it in canonical form. */
export function validateToolSpec(value: unknown, index: number, maxSchemaBytes: number): ToolSpec {
  const where = `tools[${index}]`;
  if (!isRecord(value)) throw invalid(`${where} must be an object.`);
  const { name, description, inputSchema, annotations, server, title } = value;
  if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
    throw invalid(`${where}.name must be 1–64 characters of letters, digits, "_" or "-".`);
  }
  if (description !== undefined && typeof description !== 'string') {
    throw invalid(`${where}.description must be a string.`);
  }
  if (!isRecord(inputSchema)) throw invalid(`${where}.inputSchema must be a JSON Schema object.`);
  if (inputSchema.type !== undefined && inputSchema.type !== 'object') {
    throw invalid(`${where}.inputSchema must describe an object (type "object").`);
  }
  const schemaBytes = byteLength(JSON.stringify(inputSchema));
  if (schemaBytes > maxSchemaBytes) {
    throw new ChatRequestError(
      'schema_too_large',
      `The input schema of tool "${name}" is ${schemaBytes} bytes; the limit is ${maxSchemaBytes}.`,
    );
  }
  const spec: ToolSpec = {
    name,
    description: description ?? '',
    inputSchema: { ...inputSchema, type: 'object' } as JSONSchema7,
  };
  if (annotations !== undefined) {
    if (!isRecord(annotations)) throw invalid(`${where}.annotations must be an object.`);
    const hints: ToolAnnotations = {};
    for (const key of ANNOTATION_KEYS) {
      const hint = annotations[key];
      if (hint === undefined) continue;
      if (typeof hint !== 'boolean')
        throw invalid(`${where}.annotations.${key} must be a boolean.`);
      hints[key] = hint;
    }
    spec.annotations = hints;
  }
  if (server !== undefined) {
    if (typeof server !== 'string') throw invalid(`${where}.server must be a string.`);
    spec.server = server;
  }
  if (title !== undefined) {
    if (typeof title !== 'string') throw invalid(`${where}.title must be a string.`);
    spec.title = title;
  }
  return spec;
}

/** Checks a list of tool specs: count, shape, unique names and schema sizes. */
export function validateToolSpecs(
  value: unknown,
  limits: Pick<ChatRequestLimits, 'maxTools' | 'maxSchemaBytes'>,
): ToolSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('"tools" must be an array.');
  if (value.length > limits.maxTools) {
    throw new ChatRequestError(
      'too_many_tools',
      `The request offers ${value.length} tools; the limit is ${limits.maxTools}.`,
    );
  }
  const specs = value.map((item, index) => validateToolSpec(item, index, limits.maxSchemaBytes));
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) throw invalid(`Tool "${spec.name}" is listed twice.`);
    seen.add(spec.name);
  }
  return specs;
}

/** Reads and validates a chat request: size, JSON, messages, tools. */
export async function parseChatRequest(
  request: Request,
  limits: ChatRequestLimits,
): Promise<ChatRequestBody> {
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
  const tools = validateToolSpecs(body.tools, limits);
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
    tools,
  };
}
