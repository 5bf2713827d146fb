/**
 * The logger seam: pino-compatible (`logger.info({ ...fields }, 'message')`), silent by default,
 * so the Web-only root never imports pino. The Node entry passes a real pino logger.
 */

/** Structured log fields. Never secrets. */
export type LogFields = Record<string, unknown>;

/** The subset of pino's API the gateway uses. A pino logger satisfies it. */
export interface Logger {
  debug(fields: LogFields, message?: string): void;
  info(fields: LogFields, message?: string): void;
  warn(fields: LogFields, message?: string): void;
  error(fields: LogFields, message?: string): void;
}

const ignore = () => undefined;

/** A logger that drops everything. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
