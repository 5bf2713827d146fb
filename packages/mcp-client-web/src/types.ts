/**
 * The few MCP wire types this package exposes, declared here so consumers need no runtime or type
 * dependency on the official SDK. They are structurally compatible with the SDK's types.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/schema
 */

/** A JSON Schema whose root is an object (MCP tool `inputSchema` / `outputSchema`). */
export interface JsonSchemaObject {
  type: 'object';
  properties?: Record<string, unknown>;
  required?: string[];
  [keyword: string]: unknown;
}

/** Tool behaviour hints as a server sends them; all optional and untrusted. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
  [key: string]: unknown;
}

/** A tool as listed by one server's `tools/list`. */
export interface McpTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonSchemaObject;
  outputSchema?: JsonSchemaObject;
  annotations?: ToolAnnotations;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A tool call running as an MCP task (2025-11-25). */
export interface McpTask {
  taskId: string;
  status: 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';
  statusMessage?: string;
  createdAt?: string;
  lastUpdatedAt?: string;
  ttl?: number | null;
  /** How often the server asks to be polled, in ms. */
  pollInterval?: number;
}

/** Optional annotations on content blocks and resources. */
export interface ContentAnnotations {
  audience?: Array<'user' | 'assistant'>;
  priority?: number;
  lastModified?: string;
}

/** Text content. */
export interface TextContent {
  type: 'text';
  text: string;
  annotations?: ContentAnnotations;
  _meta?: Record<string, unknown>;
}

/** Base64 image content. */
export interface ImageContent {
  type: 'image';
  data: string;
  mimeType: string;
  annotations?: ContentAnnotations;
  _meta?: Record<string, unknown>;
}

/** Base64 audio content. */
export interface AudioContent {
  type: 'audio';
  data: string;
  mimeType: string;
  annotations?: ContentAnnotations;
  _meta?: Record<string, unknown>;
}

/** A link to a resource the client may read: a listed resource, tagged as content. */
export interface ResourceLink extends McpResource {
  type: 'resource_link';
}

/** Contents of a text resource. */
export interface TextResourceContents {
  uri: string;
  mimeType?: string;
  text: string;
  _meta?: Record<string, unknown>;
}

/** Contents of a binary resource (base64). */
export interface BlobResourceContents {
  uri: string;
  mimeType?: string;
  blob: string;
  _meta?: Record<string, unknown>;
}

/** A resource embedded in a result. */
export interface EmbeddedResource {
  type: 'resource';
  resource: TextResourceContents | BlobResourceContents;
  annotations?: ContentAnnotations;
  _meta?: Record<string, unknown>;
}

/** One block of tool or prompt content. */
export type ContentBlock =
  | TextContent
  | ImageContent
  | AudioContent
  | ResourceLink
  | EmbeddedResource;

/** The result of `tools/call`. */
export interface ToolResult {
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

/** A resource as listed by `resources/list`. */
export interface McpResource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: ContentAnnotations;
  _meta?: Record<string, unknown>;
}

/** The result of `resources/read`. */
export interface ReadResourceResult {
  contents: Array<TextResourceContents | BlobResourceContents>;
  _meta?: Record<string, unknown>;
}

/** One argument a prompt accepts. */
export interface PromptArgument {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

/** A prompt as listed by `prompts/list`. */
export interface McpPrompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  _meta?: Record<string, unknown>;
}

/** One message of a prompt. */
export interface PromptMessage {
  role: 'user' | 'assistant';
  content: ContentBlock;
}

/** The result of `prompts/get`. */
export interface GetPromptResult {
  description?: string;
  messages: PromptMessage[];
  _meta?: Record<string, unknown>;
}

/** Progress reported by a server for a running request. */
export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

/**
 * A question a server asks the person behind a call, mid-call: a form or a link to open
 * (`elicitation/create`), or a completion by the host's model (`sampling/createMessage`).
 */
export interface ServerQuestion {
  server: string;
  method: 'elicitation/create' | 'sampling/createMessage';
  params: Record<string, unknown>;
}

/**
 * Answers a {@link ServerQuestion}: an elicitation result (`{ action, content? }`) or a sampling
 * result (`{ role, content, model, stopReason? }`). Throwing cancels an elicitation and
 * declines a sampling request.
 */
export type AnswerQuestion = (
  question: ServerQuestion,
  signal: AbortSignal,
) => Promise<Record<string, unknown>>;

/** Name and version a client reports to servers. */
export interface ClientInfo {
  name: string;
  version: string;
}
