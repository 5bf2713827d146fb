/** The logging seam of the policy stages: a subset of pino's API. */

/** A pino-compatible logger (`logger.warn({ err }, 'message')`). */
export interface PolicyLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything; the default of every stage. */
export const silentLogger: PolicyLogger = {
  info() {},
  warn() {},
  error() {},
};
