import { describe, expect, it } from 'vitest';
import { trimHistory } from './trim';
import type { AssistantMessage } from './types';

const user = (id: string, text = 'q'): AssistantMessage => ({
  id,
  role: 'user',
  parts: [{ type: 'text', text }],
});
const assistant = (id: string, text = 'a'): AssistantMessage => ({
  id,
  role: 'assistant',
  parts: [{ type: 'text', text }],
});

describe('trimHistory', () => {
  it('keeps short threads whole', () => {
    const thread = [user('u1'), assistant('a1')];
    expect(trimHistory(thread)).toBe(thread);
  });

  it('cuts by count at a user message', () => {
    const thread = [
      user('u1'),
      assistant('a1'),
      user('u2'),
      assistant('a2'),
      assistant('a2b'),
      user('u3'),
      assistant('a3'),
    ];
    expect(trimHistory(thread, { maxMessages: 4 }).map((message) => message.id)).toEqual([
      'u3',
      'a3',
    ]);
    expect(trimHistory(thread, { maxMessages: 5 }).map((message) => message.id)).toEqual([
      'u2',
      'a2',
      'a2b',
      'u3',
      'a3',
    ]);
  });

  it('cuts by size, and keeps the last user turn even when it alone is too big', () => {
    const big = 'x'.repeat(1000);
    const thread = [user('u1', big), assistant('a1', big), user('u2'), assistant('a2')];
    expect(trimHistory(thread, { maxBytes: 1500 }).map((message) => message.id)).toEqual([
      'u2',
      'a2',
    ]);
    expect(
      trimHistory([user('u1'), assistant('a1', big)], { maxBytes: 10 }).map(
        (message) => message.id,
      ),
    ).toEqual(['u1', 'a1']);
  });
});
