/**
 * Waits for a promise others share, giving up — without cancelling it — when `signal` aborts:
 * one caller leaving must not fail the rest (a shared `initialize`, a shared tool listing).
 * Rejects with `aborted()` when the signal fires first.
 */
export function followUntilAborted<T>(
  shared: Promise<T>,
  signal: AbortSignal,
  aborted: () => Error,
): Promise<T> {
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
