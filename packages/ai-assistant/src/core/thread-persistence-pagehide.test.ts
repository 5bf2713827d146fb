// @vitest-environment jsdom
// A browser page: the pagehide event exists only there.
import { describe, expect, it } from 'vitest';
import { createMemoryThreadStorage } from './storage';
import { createThreadPersistence } from './thread-persistence';
import type { AssistantMessage } from './types';

const user = (text: string): AssistantMessage => ({
  id: text,
  role: 'user',
  parts: [{ type: 'text', text }],
});

describe('createThreadPersistence in a page', () => {
  it('writes a save still waiting for idle time when the page is hidden (a reload)', () => {
    const storage = createMemoryThreadStorage();
    const persistence = createThreadPersistence({
      storage,
      threadKey: 'pagehide',
      fallback: undefined,
      deferred: false,
      apply: () => true,
      schedule: () => undefined,
    });
    persistence.save([user('one')], 'ready');
    expect(storage.load('pagehide')).toBeUndefined();
    globalThis.dispatchEvent(new Event('pagehide'));
    expect(storage.load('pagehide')).toEqual([user('one')]);
  });
});
