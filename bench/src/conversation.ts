/**
 * A user's conversation driven from Node with the assistant's own framework-free controller: the
 * same requests a browser makes (tool lists, the chat route, tool calls through the gateway
 * front), with the session cookie attached.
 */
import { type AssistantController, createAssistantController } from '@tekup/ai-assistant';
import { ORGANIZATION_SERVERS } from '@tekup/demo-servers/manifest';

/** A controller for `base` acting with `cookie`, over `servers` (those every organization may use). */
export function conversation(
  base: string,
  cookie: string,
  servers: readonly string[] = ORGANIZATION_SERVERS,
): AssistantController {
  const withCookie: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('cookie', cookie);
    headers.set('origin', base);
    return fetch(input, { ...init, headers });
  };
  return createAssistantController({
    servers,
    gateway: `${base}/api/gateway`,
    api: `${base}/api/chat`,
    fetch: withCookie,
    storage: false,
  });
}

/** Resolves when the controller is idle again after `action`, with its last answer's text. */
export async function answerOf(
  assistant: AssistantController,
  action: () => Promise<void>,
): Promise<string> {
  const idle = () => {
    const { status } = assistant.getSnapshot();
    return status === 'ready' || status === 'error';
  };
  const done = new Promise<void>((resolve) => {
    const unsubscribe = assistant.subscribe(() => {
      const { messages } = assistant.getSnapshot();
      const last = messages[messages.length - 1];
      const answered =
        last?.role === 'assistant' && last.parts.some((part) => part.type === 'text' && part.text);
      if (idle() && answered) {
        unsubscribe();
        resolve();
      }
    });
  });
  await action();
  await done;
  const { messages, error } = assistant.getSnapshot();
  if (error) throw new Error(`the chat failed: ${error.message}`);
  const last = messages[messages.length - 1];
  return (last?.parts ?? [])
    .filter((part) => part.type === 'text')
    .map((part) => (part as { text: string }).text)
    .join('');
}
