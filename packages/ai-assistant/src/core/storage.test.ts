import { describe, expect, it } from 'vitest';
import { createLocalStorageThreadStorage } from './storage';
import type { AssistantMessage } from './types';

function fakeStorage(quota: number): Storage & { writes: string[] } {
  const items = new Map<string, string>();
  const writes: string[] = [];
  return {
    writes,
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
      const used = [...items].reduce(
        (sum, [name, item]) => sum + (name === key ? 0 : item.length),
        0,
      );
      if (used + value.length > quota) throw new DOMException('full', 'QuotaExceededError');
      writes.push(key);
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
    expect(backing.getItem('tekup-assistant:k#0')).toContain('message 3');
    expect(storage.load('k')).toHaveLength(4);
    storage.remove('k');
    expect(storage.load('k')).toBeUndefined();
    expect(backing.length).toBe(0);
  });

  it('rewrites only the chunks a turn changed', () => {
    const backing = fakeStorage(10_000_000);
    const storage = createLocalStorageThreadStorage(backing);
    const messages = thread(2000);
    storage.save('k', messages);
    expect(backing.writes.filter((key) => key.includes('#'))).toHaveLength(40);
    backing.writes.length = 0;
    // A new turn: two messages appended, everything before them the same objects.
    const next = [...messages, ...thread(2002).slice(2000)];
    storage.save('k', next);
    expect(backing.writes).toEqual(['tekup-assistant:k#40', 'tekup-assistant:k']);
    // A fresh storage object (a reload) reads the whole thread back.
    const reloaded = createLocalStorageThreadStorage(backing).load('k') as AssistantMessage[];
    expect(reloaded).toHaveLength(2002);
    expect(reloaded?.[2001]?.id).toBe('m2001');
  });

  it('drops chunks a shorter thread no longer needs', () => {
    const backing = fakeStorage(10_000_000);
    const storage = createLocalStorageThreadStorage(backing);
    storage.save('k', thread(120));
    storage.save('k', thread(120).slice(0, 10));
    expect(backing.getItem('tekup-assistant:k#1')).toBeNull();
    expect(storage.load('k')).toHaveLength(10);
  });

  it('reads threads saved in the first, single-key format', () => {
    const backing = fakeStorage(1_000_000);
    backing.setItem('tekup-assistant:k', JSON.stringify({ version: 1, messages: thread(3) }));
    expect(createLocalStorageThreadStorage(backing).load('k')).toHaveLength(3);
  });

  it('does not pass off a save cut off halfway as the thread', () => {
    const backing = fakeStorage(1_000_000);
    createLocalStorageThreadStorage(backing).save('k', thread(120));
    backing.removeItem('tekup-assistant:k#2');
    expect(createLocalStorageThreadStorage(backing).load('k')).toBeUndefined();
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
