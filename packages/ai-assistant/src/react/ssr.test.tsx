import { act, screen, within } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createChatRoute, createTestGateway, textTurn } from '../../test/harness';
import { AIAssistant } from './ai-assistant';

describe('server rendering', () => {
  it('hydrates without a mismatch and then shows the stored thread', async () => {
    const route = createChatRoute(() => textTurn('x'));
    const { client } = createTestGateway([]);
    const element = (
      <AIAssistant
        mcpServers={['billy']}
        gateway="http://gateway.test"
        fetch={route.fetch}
        client={client}
      />
    );

    // the server has no localStorage: render before the thread exists in storage
    const html = renderToString(element);
    expect(html).toContain('tekup-assistant');
    localStorage.setItem(
      'tekup-assistant:default',
      JSON.stringify({
        version: 1,
        messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Stored question' }] }],
      }),
    );

    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    const recoverable: unknown[] = [];
    let root: ReturnType<typeof hydrateRoot> | undefined;
    await act(async () => {
      root = hydrateRoot(container, element, {
        onRecoverableError: (error) => recoverable.push(error),
      });
    });
    expect(recoverable).toEqual([]);
    expect(
      within(screen.getByTestId('assistant-messages')).getByText('Stored question'),
    ).toBeInTheDocument();
    act(() => root?.unmount());
    container.remove();
  });

  it('keeps text typed before hydration and can send it', async () => {
    const route = createChatRoute(() => textTurn('Answer to an early question'));
    const { client } = createTestGateway([]);
    const element = (
      <AIAssistant
        mcpServers={['billy']}
        gateway="http://gateway.test"
        fetch={route.fetch}
        client={client}
        threadKey="early-typing"
      />
    );
    const container = document.createElement('div');
    container.innerHTML = renderToString(element);
    document.body.append(container);
    // The user types into the server-rendered textarea before React attaches.
    const textarea = container.querySelector('textarea') as HTMLTextAreaElement;
    textarea.value = 'Typed before hydration';
    let root: ReturnType<typeof hydrateRoot> | undefined;
    await act(async () => {
      root = hydrateRoot(container, element);
    });
    const send = screen.getByTestId('assistant-send');
    expect(send).toBeEnabled();
    await act(async () => send.click());
    expect(
      await within(screen.getByTestId('assistant-messages')).findByText(
        'Answer to an early question',
      ),
    ).toBeInTheDocument();
    act(() => root?.unmount());
    container.remove();
  });
});
