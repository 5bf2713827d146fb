/** A value that changes over time, with subscribers (the core's only state container). */
export interface Store<T> {
  getState(): T;
  /** Merges `patch` (or what it returns for the current state) and notifies every subscriber. */
  setState(patch: Partial<T> | ((state: T) => Partial<T>)): void;
  subscribe(listener: () => void): () => void;
}

/** Creates a {@link Store}: every update makes a new state object, so snapshots compare by identity. */
export function createStore<T extends object>(initial: T): Store<T> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    setState(patch) {
      const next = typeof patch === 'function' ? patch(state) : patch;
      state = { ...state, ...next };
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
