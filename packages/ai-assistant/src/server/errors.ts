/** Why a chat request was refused. */
export type ChatRequestErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'too_many_messages'
  | 'too_many_tools'
  | 'schema_too_large'
  | 'too_deep';

const STATUS: Record<ChatRequestErrorCode, number> = {
  invalid_request: 400,
  invalid_json: 400,
  method_not_allowed: 405,
  payload_too_large: 413,
  too_many_messages: 400,
  too_many_tools: 400,
  schema_too_large: 400,
  too_deep: 400,
};

/** A chat request the handler refuses; it becomes a JSON error response in one place. */
export class ChatRequestError extends Error {
  override readonly name = 'ChatRequestError';
  readonly code: ChatRequestErrorCode;
  readonly status: number;

  constructor(code: ChatRequestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
  }
}

/** The JSON body of an error response: `{ error: { code, message } }`. */
export interface ChatErrorBody {
  error: { code: ChatRequestErrorCode; message: string };
}

/** Turns a {@link ChatRequestError} into its JSON response. */
export function errorResponse(error: ChatRequestError): Response {
  const body: ChatErrorBody = { error: { code: error.code, message: error.message } };
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  };
  if (error.code === 'method_not_allowed') headers.allow = 'POST';
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
