/**
 * The audit stage: exactly one row per `tools/call` decision, whatever the
 * outcome. It must be the outermost stage so it sees every refusal.
 */
import { POLICY_DEFAULTS } from '../../config/defaults.js';
import { GatewayError, isGatewayError } from '../../errors.js';
import type { Clock, RequestContext, Stage } from '../../pipeline/types.js';
import { systemClock } from '../../pipeline/types.js';
import type { AuditRecord, AuditSink, AuditSpool } from '../../stores/types.js';
import { canonicalJson, sha256Hex } from '../hash.js';
import { type PolicyLogger, silentLogger } from '../logger.js';
import { type AuditOutcome, noopPolicyMetrics, type PolicyMetrics } from '../metrics.js';

/** How tool arguments appear in the audit log. */
export type ArgumentRedaction = 'hash' | 'omit' | 'raw';

/** Options for {@link createAuditStage}. */
export interface AuditStageOptions {
  sink: AuditSink;
  clock?: Clock;
  /**
   * `hash` stores the SHA-256 of the canonical JSON arguments (equal calls
   * can be correlated, values cannot be read back; low-entropy arguments can
   * be guessed by hashing candidates, so use `omit` where that matters);
   * `omit` stores nothing; `raw` stores the arguments as jsonb.
   * @default 'hash'
   */
  redactArguments?: ArgumentRedaction;
  /** The sink's spool, when it has one: new calls are refused while it is full. */
  spool?: Pick<AuditSpool, 'hasRoom'>;
  metrics?: PolicyMetrics;
  logger?: PolicyLogger;
}

const deniedCodes = new Set(['forbidden', 'unauthorized', 'origin_forbidden']);

/** Maps a request's end to its audit outcome and error code. */
function classifyOutcome(
  context: RequestContext,
  result: Record<string, unknown> | undefined,
  error: unknown,
): { outcome: AuditOutcome; success: boolean; errorCode: string | undefined } {
  if (error !== undefined) {
    const code = isGatewayError(error) ? error.code : 'internal_error';
    if (deniedCodes.has(code)) return { outcome: 'denied', success: false, errorCode: code };
    if (code === 'rate_limited')
      return { outcome: 'rate_limited', success: false, errorCode: code };
    return { outcome: 'failure', success: false, errorCode: code };
  }
  if (context.decision === 'rejected') {
    return { outcome: 'rejected', success: false, errorCode: undefined };
  }
  if (context.outcome.inputRequired === true) {
    return { outcome: 'input_required', success: true, errorCode: undefined };
  }
  if (result?.isError === true || context.outcome.toolError === true) {
    return {
      outcome: 'failure',
      success: false,
      errorCode: context.outcome.errorCode ?? 'tool_error',
    };
  }
  const cache = context.outcome.cache;
  if (cache === 'hit' || cache === 'stale')
    return { outcome: 'cached', success: true, errorCode: undefined };
  return { outcome: 'success', success: true, errorCode: undefined };
}

/** The request id as a uuid: itself when it is one, else a stable uuid derived from its hash. */
async function toUuid(requestId: string): Promise<string> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(requestId)) {
    return requestId.toLowerCase();
  }
  const hex = await sha256Hex(`tekup-request:${requestId}`);
  // RFC 9562 version 8 (custom) with the RFC variant bits.
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The audit stage. The row of a call is built and handed to the sink before the answer
 * leaves (a spooling sink has it on disk by then); the sink writes to the database off the
 * response path. Nothing here can reject unowned: a row that cannot be hashed is written
 * without its hash.
 *
 * @example
 * const stage = createAuditStage({ sink: createBatchingAuditSink({ store: createPgliteAuditStore() }) });
 */
export function createAuditStage(options: AuditStageOptions): Stage & {
  /** Flushes the sink. */
  flush(timeoutMs?: number): Promise<void>;
} {
  const clock = options.clock ?? systemClock;
  const redaction = options.redactArguments ?? POLICY_DEFAULTS.audit.redactArguments;
  const metrics = options.metrics ?? noopPolicyMetrics;
  const logger = options.logger ?? silentLogger;
  let closing: Promise<void> | undefined;
  let spoolFull = false;

  async function record(
    context: RequestContext,
    result: Record<string, unknown> | undefined,
    error: unknown,
  ): Promise<void> {
    const durationMs = Math.max(0, clock.now() - context.startedAt);
    const tool = context.tool?.name ?? String(context.params?.name ?? 'unknown');
    const { outcome, success, errorCode } = classifyOutcome(context, result, error);
    metrics.toolCall(context.server, tool, outcome, durationMs);
    const { principal } = context;
    const args = context.params?.arguments ?? {};
    const row: AuditRecord = {
      requestId: context.requestId,
      server: context.server,
      tool,
      principalId: principal.id,
      principalKind: principal.kind,
      role: principal.role,
      tenantId: principal.tenantId,
      actorId: principal.actor?.id,
      keyId: principal.keyId,
      keyName: principal.keyName,
      timestamp: new Date(context.startedAt),
      durationMs,
      success,
      outcome,
      errorCode: errorCode ?? context.outcome.errorCode,
      cache: context.outcome.cache,
      instance: context.outcome.instance,
      arguments: redaction === 'raw' ? args : undefined,
    };
    try {
      row.requestId = await toUuid(row.requestId);
      if (redaction === 'hash') row.argumentsHash = await sha256Hex(canonicalJson(args));
    } catch (failure) {
      // The decision is recorded whatever its arguments look like.
      logger.warn({ err: failure, requestId: row.requestId }, 'audit row without argument hash');
      if (!/^[0-9a-f-]{36}$/.test(row.requestId)) row.requestId = crypto.randomUUID();
    }
    try {
      options.sink.write(row);
    } catch (failure) {
      logger.error({ err: failure, requestId: row.requestId }, 'audit sink refused a row');
    }
  }

  return {
    name: 'audit',
    async handle(context, next) {
      if (context.method !== 'tools/call') return next(context);
      if (options.spool && !options.spool.hasRoom()) {
        // A bound reached is never silent: counted, and logged once per stretch.
        metrics.storeFailure('audit-spool', 'closed');
        if (!spoolFull) logger.error({}, 'audit spool full; refusing tool calls until it drains');
        spoolFull = true;
        const refusal = new GatewayError(
          'audit_unavailable',
          'The audit log cannot take more calls right now; try again shortly',
          { retryAfter: 5 },
        );
        await record(context, undefined, refusal);
        throw refusal;
      }
      if (spoolFull) {
        spoolFull = false;
        logger.info({}, 'audit spool has room again');
      }
      let result: Record<string, unknown>;
      try {
        result = await next(context);
      } catch (error) {
        await record(context, undefined, error);
        throw error;
      }
      await record(context, result, undefined);
      return result;
    },
    async recordInteraction(interaction) {
      const { principal } = interaction;
      const outcome: AuditOutcome =
        interaction.kind === 'sampling'
          ? interaction.decision === 'accept'
            ? 'sampling_approved'
            : 'sampling_declined'
          : interaction.decision === 'accept'
            ? 'elicitation_accepted'
            : interaction.decision === 'decline'
              ? 'elicitation_declined'
              : 'elicitation_cancelled';
      try {
        options.sink.write({
          requestId: await toUuid(`interaction:${interaction.id}`),
          server: interaction.server,
          tool: interaction.tool,
          principalId: principal.id,
          principalKind: principal.kind,
          role: principal.role,
          tenantId: principal.tenantId,
          actorId: principal.actor?.id,
          keyId: principal.keyId,
          keyName: principal.keyName,
          timestamp: new Date(clock.now()),
          durationMs: Math.max(0, clock.now() - interaction.askedAt),
          success: interaction.decision === 'accept',
          outcome,
        });
      } catch (failure) {
        logger.error({ err: failure, server: interaction.server }, 'audit sink refused a row');
      }
    },
    async flush(timeoutMs?: number) {
      await options.sink.flush(timeoutMs);
    },
    close() {
      closing ??= options.sink.close();
      return closing;
    },
  };
}
