import { describe, expect, it } from 'vitest';
import { createLocalStorageThreadStorage } from './storage';
import type { AssistantMessage } from './types';

function fakeStorage(quota: number): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    removeItem: (key) => {
      items.delete(key);
    },
    setItem: (key, value) => {
      if (value.length > quota) throw new DOMException('full', 'QuotaExceededError');
      items.set(key, value);
    },
  };
}

const thread = (count: number): AssistantMessage[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `m${index}`,
    role: index % 2 === 0 ? 'user' : 'assistant',
    parts: [{ type: 'text', text: `message ${index} ${'x'.repeat(100)}` }],
  }));

describe('createLocalStorageThreadStorage', () => {
  it('round-trips a thread under a prefixed key and removes it', () => {
    const backing = fakeStorage(1_000_000);
    const storage = createLocalStorageThreadStorage(backing);
    storage.save('k', thread(4));
    expect(backing.getItem('tekup-assistant:k')).toContain('message 3');
    expect(storage.load('k')).toHaveLength(4);
    storage.remove('k');
    expect(storage.load('k')).toBeUndefined();
  });

  it('keeps the newest turns when the full thread is over quota', () => {
    const backing = fakeStorage(5_000);
    const storage = createLocalStorageThreadStorage(backing);
    storage.save('k', thread(60));
    const saved = storage.load('k') as AssistantMessage[];
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.length).toBeLessThan(60);
    expect(saved.at(-1)?.id).toBe('m59');
    expect(saved[0]?.role).toBe('user');
  });

  it('ignores corrupt data', () => {
    const backing = fakeStorage(1000);
    backing.setItem('tekup-assistant:k', '{not json');
    expect(createLocalStorageThreadStorage(backing).load('k')).toBeUndefined();
  });
});
