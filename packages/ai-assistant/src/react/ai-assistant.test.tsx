import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import {
  createChatRoute,
  createTestGateway,
  deferred,
  jsonResult,
  textTurn,
  toolResultsOf,
  toolTurn,
  usage,
} from '../../test/harness';
import { DENIAL_TEXT } from '../core/approvals';
import { createAssistantController } from '../core/controller';
import { createMemoryThreadStorage } from '../core/storage';
import { AIAssistant, type AIAssistantLooks } from './ai-assistant';
import type { AssistantSetupProps } from './assistant-provider';
import { registerToolRenderer, type ToolRenderers } from './renderers';

const invoices = {
  invoices: [
    { number: 'INV-1001', customer: 'Acme ApS', amount: 1200 },
    { number: 'INV-1002', customer: 'Acme ApS', amount: 800 },
  ],
};

function billyGateway(options: { createRun?: () => Promise<void> } = {}) {
  return createTestGateway([
    {
      server: 'billy',
      tool: 'list_invoices',
      readOnly: true,
      inputSchema: { type: 'object', properties: { customer: { type: 'string' } } },
      run: () => jsonResult(invoices),
    },
    {
      server: 'billy',
      tool: 'create_invoice',
      readOnly: false,
      inputSchema: {
        type: 'object',
        properties: { customer: { type: 'string' }, amount: { type: 'number' } },
      },
      run: async (args) => {
        await options.createRun?.();
        return jsonResult({ id: 'INV-2001', customer: args.customer, amount: args.amount });
      },
    },
  ]);
}

const transcript = () => within(screen.getByTestId('assistant-messages'));

function renderAssistant(
  props: Partial<AssistantSetupProps & AIAssistantLooks & { renderers: ToolRenderers }> &
    Pick<AssistantSetupProps, 'fetch' | 'client'>,
) {
  return render(
    <AIAssistant
      mcpServers={['billy']}
      gateway="http://gateway.test"
      storage={false}
      injectStyles={false}
      {...props}
    />,
  );
}

async function sendMessage(text: string) {
  const user = userEvent.setup();
  const input = screen.getByTestId('assistant-input');
  await user.click(input);
  await user.keyboard(text.replace(/[{[]/g, '$&$&'));
  await user.keyboard('{Enter}');
  return user;
}

/** A model stream the test feeds part by part. */
function controlledTurn() {
  let controller!: ReadableStreamDefaultController<LanguageModelV4StreamPart>;
  let cancelled = false;
  const stream = new ReadableStream<LanguageModelV4StreamPart>({
    start(value) {
      controller = value;
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    stream,
    push: (part: LanguageModelV4StreamPart) => controller.enqueue(part),
    close: () => controller.close(),
    get cancelled() {
      return cancelled;
    },
  };
}

describe('<AIAssistant>', () => {
  it('streams an answer token by token, sends the tool specs, and labels the offline model', async () => {
    const turn = controlledTurn();
    const route = createChatRoute(() => turn.stream, { offline: true });
    const gateway = billyGateway();
    renderAssistant({ fetch: route.fetch, client: gateway.client });

    await sendMessage('Hello');
    turn.push({ type: 'stream-start', warnings: [] });
    turn.push({ type: 'text-start', id: 't' });
    turn.push({ type: 'text-delta', id: 't', delta: 'Hi, I can ' });
    expect(await transcript().findByText(/Hi, I can/)).toBeInTheDocument();
    expect(screen.getByTestId('assistant-announcer')).toHaveTextContent('');
    expect(screen.getByTestId('assistant-stop')).toBeInTheDocument();

    turn.push({ type: 'text-delta', id: 't', delta: 'help with **invoices**.' });
    turn.push({ type: 'text-end', id: 't' });
    turn.push({ type: 'finish', usage, finishReason: { unified: 'stop', raw: 'stop' } });
    turn.close();

    const strong = await transcript().findByText('invoices');
    expect(strong.tagName).toBe('STRONG');
    await waitFor(() =>
      expect(screen.getByTestId('assistant-announcer')).toHaveTextContent(
        'Hi, I can help with **invoices**.',
      ),
    );
    expect(screen.getByTestId('assistant-offline-badge')).toHaveTextContent('offline model');
    expect(screen.queryByTestId('assistant-stop')).not.toBeInTheDocument();

    const sent = route.requests[0]!;
    expect(sent.tools.map((tool) => tool.name)).toEqual([
      'billy_list_invoices',
      'billy_create_invoice',
    ]);
    expect(sent.tools[0]).toMatchObject({ server: 'billy', annotations: { readOnly: true } });
    const log = screen.getByTestId('assistant-messages');
    expect(log).toHaveAttribute('role', 'log');
    expect(
      within(log)
        .getAllByTestId('assistant-message')
        .map((node) => node.dataset.role),
    ).toEqual(['user', 'assistant']);
  });

  it('executes a read-only tool call in the browser, renders its rows, and feeds the result back', async () => {
    const route = createChatRoute((prompt, call) => {
      if (call === 0) return toolTurn('billy_list_invoices', { customer: 'Acme ApS' });
      const [result] = toolResultsOf(prompt);
      const output = result?.output as
        | { value: { structuredContent: typeof invoices } }
        | undefined;
      const rows = output ? output.value.structuredContent.invoices : [];
      return textTurn(`Found ${rows.length} invoices for Acme ApS.`);
    });
    const gateway = billyGateway();
    renderAssistant({ fetch: route.fetch, client: gateway.client });

    await sendMessage('Find invoices for Acme ApS');

    expect(await transcript().findByText('Found 2 invoices for Acme ApS.')).toBeInTheDocument();
    const card = screen.getByTestId('assistant-tool-card');
    expect(card).toHaveAttribute('data-tool', 'billy_list_invoices');
    expect(card).toHaveAttribute('data-state', 'output-available');
    expect(within(card).getByRole('cell', { name: 'INV-1001' })).toBeInTheDocument();
    expect(within(card).getByRole('cell', { name: 'INV-1002' })).toBeInTheDocument();
    expect(within(card).getByRole('columnheader', { name: 'customer' })).toBeInTheDocument();
    expect(within(card).getByText('billy')).toBeInTheDocument();
    expect(within(card).getByText(/Done · \d+/)).toBeInTheDocument();
    expect(gateway.calls).toEqual([
      { name: 'billy_list_invoices', args: { customer: 'Acme ApS' }, aborted: false },
    ]);
    expect(route.requests).toHaveLength(2);
  });

  it('stops a non-read-only tool at an approval card and runs it only after approval', async () => {
    const route = createChatRoute((prompt, call) =>
      call === 0
        ? toolTurn('billy_create_invoice', { customer: 'Acme ApS', amount: 500 })
        : textTurn(
            `Created: ${JSON.stringify(toolResultsOf(prompt)[0]?.output).includes('INV-2001')}`,
          ),
    );
    const gateway = billyGateway();
    renderAssistant({ fetch: route.fetch, client: gateway.client });

    const user = await sendMessage('Create an invoice for Acme ApS of 500');
    const card = await screen.findByTestId('assistant-tool-card');
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'approval-requested'));
    expect(within(card).getByText(/"amount": 500/)).toBeInTheDocument();
    expect(gateway.calls).toHaveLength(0);
    // No regenerating around a decision that is still open.
    expect(screen.queryByTestId('assistant-regenerate')).not.toBeInTheDocument();

    await user.click(within(card).getByTestId('assistant-approve'));
    expect(await transcript().findByText('Created: true')).toBeInTheDocument();
    expect(gateway.calls).toHaveLength(1);
    expect(screen.getByTestId('assistant-tool-card')).toHaveAttribute(
      'data-state',
      'output-available',
    );
    expect(screen.getByTestId('assistant-input')).toHaveFocus();
  });

  it('runs a full turn through a controller the host built (the controller prop)', async () => {
    const route = createChatRoute((prompt, call) => {
      if (call === 0)
        return toolTurn('billy_create_invoice', { customer: 'Acme ApS', amount: 500 });
      if (call === 1) {
        const created = JSON.stringify(toolResultsOf(prompt)[0]?.output).includes('INV-2001');
        return textTurn(`Created: ${created}`);
      }
      return textTurn('You are welcome.');
    });
    const gateway = billyGateway();
    const controller = createAssistantController({
      servers: ['billy'],
      client: gateway.client,
      fetch: route.fetch,
      storage: false,
    });
    const first = render(<AIAssistant controller={controller} injectStyles={false} />);

    const user = await sendMessage('Create an invoice for Acme ApS of 500');
    const card = await screen.findByTestId('assistant-tool-card');
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'approval-requested'));
    expect(Object.keys(controller.getSnapshot().approvals)).toEqual(['call-1']);
    expect(gateway.calls).toHaveLength(0);

    await user.click(within(card).getByTestId('assistant-approve'));
    expect(await transcript().findByText('Created: true')).toBeInTheDocument();
    expect(gateway.calls).toEqual([
      { name: 'billy_create_invoice', args: { customer: 'Acme ApS', amount: 500 }, aborted: false },
    ]);
    expect(route.requests.map((request) => request.tools.map((tool) => tool.name))).toEqual([
      ['billy_list_invoices', 'billy_create_invoice'],
      ['billy_list_invoices', 'billy_create_invoice'],
    ]);
    const state = controller.getSnapshot();
    expect(state.calls['call-1']?.phase).toBe('done');
    expect(state.status).toBe('ready');
    expect(state.messages.map((message) => message.role)).toEqual(['user', 'assistant']);

    // The host owns the controller: unmounting keeps it, and a new view shows the same thread.
    first.unmount();
    render(<AIAssistant controller={controller} injectStyles={false} />);
    expect(transcript().getByText('Created: true')).toBeInTheDocument();
    await sendMessage('Thanks');
    expect(await transcript().findByText('You are welcome.')).toBeInTheDocument();
    expect(route.requests).toHaveLength(3);
  });

  it('sends a rejection to the model as the tool error and never runs the tool', async () => {
    let denial: unknown;
    const route = createChatRoute((prompt, call) => {
      if (call === 0)
        return toolTurn('billy_create_invoice', { customer: 'Acme ApS', amount: 500 });
      denial = toolResultsOf(prompt)[0]?.output;
      return textTurn('Understood, I will not create it.');
    });
    const gateway = billyGateway();
    renderAssistant({ fetch: route.fetch, client: gateway.client });

    const user = await sendMessage('Create an invoice');
    await user.click(await screen.findByTestId('assistant-reject'));

    expect(await transcript().findByText('Understood, I will not create it.')).toBeInTheDocument();
    expect(gateway.calls).toHaveLength(0);
    expect(JSON.stringify(denial)).toContain(DENIAL_TEXT);
    // The gateway hears of the rejection, so the audit log has its row.
    expect(gateway.decisions).toEqual([
      { name: 'billy_create_invoice', callId: 'call-1', decision: 'rejected' },
    ]);
    expect(screen.getByTestId('assistant-tool-card')).toHaveAttribute(
      'data-state',
      'output-denied',
    );
  });

  it('says when a result came from the gateway cache because the server was down', async () => {
    const route = createChatRoute((_prompt, call) =>
      call === 0 ? toolTurn('billy_list_invoices', {}) : textTurn('Here they are.'),
    );
    const gateway = createTestGateway([
      {
        server: 'billy',
        tool: 'list_invoices',
        readOnly: true,
        run: () => ({
          ...jsonResult(invoices),
          _meta: { 'dk.tekup/cache': { stale: true, ageSeconds: 300 } },
        }),
      },
    ]);
    renderAssistant({ fetch: route.fetch, client: gateway.client });
    await sendMessage('List invoices');
    expect(await transcript().findByText('Here they are.')).toBeInTheDocument();
    const note = within(screen.getByTestId('assistant-tool-card')).getByTestId('assistant-stale');
    expect(note).toHaveTextContent('may be out of date');
    expect(note).toHaveTextContent('about 5 min old');
  });

  it('says a write may have happened when its outcome is unknown, and offers to check instead of retrying', async () => {
    let told: unknown;
    const route = createChatRoute((prompt, call) => {
      if (call === 0) return toolTurn('billy_create_invoice', { customer: 'Acme ApS', amount: 5 });
      if (call === 1) {
        told = toolResultsOf(prompt)[0]?.output;
        return textTurn('It may have been created.');
      }
      return textTurn('Checked.');
    });
    const gateway = createTestGateway([
      {
        server: 'billy',
        tool: 'create_invoice',
        readOnly: false,
        run: () => {
          throw Object.assign(new Error('billy: HTTP 502'), {
            code: 'http',
            status: 502,
            server: 'billy',
            gatewayCode: 'outcome_unknown',
          });
        },
      },
    ]);
    renderAssistant({ fetch: route.fetch, client: gateway.client });
    const user = await sendMessage('Create an invoice for Acme ApS of 5');
    await user.click(await screen.findByTestId('assistant-approve'));
    expect(await transcript().findByText('It may have been created.')).toBeInTheDocument();
    const card = screen.getByTestId('assistant-tool-card');
    expect(within(card).getByTestId('assistant-outcome-unknown')).toHaveTextContent(
      'may or may not have happened',
    );
    expect(within(card).queryByText(/retry/i)).toBeNull();
    expect(JSON.stringify(told)).toContain('check whether it happened before trying again');
    await user.click(within(card).getByTestId('assistant-check-outcome'));
    expect(await transcript().findByText('Checked.')).toBeInTheDocument();
    expect(
      transcript().getByText(/Check whether "create_invoice" took effect/),
    ).toBeInTheDocument();
    expect(gateway.calls).toHaveLength(1);
  });

  it('remembers "always allow this tool for this session"', async () => {
    const route = createChatRoute((prompt, call) =>
      prompt[prompt.length - 1]?.role === 'tool'
        ? textTurn(`done ${call}`)
        : toolTurn('billy_create_invoice', { customer: 'A', amount: 1 }, `call-${call}`),
    );
    const gateway = billyGateway();
    renderAssistant({ fetch: route.fetch, client: gateway.client });

    const user = await sendMessage('Create one');
    await user.click(await screen.findByLabelText('Always allow this tool for this session'));
    await user.click(screen.getByTestId('assistant-approve'));
    expect(await transcript().findByText('done 1')).toBeInTheDocument();

    await sendMessage('Create another');
    expect(await transcript().findByText('done 3')).toBeInTheDocument();
    expect(screen.queryByTestId('assistant-approve')).not.toBeInTheDocument();
    expect(gateway.calls).toHaveLength(2);
  });

  it('lets the app policy require approval for a read-only tool', async () => {
    const route = createChatRoute((_prompt, call) =>
      call === 0 ? toolTurn('billy_list_invoices', {}) : textTurn('ok'),
    );
    const gateway = billyGateway();
    renderAssistant({
      fetch: route.fetch,
      client: gateway.client,
      requireApproval: (tool) => tool.server === 'billy',
    });
    await sendMessage('List');
    expect(await screen.findByTestId('assistant-approve')).toBeInTheDocument();
    expect(gateway.calls).toHaveLength(0);
  });

  it('stops a stream mid-answer and keeps what arrived', async () => {
    const turn = controlledTurn();
    const route = createChatRoute(() => turn.stream);
    renderAssistant({ fetch: route.fetch, client: billyGateway().client });

    const user = await sendMessage('Tell me a long story');
    turn.push({ type: 'stream-start', warnings: [] });
    turn.push({ type: 'text-start', id: 't' });
    turn.push({ type: 'text-delta', id: 't', delta: 'Once upon a time' });
    expect(await transcript().findByText('Once upon a time')).toBeInTheDocument();

    await user.click(screen.getByTestId('assistant-stop'));
    await waitFor(() => expect(screen.queryByTestId('assistant-stop')).not.toBeInTheDocument());
    await waitFor(() => expect(turn.cancelled).toBe(true));
    expect(transcript().getByText('Once upon a time')).toBeInTheDocument();
    expect(screen.queryByTestId('assistant-error')).not.toBeInTheDocument();
  });

  it('stop also aborts the running tool call and settles its card', async () => {
    const gate = deferred();
    const gateway = createTestGateway([
      {
        server: 'billy',
        tool: 'slow_report',
        readOnly: true,
        run: async (_args, signal) => {
          await new Promise((resolve, reject) => {
            gate.promise.then(resolve);
            signal?.addEventListener('abort', () => reject(new Error('aborted')));
          });
          return jsonResult({ ok: true });
        },
      },
    ]);
    const route = createChatRoute((_prompt, call) =>
      call === 0 ? toolTurn('billy_slow_report', {}) : textTurn('should not be asked'),
    );
    renderAssistant({ fetch: route.fetch, client: gateway.client });

    const user = await sendMessage('Run the report');
    const card = await screen.findByTestId('assistant-tool-card');
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'running'));
    await user.click(screen.getByTestId('assistant-stop'));

    await waitFor(() =>
      expect(screen.getByTestId('assistant-tool-card')).toHaveAttribute(
        'data-state',
        'output-error',
      ),
    );
    expect(gateway.calls[0]?.aborted).toBe(true);
    expect(transcript().getByText(/Stopped by the user/)).toBeInTheDocument();
    gate.resolve();
    expect(route.requests).toHaveLength(1);
  });

  it('shows route errors inline and retries', async () => {
    let fail = true;
    const route = createChatRoute(() => textTurn('Recovered answer.'), {
      respond: () => {
        if (!fail) return undefined;
        fail = false;
        return Response.json(
          { error: { code: 'model_unavailable', message: 'The model is unavailable.' } },
          { status: 503 },
        );
      },
    });
    renderAssistant({ fetch: route.fetch, client: billyGateway().client });

    const user = await sendMessage('Hello');
    const banner = await screen.findByTestId('assistant-error');
    expect(banner).toHaveTextContent('The model is unavailable.');
    expect(banner).toHaveAttribute('role', 'alert');

    await user.click(within(banner).getByTestId('assistant-retry'));
    expect(await transcript().findByText('Recovered answer.')).toBeInTheDocument();
    expect(screen.queryByTestId('assistant-error')).not.toBeInTheDocument();
    expect(
      screen.getAllByTestId('assistant-message').filter((node) => node.dataset.role === 'user'),
    ).toHaveLength(1);
  });

  it('says when to retry after a 429', async () => {
    const route = createChatRoute(() => textTurn('never'), {
      respond: () =>
        Response.json(
          { error: { code: 'rate_limited', message: 'Slow down.' } },
          { status: 429, headers: { 'Retry-After': '12' } },
        ),
    });
    renderAssistant({ fetch: route.fetch, client: billyGateway().client });
    await sendMessage('Hello');
    const banner = await screen.findByTestId('assistant-error');
    expect(banner).toHaveAttribute('data-code', 'rate_limited');
    expect(banner).toHaveTextContent(/Try again in 1[12] s/);
    expect(within(banner).getByTestId('assistant-retry')).toBeDisabled();
  });

  it('uses a custom renderer for a tool', async () => {
    const route = createChatRoute((_prompt, call) =>
      call === 0 ? toolTurn('billy_list_invoices', {}) : textTurn('Here they are.'),
    );
    renderAssistant({
      fetch: route.fetch,
      client: billyGateway().client,
      renderers: {
        'billy/list_invoices': ({ data }) => (
          <p data-testid="custom">{`${(data as typeof invoices).invoices.length} invoices, custom view`}</p>
        ),
      },
    });
    await sendMessage('List invoices');
    expect(await screen.findByTestId('custom')).toHaveTextContent('2 invoices, custom view');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('renders HTML in answers and tool results as text, and links safely', async () => {
    const gateway = createTestGateway([
      {
        server: 'knowledge',
        tool: 'search',
        readOnly: true,
        run: () => ({
          content: [{ type: 'text', text: '<img src=x onerror="window.hacked=1"><b>bold</b>' }],
        }),
      },
    ]);
    const route = createChatRoute((_prompt, call) =>
      call === 0
        ? toolTurn('knowledge_search', { query: 'x' })
        : textTurn('See <script>window.hacked=2</script> and [docs](https://tekup.dk) `<b>x</b>`'),
    );
    const { container } = renderAssistant({
      fetch: route.fetch,
      client: gateway.client,
      mcpServers: ['knowledge'],
    });
    await sendMessage('Search');
    const link = await screen.findByRole('link', { name: 'docs' });
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(link).toHaveAttribute('target', '_blank');
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(transcript().getByText(/<script>window.hacked=2<\/script>/)).toBeInTheDocument();
    expect(transcript().getByText(/<img src=x onerror/)).toBeInTheDocument();
    expect((window as { hacked?: number }).hacked).toBeUndefined();
  });

  it('is usable with the keyboard only', async () => {
    const turn = controlledTurn();
    const route = createChatRoute((_prompt, call) =>
      call === 0
        ? toolTurn('billy_create_invoice', { customer: 'K', amount: 2 })
        : call === 1
          ? turn.stream
          : textTurn('x'),
    );
    const gateway = billyGateway();
    renderAssistant({ fetch: route.fetch, client: gateway.client });
    const user = userEvent.setup();

    const input = screen.getByTestId('assistant-input');
    while (document.activeElement !== input) await user.tab();
    await user.keyboard('first line{Shift>}{Enter}{/Shift}second line');
    expect(input).toHaveValue('first line\nsecond line');
    await user.keyboard('{Enter}');
    expect(input).toHaveValue('');

    const approve = await screen.findByTestId('assistant-approve');
    while (document.activeElement !== approve) await user.tab();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(gateway.calls).toHaveLength(1));
    await waitFor(() => expect(input).toHaveFocus());

    turn.push({ type: 'stream-start', warnings: [] });
    turn.push({ type: 'text-start', id: 't' });
    turn.push({ type: 'text-delta', id: 't', delta: 'Streaming…' });
    expect(await transcript().findByText('Streaming…')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(turn.cancelled).toBe(true));
    await waitFor(() => expect(screen.queryByTestId('assistant-stop')).not.toBeInTheDocument());
  });

  it('keeps the thread across remounts and starts a new thread on request', async () => {
    const storage = createMemoryThreadStorage();
    const route = createChatRoute(() => textTurn('Persisted answer.'));
    const gateway = billyGateway();
    const first = renderAssistant({
      fetch: route.fetch,
      client: gateway.client,
      storage,
      threadKey: 'u1',
    });
    await sendMessage('Remember me');
    expect(await transcript().findByText('Persisted answer.')).toBeInTheDocument();
    first.unmount();

    renderAssistant({ fetch: route.fetch, client: gateway.client, storage, threadKey: 'u1' });
    expect(transcript().getByText('Remember me')).toBeInTheDocument();
    expect(transcript().getByText('Persisted answer.')).toBeInTheDocument();

    await userEvent.setup().click(screen.getByTestId('assistant-new-thread'));
    await waitFor(() =>
      expect(transcript().queryByText('Persisted answer.')).not.toBeInTheDocument(),
    );
    expect(storage.load('u1')).toBeUndefined();
  });

  it('persists to localStorage by default', async () => {
    const route = createChatRoute(() => textTurn('Stored locally.'));
    const gateway = billyGateway();
    const first = render(
      <AIAssistant
        mcpServers={['billy']}
        gateway="http://gateway.test"
        fetch={route.fetch}
        client={gateway.client}
      />,
    );
    await sendMessage('Local');
    expect(await transcript().findByText('Stored locally.')).toBeInTheDocument();
    // written in idle time, or at once when the view goes away
    first.unmount();
    expect(localStorage.getItem('tekup-assistant:default#0')).toContain('Stored locally.');
    render(
      <AIAssistant
        mcpServers={['billy']}
        gateway="http://gateway.test"
        fetch={route.fetch}
        client={gateway.client}
      />,
    );
    expect(transcript().getByText('Stored locally.')).toBeInTheDocument();
  });

  it('edits and resends the last user message, and regenerates', async () => {
    let answers = 0;
    const route = createChatRoute((prompt) => {
      const last = prompt[prompt.length - 1];
      const text = last?.role === 'user' ? (last.content[0] as { text: string }).text : '';
      answers += 1;
      return textTurn(`You said: ${text} (${answers})`.replace(/ \(1\)$/, ''));
    });
    renderAssistant({ fetch: route.fetch, client: billyGateway().client });
    const user = await sendMessage('Helo');
    expect(await transcript().findByText('You said: Helo')).toBeInTheDocument();

    await user.click(screen.getByTestId('assistant-edit'));
    const box = screen.getByLabelText('Edit message');
    await user.clear(box);
    await user.type(box, 'Hello{Enter}');
    expect(await transcript().findByText('You said: Hello (2)')).toBeInTheDocument();
    expect(transcript().queryByText('You said: Helo')).not.toBeInTheDocument();
    expect(screen.getAllByTestId('assistant-message')).toHaveLength(2);

    // Regenerate replaces the last answer with a fresh one for the same question.
    await user.click(screen.getByTestId('assistant-regenerate'));
    expect(await transcript().findByText('You said: Hello (3)')).toBeInTheDocument();
    expect(transcript().queryByText('You said: Hello (2)')).not.toBeInTheDocument();
    expect(screen.getAllByTestId('assistant-message')).toHaveLength(2);
  });

  it('sends quick actions', async () => {
    const route = createChatRoute(() => textTurn('Checking your calendar.'));
    renderAssistant({
      fetch: route.fetch,
      client: billyGateway().client,
      quickActions: [
        'Find invoices for Client X',
        { label: 'Check calendar', prompt: 'What is on my calendar today?' },
      ],
    });
    const buttons = screen.getAllByTestId('assistant-quick-action');
    expect(buttons.map((button) => button.textContent)).toEqual([
      'Find invoices for Client X',
      'Check calendar',
    ]);
    await userEvent.setup().click(buttons[1]!);
    expect(await transcript().findByText('What is on my calendar today?')).toBeInTheDocument();
    expect(await transcript().findByText('Checking your calendar.')).toBeInTheDocument();
    expect(screen.queryByTestId('assistant-quick-action')).not.toBeInTheDocument();
  });

  it('says which server could not list its tools, and when the gateway is unreachable', async () => {
    const route = createChatRoute(() => textTurn('x'));
    const gateway = createTestGateway([], {
      failures: [
        { server: 'billy', error: { message: 'bad gateway', gatewayCode: 'upstream_unavailable' } },
      ],
    });
    const { unmount } = renderAssistant({ fetch: route.fetch, client: gateway.client });
    expect(await screen.findByTestId('assistant-server-status')).toHaveTextContent(
      'The server "billy" is unavailable right now.',
    );
    unmount();

    renderAssistant({
      fetch: route.fetch,
      client: {
        listTools: async () => {
          throw Object.assign(new TypeError('fetch failed'), { code: 'network' });
        },
        callTool: async () => ({ content: [] }),
      },
    });
    expect(await screen.findByTestId('assistant-server-status')).toHaveTextContent(
      'Could not reach the gateway at http://gateway.test.',
    );
  });

  it('floating variant opens from a launcher and closes with Escape', async () => {
    const route = createChatRoute(() => textTurn('x'));
    renderAssistant({ fetch: route.fetch, client: billyGateway().client, variant: 'floating' });
    const user = userEvent.setup();
    const launcher = screen.getByTestId('assistant-launcher');
    expect(launcher).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByTestId('assistant-input')).not.toBeInTheDocument();

    await user.click(launcher);
    expect(launcher).toHaveAttribute('aria-expanded', 'true');
    await waitFor(() => expect(screen.getByTestId('assistant-input')).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('assistant-input')).not.toBeInTheDocument();
    await waitFor(() => expect(launcher).toHaveFocus());
  });

  it('opens a 500-message thread at its end and renders earlier messages a page at a time', async () => {
    const storage = createMemoryThreadStorage();
    const messages = Array.from({ length: 500 }, (_, index) => ({
      id: `m${index}`,
      role: (index % 2 === 0 ? 'user' : 'assistant') as 'user' | 'assistant',
      parts: [{ type: 'text' as const, text: `Message number ${index} with **markdown** text.` }],
    }));
    storage.save('big', messages);
    const route = createChatRoute(() => textTurn('x'));
    const started = performance.now();
    renderAssistant({
      fetch: route.fetch,
      client: billyGateway().client,
      storage,
      threadKey: 'big',
    });
    const mounted = performance.now() - started;
    const rendered = screen.getAllByTestId('assistant-message');
    expect(rendered).toHaveLength(24);
    expect(rendered.at(-1)).toHaveTextContent('Message number 499');
    const earlier = screen.getByTestId('assistant-show-earlier');
    expect(earlier).toHaveTextContent('(476)');

    const user = userEvent.setup();
    await user.click(earlier);
    expect(screen.getAllByTestId('assistant-message')).toHaveLength(48);
    expect(screen.getAllByTestId('assistant-message')[0]).toHaveTextContent('Message number 452');
    expect(screen.getByTestId('assistant-show-earlier')).toHaveTextContent('(452)');

    const input = screen.getByTestId('assistant-input');
    await user.click(input);
    const before = performance.now();
    await act(async () => {
      await user.keyboard('a');
    });
    const keystroke = performance.now() - before;
    expect(input).toHaveValue('a');
    console.info(
      `500 messages: mount ${mounted.toFixed(0)} ms, keystroke re-render ${keystroke.toFixed(1)} ms`,
    );
  });

  it('keeps the rendered page when new messages arrive, and starts a new thread at its end', async () => {
    const storage = createMemoryThreadStorage();
    storage.save(
      'long',
      Array.from({ length: 100 }, (_, index) => ({
        id: `m${index}`,
        role: (index % 2 === 0 ? 'user' : 'assistant') as 'user' | 'assistant',
        parts: [{ type: 'text' as const, text: `Message ${index}` }],
      })),
    );
    const route = createChatRoute(() => textTurn('The answer.'));
    renderAssistant({
      fetch: route.fetch,
      client: billyGateway().client,
      storage,
      threadKey: 'long',
    });
    const user = userEvent.setup();
    await user.type(screen.getByTestId('assistant-input'), 'One more{Enter}');
    await waitFor(() => expect(transcript().getByText('The answer.')).toBeInTheDocument());
    // Nothing earlier was taken out to make room: the first rendered message is still 76.
    expect(screen.getAllByTestId('assistant-message')[0]).toHaveTextContent('Message 76');
    expect(screen.getAllByTestId('assistant-message')).toHaveLength(26);
    await user.click(screen.getByTestId('assistant-new-thread'));
    expect(screen.queryByTestId('assistant-show-earlier')).not.toBeInTheDocument();
    expect(screen.queryAllByTestId('assistant-message')).toHaveLength(0);
  });

  it("shows a running call's progress on its card, and drops the bar when it is done", async () => {
    const release = deferred();
    const gateway = createTestGateway([
      {
        server: 'billy',
        tool: 'trigger_sync',
        readOnly: true,
        run: async (_args, _signal, options) => {
          options?.onProgress?.({ progress: 1, total: 4, message: 'Synced tekup-ai' });
          await release.promise;
          return jsonResult({ synced: ['tekup-ai'] });
        },
      },
    ]);
    const route = createChatRoute((_prompt, call) =>
      call === 0 ? toolTurn('billy_trigger_sync', {}) : textTurn('Synced.'),
    );
    renderAssistant({ fetch: route.fetch, client: gateway.client });
    await sendMessage('Sync the vault');
    const bar = await screen.findByRole('progressbar', { name: 'trigger_sync progress' });
    expect(bar).toHaveAttribute('aria-valuetext', '25 %: Synced tekup-ai');
    expect(screen.getByTestId('assistant-tool-progress')).toHaveTextContent('Synced tekup-ai');
    release.resolve();
    expect(await transcript().findByText('Synced.')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it("offers the servers' prompts as / commands, asks for their arguments and sends what they give", async () => {
    const gateway = billyGateway();
    const requested: Array<{ name: string; args: Record<string, string> | undefined }> = [];
    const client = {
      ...gateway.client,
      server: () => ({
        listPrompts: async () => [
          {
            name: 'report_vat',
            title: 'Prepare the VAT report',
            arguments: [{ name: 'quarter', title: 'Quarter', required: true }],
          },
          { name: 'overdue_followup', title: 'Follow up on overdue invoices' },
        ],
        getPrompt: async (name: string, args?: Record<string, string>) => {
          requested.push({ name, args });
          return {
            messages: [
              {
                role: 'user' as const,
                content: {
                  type: 'text' as const,
                  text: name === 'report_vat' ? `VAT report for ${args?.quarter}` : 'Chase overdue',
                },
              },
            ],
          };
        },
      }),
    };
    const route = createChatRoute(() => textTurn('On it.'));
    renderAssistant({ fetch: route.fetch, client });
    const user = userEvent.setup();
    const input = screen.getByTestId('assistant-input');
    await user.type(input, '/');
    expect(await screen.findAllByTestId('assistant-prompt-option')).toHaveLength(2);
    await user.type(input, 'vat');
    const options = screen.getAllByTestId('assistant-prompt-option');
    expect(options).toHaveLength(1);
    expect(input).toHaveAttribute('aria-activedescendant', options[0]?.id);
    // Escape closes the menu, not the panel; typing opens it again.
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('assistant-prompt-menu')).not.toBeInTheDocument();
    await user.type(input, '{Backspace}t');
    await user.keyboard('{Enter}');
    const form = screen.getByTestId('assistant-prompt-form');
    const quarter = within(form).getByLabelText(/Quarter/);
    expect(quarter).toHaveFocus();
    await user.type(quarter, '2026-Q2');
    await user.click(within(form).getByTestId('assistant-prompt-use'));
    expect(await transcript().findByText('VAT report for 2026-Q2')).toBeInTheDocument();
    expect(await transcript().findByText('On it.')).toBeInTheDocument();
    expect(requested).toEqual([{ name: 'report_vat', args: { quarter: '2026-Q2' } }]);

    // A prompt without arguments is sent as soon as it is picked.
    await user.type(input, '/overdue');
    await user.click(screen.getByTestId('assistant-prompt-option'));
    expect(await transcript().findByText('Chase overdue')).toBeInTheDocument();
  });

  it('shows initialMessages when nothing is stored, and applies the theme', () => {
    const route = createChatRoute(() => textTurn('x'));
    renderAssistant({
      fetch: route.fetch,
      client: billyGateway().client,
      theme: 'dark',
      initialMessages: [
        {
          id: 'welcome',
          role: 'assistant',
          parts: [{ type: 'text', text: 'Hej! How can I help?' }],
        },
      ],
    });
    expect(transcript().getByText('Hej! How can I help?')).toBeInTheDocument();
    expect(screen.getByTestId('assistant-root')).toHaveAttribute('data-theme', 'dark');
    expect(screen.getByTestId('assistant-root')).toHaveClass('tekup-assistant');
  });

  it('checks the servers again from the status banner', async () => {
    let fail = true;
    const route = createChatRoute(() => textTurn('x'));
    renderAssistant({
      fetch: route.fetch,
      client: {
        listTools: async () => {
          if (fail) throw Object.assign(new TypeError('fetch failed'), { code: 'network' });
          return { tools: [], failures: [] };
        },
        callTool: async () => ({ content: [] }),
      },
    });
    const banner = await screen.findByTestId('assistant-server-status');
    fail = false;
    await userEvent.setup().click(within(banner).getByTestId('assistant-server-retry'));
    await waitFor(() =>
      expect(screen.queryByTestId('assistant-server-status')).not.toBeInTheDocument(),
    );
  });

  it('says when the chat service cannot be reached', async () => {
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    renderAssistant({ fetch: offline, client: billyGateway().client });
    await sendMessage('Hello');
    const banner = await screen.findByTestId('assistant-error');
    expect(banner).toHaveAttribute('data-code', 'network');
    expect(banner).toHaveTextContent('Could not reach the chat service. Check your connection.');
    expect(within(banner).getByTestId('assistant-retry')).toBeEnabled();
  });

  it('treats a new message while a card waits as a denial of that call', async () => {
    let history = '';
    const route = createChatRoute((prompt, call) => {
      if (call === 0) return toolTurn('billy_create_invoice', { customer: 'A', amount: 1 });
      history = JSON.stringify(prompt);
      return textTurn('Okay, something else then.');
    });
    const gateway = billyGateway();
    renderAssistant({ fetch: route.fetch, client: gateway.client });
    await sendMessage('Create an invoice');
    await screen.findByTestId('assistant-approve');
    await sendMessage('Actually, never mind');
    expect(await transcript().findByText('Okay, something else then.')).toBeInTheDocument();
    expect(screen.getByTestId('assistant-tool-card')).toHaveAttribute(
      'data-state',
      'output-denied',
    );
    expect(screen.queryByTestId('assistant-approve')).not.toBeInTheDocument();
    expect(history).toContain('never approved');
    expect(gateway.calls).toHaveLength(0);
  });

  it('shows an error that arrives inside the stream and retries it', async () => {
    const route = createChatRoute((_prompt, call) =>
      call === 0
        ? [
            { type: 'stream-start', warnings: [] },
            { type: 'text-start', id: 't' },
            { type: 'text-delta', id: 't', delta: 'Partial ' },
            { type: 'error', error: new Error('provider exploded') },
          ]
        : textTurn('Second try worked.'),
    );
    renderAssistant({ fetch: route.fetch, client: billyGateway().client });
    const user = await sendMessage('Hello');
    const banner = await screen.findByTestId('assistant-error');
    await user.click(within(banner).getByTestId('assistant-retry'));
    expect(await transcript().findByText('Second try worked.')).toBeInTheDocument();
    expect(screen.queryByTestId('assistant-error')).not.toBeInTheDocument();
  });

  it('uses renderers registered globally, and falls back when a renderer returns undefined', async () => {
    const unregister = registerToolRenderer('billy_list_invoices', ({ data, input }) =>
      (input as { customer?: string }).customer === 'fallback' ? undefined : (
        <p data-testid="registered">{`registry: ${(data as typeof invoices).invoices[0]?.number}`}</p>
      ),
    );
    try {
      const route = createChatRoute((_prompt, call) =>
        call === 0
          ? toolTurn('billy_list_invoices', { customer: 'x' }, 'a')
          : call === 1
            ? textTurn('first')
            : call === 2
              ? toolTurn('billy_list_invoices', { customer: 'fallback' }, 'b')
              : textTurn('second'),
      );
      renderAssistant({ fetch: route.fetch, client: billyGateway().client });
      await sendMessage('one');
      expect(await screen.findByTestId('registered')).toHaveTextContent('registry: INV-1001');
      await sendMessage('two');
      expect(await transcript().findByText('second')).toBeInTheDocument();
      const cards = screen.getAllByTestId('assistant-tool-card');
      expect(within(cards[1]!).getByRole('cell', { name: 'INV-1002' })).toBeInTheDocument();
    } finally {
      unregister();
    }
  });
});
