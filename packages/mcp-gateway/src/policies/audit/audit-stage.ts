/**
 * The audit stage: exactly one row per `tools/call` decision, whatever the
 * outcome. It must be the outermost stage so it sees every refusal.
 */
import { isGatewayError } from '../../errors.js';
import type { Clock, RequestContext, Stage } from '../../pipeline/types.js';
import { systemClock } from '../../pipeline/types.js';
import type { AuditRecord, AuditSink } from '../../stores/types.js';
import { canonicalJson, sha256Hex } from '../hash.js';
import { type AuditOutcome, type PolicyMetrics, noopPolicyMetrics } from '../metrics.js';

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
  metrics?: PolicyMetrics;
}

const deniedCodes = new Set(['forbidden', 'unauthorized', 'origin_forbidden']);

/** Maps a request's end to its audit outcome and error code. */
export function classifyOutcome(
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
 * The audit stage. Rows are built after the response is decided and handed
 * to the sink without waiting for the database; `close()` waits for rows
 * still being built, then closes the sink.
 *
 * @example
 * const stage = createAuditStage({ sink: createBatchingAuditSink({ store: createPgliteAuditStore() }) });
 */
export function createAuditStage(options: AuditStageOptions): Stage & {
  /** Waits for rows being built, then flushes the sink. */
  flush(): Promise<void>;
} {
  const clock = options.clock ?? systemClock;
  const redaction = options.redactArguments ?? 'hash';
  const metrics = options.metrics ?? noopPolicyMetrics;
  const pending = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;

  function record(
    context: RequestContext,
    result: Record<string, unknown> | undefined,
    error: unknown,
  ): void {
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
    const done = (async () => {
      row.requestId = await toUuid(row.requestId);
      if (redaction === 'hash') row.argumentsHash = await sha256Hex(canonicalJson(args));
      options.sink.write(row);
    })();
    pending.add(done);
    void done.finally(() => pending.delete(done));
  }

  return {
    name: 'audit',
    async handle(context, next) {
      if (context.method !== 'tools/call') return next(context);
      let result: Record<string, unknown>;
      try {
        result = await next(context);
      } catch (error) {
        record(context, undefined, error);
        throw error;
      }
      record(context, result, undefined);
      return result;
    },
    async flush() {
      await Promise.allSettled([...pending]);
      await options.sink.flush();
    },
    close() {
      closing ??= (async () => {
        await Promise.allSettled([...pending]);
        await options.sink.close();
      })();
      return closing;
    },
  };
}
