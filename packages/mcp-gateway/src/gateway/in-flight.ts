/**
 * The relayed requests in flight: counted so shutdown can wait for them, and indexed by
 * caller, session and JSON-RPC id so a 2025-era `notifications/cancelled` can abort one (only
 * the instance serving a request can cancel it).
 */

/** Relayed requests in flight. */
export interface InFlight {
  /** True once shutdown began: new requests are refused. */
  readonly closing: boolean;
  /** Counts a request in, cancellable under `key`; the returned function counts it out. */
  enter(key: string, controller: AbortController): () => void;
  /** Aborts the request under `key`, if one is in flight. */
  cancel(key: string): void;
  /** Refuses new requests and waits until none is in flight, at most `deadlineMs`. */
  drain(deadlineMs: number): Promise<void>;
}

/** The key of a request for cancellation: its caller, its session and its JSON-RPC id. */
export function cancelKey(principalId: string, request: Request, id: unknown): string {
  return `${principalId}\u0000${request.headers.get('mcp-session-id') ?? ''}\u0000${String(id)}`;
}

/** Creates the registry of one gateway. */
export function createInFlight(): InFlight {
  let closing = false;
  let count = 0;
  let drained: (() => void) | undefined;
  const cancellable = new Map<string, AbortController>();
  return {
    get closing() {
      return closing;
    },
    enter(key, controller) {
      cancellable.set(key, controller);
      count++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        if (cancellable.get(key) === controller) cancellable.delete(key);
        count--;
        if (count === 0) drained?.();
      };
    },
    cancel(key) {
      cancellable.get(key)?.abort();
    },
    async drain(deadlineMs) {
      closing = true;
      if (count === 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}
