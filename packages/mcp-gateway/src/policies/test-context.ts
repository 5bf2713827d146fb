/** Test helpers shared by the policy tests (not exported from the package). */
import type {
  Clock,
  Next,
  Principal,
  RequestContext,
  RequestOutcome,
  Stage,
  ToolSafety,
} from '../pipeline/types.js';

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  advance(milliseconds: number): void;
  set(milliseconds: number): void;
}

/** A {@link ManualClock} starting at `start`. */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance(milliseconds) {
      current += milliseconds;
    },
    set(milliseconds) {
      current = milliseconds;
    },
  };
}

/** Safety of a read-only tool. */
export const readOnlySafety: ToolSafety = {
  readOnly: true,
  destructive: false,
  idempotent: true,
  openWorld: false,
};

/** Safety of a destructive tool. */
export const destructiveSafety: ToolSafety = {
  readOnly: false,
  destructive: true,
  idempotent: false,
  openWorld: false,
};

/** Fields a test may set on a context. */
export interface ContextInit {
  server?: string;
  method?: string;
  tool?: string;
  safety?: ToolSafety;
  arguments?: Record<string, unknown>;
  principal?: Partial<Principal>;
  bypassCache?: boolean;
  startedAt?: number;
  requestId?: string;
}

/** A `tools/call` context for `billy/list_invoices` unless told otherwise. */
export function createTestContext(init: ContextInit = {}): RequestContext {
  const method = init.method ?? 'tools/call';
  const toolName = init.tool ?? 'list_invoices';
  const outcome: RequestOutcome = {};
  return {
    requestId: init.requestId ?? crypto.randomUUID(),
    server: init.server ?? 'billy',
    method,
    params:
      method === 'tools/call' ? { name: toolName, arguments: init.arguments ?? {} } : undefined,
    tool:
      method === 'tools/call'
        ? { name: toolName, safety: init.safety ?? readOnlySafety }
        : undefined,
    principal: {
      id: '7d0f8a5e-3c1b-4b8e-9a53-0c9e6f2d1a11',
      kind: 'user',
      role: 'member',
      tenantId: 'acme',
      ...init.principal,
    },
    signal: new AbortController().signal,
    startedAt: init.startedAt ?? 0,
    responseHeaders: new Headers(),
    bypassCache: init.bypassCache ?? false,
    outcome,
  };
}

/** A `next` that counts calls and answers with a text result. */
export function createCountingNext(
  answer: (
    context: RequestContext,
  ) => Record<string, unknown> | Promise<Record<string, unknown>> = () => ({
    content: [{ type: 'text', text: 'ok' }],
  }),
): Next & { calls: number } {
  const next = (async (context: RequestContext) => {
    next.calls++;
    return answer(context);
  }) as Next & { calls: number };
  next.calls = 0;
  return next;
}

/** Runs `context` through `stages` in order, ending in `upstream` (what the core does). */
export function runPipeline(
  stages: readonly Stage[],
  context: RequestContext,
  upstream: Next,
): Promise<Record<string, unknown>> {
  const step = (index: number): Next => {
    const stage = stages[index];
    if (!stage) return upstream;
    return (current) => stage.handle(current, step(index + 1));
  };
  return step(0)(context);
}
