/**
 * The small metrics seam of the policy stages. The gateway core binds it to its
 * Prometheus registry; stages only ever call these methods.
 */

/** Which cache path answered a request. */
export type CacheResult = 'hit' | 'miss' | 'stale' | 'bypass';

/** Why a request was refused by RBAC. */
export type DenyReason = 'unknown_role' | 'not_allowed' | 'denied' | 'destructive';

/** Which external store failed. */
export type StoreName = 'redis-rate-limit' | 'redis-cache' | 'audit-database' | 'audit-spool';

/** How a `tools/call` decision ended, as recorded in the audit log. */
export type AuditOutcome =
  | 'success'
  | 'failure'
  | 'denied'
  | 'rate_limited'
  | 'cached'
  /** The user declined the call in the client; it never went upstream. */
  | 'rejected'
  /** The call paused to ask the client something (2026-07-28 `input_required`); a later round continues it. */
  | 'input_required'
  /** The client's answer to an upstream's question during a call: the row of the decision, not the call. */
  | InteractionOutcome;

/** Every audit outcome, in the order pages and stats list them. */
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = [
  'success',
  'failure',
  'denied',
  'rate_limited',
  'cached',
  'rejected',
  'input_required',
  'elicitation_accepted',
  'elicitation_declined',
  'elicitation_cancelled',
  'sampling_approved',
  'sampling_declined',
];

/** What the user did with an upstream's elicitation or sampling request. */
type InteractionOutcome =
  | 'elicitation_accepted'
  | 'elicitation_declined'
  | 'elicitation_cancelled'
  | 'sampling_approved'
  | 'sampling_declined';

/** Counters and gauges the policy stages report. All methods must be cheap and never throw. */
export interface PolicyMetrics {
  /** One cache lookup for a read-only tool call. */
  cacheLookup(server: string, result: CacheResult): void;
  /** One request refused with 429. */
  rateLimited(server: string): void;
  /** One request refused by RBAC. */
  denied(server: string, reason: DenyReason): void;
  /** A store call failed (Redis unreachable, database down); `failMode` says what the stage did. */
  storeFailure(store: StoreName, failMode: 'open' | 'closed' | 'retry'): void;
  /** Rows waiting in the audit buffer after a change. */
  auditQueueDepth(depth: number): void;
  /** Audit rows dropped because the buffer was full. */
  auditDropped(count: number): void;
  /** One finished `tools/call` decision with its wall time. */
  toolCall(server: string, tool: string, outcome: AuditOutcome, durationMs: number): void;
}

/** Metrics that record nothing; the default of every stage. */
export const noopPolicyMetrics: PolicyMetrics = {
  cacheLookup() {},
  rateLimited() {},
  denied() {},
  storeFailure() {},
  auditQueueDepth() {},
  auditDropped() {},
  toolCall() {},
};
