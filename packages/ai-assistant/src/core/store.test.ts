import { describe, expect, it } from 'vitest';
import { createStore } from './store';

describe('createStore', () => {
  it('merges patches into a new state and notifies every subscriber', () => {
    const store = createStore({ count: 0, label: 'a' });
    const first = store.getState();
    const seen: number[] = [];
    const unsubscribe = store.subscribe(() => seen.push(store.getState().count));
    store.setState({ count: 1 });
    store.setState((state) => ({ count: state.count + 1 }));
    expect(store.getState()).toEqual({ count: 2, label: 'a' });
    expect(store.getState()).not.toBe(first);
    expect(first).toEqual({ count: 0, label: 'a' });
    unsubscribe();
    store.setState({ count: 3 });
    expect(seen).toEqual([1, 2]);
  });

  it('keeps the same snapshot until something changes', () => {
    const store = createStore({ count: 0 });
    expect(store.getState()).toBe(store.getState());
  });
});
