/** Machine-readable codes carried by {@link DemoServerError}. */
export type DemoServerErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'forbidden'
  | 'tenant_required'
  | 'unknown_tenant'
  | 'query_refused'
  | 'query_timeout'
  | 'unknown_server'
  | 'startup_failed';

/** Options for {@link DemoServerError}. */
export interface DemoServerErrorOptions {
  /** Name of the offending input field, when one is to blame. */
  field?: string;
  /** Underlying error. */
  cause?: unknown;
  /** Extra structured detail. */
  data?: Record<string, unknown>;
}

/**
 * The one error type of this package. Thrown inside a tool callback it becomes an MCP tool
 * error (`isError: true`) whose text is the message, so messages name the field at fault.
 */
export class DemoServerError extends Error {
  /** Stable code. */
  readonly code: DemoServerErrorCode;
  /** Input field at fault, if any. */
  readonly field?: string;
  /** Extra structured detail. */
  readonly data?: Record<string, unknown>;

  constructor(code: DemoServerErrorCode, message: string, options: DemoServerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DemoServerError';
    this.code = code;
    if (options.field !== undefined) this.field = options.field;
    if (options.data !== undefined) this.data = options.data;
  }
}
