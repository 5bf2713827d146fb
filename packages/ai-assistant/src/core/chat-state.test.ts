import { describe, expect, it } from 'vitest';
import { createChatRoute, textTurn } from '../../test/harness';
import { createAssistantChat } from './chat-state';
import { createChatTransport } from './chat-transport';
import { systemClock } from './clock';

describe('createAssistantChat', () => {
  it('streams a turn through the AI SDK chat, notifying on every change with fresh snapshots', async () => {
    const route = createChatRoute(() => textTurn('Hello there, how can I help?'));
    const { chat, subscribe } = createAssistantChat({
      transport: createChatTransport({
        api: '/api/chat',
        credentials: 'same-origin',
        headers: undefined,
        fetch: route.fetch,
        clock: systemClock,
        tools: async () => [],
        threadId: () => 't1',
        historyLimits: undefined,
      }),
    });
    const snapshots: Array<{ status: string; messages: typeof chat.messages }> = [];
    const unsubscribe = subscribe(() =>
      snapshots.push({ status: chat.status, messages: chat.messages }),
    );
    await chat.sendMessage({ text: 'Hi' });
    unsubscribe();

    expect(chat.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(snapshots.map((item) => item.status)).toContain('streaming');
    expect(snapshots.at(-1)?.status).toBe('ready');
    expect(route.requests[0]?.threadId).toBe('t1');
    // each streamed update is a new message object; the user's message keeps its identity
    const answers = snapshots.map((item) => item.messages[1]).filter(Boolean);
    expect(new Set(answers).size).toBeGreaterThan(1);
    expect(new Set(snapshots.map((item) => item.messages[0])).size).toBe(1);
  });
});
