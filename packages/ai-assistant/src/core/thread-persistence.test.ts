import { describe, expect, it } from 'vitest';
import { createMemoryThreadStorage, type ThreadStorage } from './storage';
import { createThreadPersistence } from './thread-persistence';
import type { AssistantMessage } from './types';

const user = (text: string, id = text): AssistantMessage => ({
  id,
  role: 'user',
  parts: [{ type: 'text', text }],
});
const interrupted: AssistantMessage = {
  id: 'a',
  role: 'assistant',
  parts: [{ type: 'tool-billy_x', toolCallId: 'c', state: 'input-available', input: {} }],
};

function recording(storage: ThreadStorage) {
  const saves: number[] = [];
  return {
    saves,
    storage: {
      ...storage,
      save(key, messages) {
        saves.push(messages.length);
        return storage.save(key, messages);
      },
    } satisfies ThreadStorage,
  };
}

describe('createThreadPersistence', () => {
  it('starts from the stored thread, with interrupted calls settled, else from the fallback', () => {
    const storage = createMemoryThreadStorage();
    storage.save('t', [user('hi'), interrupted]);
    const stored = createThreadPersistence({
      storage,
      threadKey: 't',
      fallback: [user('welcome')],
      deferred: false,
      apply: () => true,
    });
    expect(stored.initialMessages[1]?.parts[0]).toMatchObject({ state: 'output-error' });
    const empty = createThreadPersistence({
      storage,
      threadKey: 'other',
      fallback: [user('welcome')],
      deferred: false,
      apply: () => true,
    });
    expect(empty.initialMessages).toEqual([user('welcome')]);
  });

  it('reads nothing until hydrate when deferred, then applies the stored thread once', () => {
    const storage = createMemoryThreadStorage();
    storage.save('t', [user('stored')]);
    const applied: AssistantMessage[][] = [];
    const persistence = createThreadPersistence({
      storage,
      threadKey: 't',
      fallback: undefined,
      deferred: true,
      apply: (messages) => {
        applied.push(messages);
        return true;
      },
    });
    expect(persistence.initialMessages).toEqual([]);
    persistence.hydrate();
    persistence.hydrate();
    expect(applied).toEqual([[user('stored')]]);
  });

  it('applies an async load unless the user has moved on', async () => {
    const memory = createMemoryThreadStorage();
    memory.save('t', [user('stored')]);
    const slow: ThreadStorage = { ...memory, load: async (key) => memory.load(key) };
    const applied: AssistantMessage[][] = [];
    createThreadPersistence({
      storage: slow,
      threadKey: 't',
      fallback: undefined,
      deferred: false,
      apply: (messages) => {
        applied.push(messages);
        return false;
      },
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(applied).toEqual([[user('stored')]]);
  });

  it('saves a changed thread once it is idle, and forgets it on remove', () => {
    const { storage, saves } = recording(createMemoryThreadStorage());
    const persistence = createThreadPersistence({
      storage,
      threadKey: 't',
      fallback: undefined,
      deferred: false,
      apply: () => true,
      schedule: (task) => task(),
    });
    const thread = [user('one')];
    persistence.save(thread, 'streaming');
    persistence.save(thread, 'ready');
    persistence.save(thread, 'ready');
    expect(saves).toEqual([1]);
    persistence.remove();
    expect(storage.load('t')).toBeUndefined();
    persistence.save(thread, 'ready');
    expect(saves).toEqual([1, 1]);
  });

  it('writes in idle time, one write for every save before it, and at once when flushed', () => {
    const { storage, saves } = recording(createMemoryThreadStorage());
    const waiting: (() => void)[] = [];
    const persistence = createThreadPersistence({
      storage,
      threadKey: 't',
      fallback: undefined,
      deferred: false,
      apply: () => true,
      schedule: (task) => waiting.push(task),
    });
    persistence.save([user('one')], 'ready');
    persistence.save([user('one'), user('two')], 'ready');
    expect(saves).toEqual([]);
    expect(waiting).toHaveLength(1);
    waiting.shift()?.();
    expect(saves).toEqual([2]);

    persistence.save([user('three')], 'ready');
    // The page is hidden before the idle time came: written now, and not again later.
    persistence.flush();
    expect(saves).toEqual([2, 1]);
    waiting.shift()?.();
    expect(saves).toEqual([2, 1]);
  });
});
