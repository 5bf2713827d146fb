/** Deadlines inside one pooled call, as abort signals that name a timeout as their reason. */

/** The abort reason of a passed deadline (connections tell it from a client's abort by name). */
export function timeoutReason(): DOMException {
  return new DOMException('The upstream deadline passed', 'TimeoutError');
}

/** A signal aborted by its parent or after `timeoutMs`, whichever comes first. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** True when the time ran out (not the parent). */
  readonly passed: boolean;
  /** Stops the timer and lets go of the parent. */
  dispose(): void;
}

/** Starts a deadline of `timeoutMs` under `parent`. */
export function createDeadline(parent: AbortSignal, timeoutMs: number): Deadline {
  const controller = new AbortController();
  let passed = false;
  const timer = setTimeout(() => {
    passed = true;
    controller.abort(timeoutReason());
  }, timeoutMs);
  const forward = () => controller.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    get passed() {
      return passed;
    },
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', forward);
    },
  };
}
