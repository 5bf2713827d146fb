/**
 * The seams of the gateway pipeline. The core parses and validates a client's
 * JSON-RPC request, authenticates it, then runs each upstream-bound request
 * through an ordered list of stages (audit → rbac → rate limit → cache →
 * upstream). Policies are stages; they throw {@link GatewayError}s and never
 * build responses themselves.
 */

import type { Tool, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { ToolSafety } from '@tekup/mcp-contract';
import { POLICY_DEFAULTS } from '../config/defaults.js';
import type { ServerConfig } from '../config/types.js';

/** Source of time; injected so TTLs and windows are tested without sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Who is asking. Authentication produces it; every later stage reads it. */
export interface Principal {
  /** Stable id (a uuid for users); the audit log's `user_id`. */
  id: string;
  /** `user` for people, `service` for API-key callers, `anonymous` for unauthenticated loopback use. */
  kind: 'user' | 'service' | 'anonymous';
  /** Role name looked up in the RBAC rules. */
  role: string;
  /** Organization / tenant the principal belongs to; forwarded upstream for row-level security. */
  tenantId?: string;
  /** Id of the API key that authenticated the request, if any. */
  keyId?: string;
  /** The operator-given name of that key (shown in the audit log beside its id). */
  keyName?: string;
  /**
   * What the credential was granted, as `<server>:read` / `<server>:write` (`*` for every
   * server): read-only tools need `read`, everything else `write`. Undefined means no scope
   * limit (a signed-in session). The gateway enforces it; RBAC still applies on top.
   */
  scopes?: readonly string[];
  /** When a trusted service acts on behalf of a user: the service itself. */
  actor?: Principal;
}

/** The principal of unauthenticated loopback use (and of every caller when nothing authenticates). */
export const anonymousPrincipal: Principal = {
  id: 'anonymous',
  kind: 'anonymous',
  role: POLICY_DEFAULTS.auth.anonymousRole,
};

/** A tool's effective safety (server annotations merged with config overrides), shared with the clients. */
export type { ToolSafety };

/** What a stage knows about one upstream-bound JSON-RPC request. */
export interface RequestContext {
  /** The gateway request id (`x-request-id`), also the audit row's `request_id` (uuid). */
  readonly requestId: string;
  /** Logical server name, e.g. `billy`. */
  readonly server: string;
  /** JSON-RPC method, e.g. `tools/call`. */
  readonly method: string;
  /** JSON-RPC params as sent by the client. */
  readonly params: Record<string, unknown> | undefined;
  /** For `tools/call`: the tool's name and effective safety. */
  readonly tool: { name: string; safety: ToolSafety; annotations?: ToolAnnotations } | undefined;
  /** The authenticated caller. */
  readonly principal: Principal;
  /** Aborted when the client goes away or the request's deadline passes. */
  readonly signal: AbortSignal;
  /** `clock.now()` when the request entered the gateway. */
  readonly startedAt: number;
  /** Headers stages add to the client response (e.g. `RateLimit-*`). */
  readonly responseHeaders: Headers;
  /** True when the caller asked to skip the cache (`Cache-Control: no-cache`). */
  readonly bypassCache: boolean;
  /** Facts stages record for audit, logs and metrics. */
  readonly outcome: RequestOutcome;
  /**
   * Set when the call was decided in the client and never goes upstream: the user rejected it
   * at the approval step. Stages record it (audit) or let it pass; the core answers `{}`.
   */
  readonly decision?: 'rejected';
  /**
   * The server's resolved configuration (e.g. `cacheTtlSeconds`, tool overrides). The gateway
   * always sets it; optional so stages can be unit-tested with hand-made contexts.
   */
  readonly serverConfig?: ServerConfig;
}

/** Facts collected while a request runs. */
export interface RequestOutcome {
  cache?: 'hit' | 'miss' | 'stale' | 'bypass';
  /** Upstream instance URL that answered. */
  instance?: string;
  /** Gateway error code when the request failed or was refused. */
  errorCode?: string;
  /** True when the upstream answered with a tool result flagged `isError`. */
  toolError?: boolean;
  /** True when the call paused to ask the client something (2026-07-28 `input_required`). */
  inputRequired?: boolean;
}

/**
 * A client's answer to an upstream's elicitation or sampling request during a call: who, on
 * which server and tool, and what they decided — never what they typed.
 */
export interface InteractionRecord {
  /** Unique per decision (the audit row's key is derived from it). */
  readonly id: string;
  readonly server: string;
  readonly tool: string;
  readonly principal: Principal;
  readonly kind: 'elicitation' | 'sampling';
  /** elicitation: `accept` / `decline` / `cancel`; sampling: `accept` (answered) or `decline`. */
  readonly decision: 'accept' | 'decline' | 'cancel';
  /** When the question was asked (ms since the epoch). */
  readonly askedAt: number;
}

/** Calls the rest of the pipeline; resolves with the JSON-RPC `result`. */
export type Next = (context: RequestContext) => Promise<Record<string, unknown>>;

/** A policy stage. */
export interface Stage {
  /** Short name used in logs, metrics and benchmarks (`auth`, `rbac`, `rate-limit`, `cache`, `audit`). */
  readonly name: string;
  /** Runs the stage around the rest of the pipeline. */
  handle(context: RequestContext, next: Next): Promise<Record<string, unknown>>;
  /** Removes tools the principal may not call from a `tools/list` result. */
  filterTools?(principal: Principal, server: string, tools: Tool[]): Tool[];
  /** Records a client's answer to an upstream's question (the audit log). Never throws. */
  recordInteraction?(record: InteractionRecord): Promise<void>;
  /** Called when a server announces `notifications/tools/list_changed`. */
  onToolsChanged?(server: string): void | Promise<void>;
  /** Makes what the stage has recorded so far durable (the audit log). */
  flush?(): Promise<void>;
  /** Flushes and releases resources on shutdown. */
  close?(): Promise<void>;
}

/** Authenticates a client request; throws `unauthorized` when it cannot. */
export type Authenticator = (
  request: Request,
  info: { remoteAddress?: string },
) => Promise<Principal>;
