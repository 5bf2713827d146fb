import { Chat } from '@ai-sdk/react';
import type { ChatFactory } from '../core/controller';
import type { AssistantMessage } from '../core/types';

/** Builds the chat on `@ai-sdk/react`'s `Chat` so `useChat({ chat })` can render it. */
export const createReactChat: ChatFactory = (init) => {
  const chat = new Chat<AssistantMessage>(init);
  return {
    chat,
    subscribe(listener) {
      const unsubscribes = [
        chat['~registerMessagesCallback'](listener),
        chat['~registerStatusCallback'](listener),
        chat['~registerErrorCallback'](listener),
      ];
      return () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
      };
    },
  };
};
