import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { createMcpEndpoint } from '../../test/mcp-endpoint';
import { createChatHandler } from '../server';
import { AIAssistant } from './ai-assistant';
import { AssistantProvider } from './assistant-provider';
import { useAssistant, useAssistantTools, useServerHealth } from './hooks';

const invoices = [
  { number: 'INV-1001', customer: 'Acme ApS', amount: 1200, status: 'paid' },
  { number: 'INV-1002', customer: 'Acme ApS', amount: 800, status: 'open' },
  { number: 'INV-1003', customer: 'Nordlys A/S', amount: 300, status: 'open' },
];

function createStack() {
  const billy = createMcpEndpoint('billy', [
    {
      name: 'list_invoices',
      description: 'List and find invoices, optionally for one customer',
      inputSchema: {
        type: 'object',
        properties: { customer: { type: 'string', description: 'Customer name' } },
      },
      annotations: { readOnlyHint: true },
      run: (args) => {
        const rows = invoices.filter(
          (invoice) =>
            !args.customer ||
            invoice.customer.toLowerCase().includes(String(args.customer).toLowerCase()),
        );
        return {
          content: [{ type: 'text', text: JSON.stringify({ invoices: rows }) }],
          structuredContent: { invoices: rows },
        };
      },
    },
    {
      name: 'create_invoice',
      description: 'Create a new invoice for a customer',
      inputSchema: {
        type: 'object',
        properties: {
          customer: { type: 'string', description: 'Customer name' },
          amount: { type: 'number', description: 'Amount in DKK' },
        },
        required: ['customer', 'amount'],
      },
      annotations: { destructiveHint: false },
      run: (args) => ({
        content: [{ type: 'text', text: `Created invoice INV-2001 for ${args.customer}` }],
        structuredContent: {
          number: 'INV-2001',
          customer: String(args.customer),
          amount: Number(args.amount),
        },
      }),
    },
  ]);
  const chat = createChatHandler({ env: {} });
  const gatewayRequests: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request =
      input instanceof Request
        ? new Request(input, init)
        : new Request(new URL(String(input), 'http://app.test'), init);
    const url = new URL(request.url);
    if (url.origin === 'http://app.test' && url.pathname === '/api/chat') return chat(request);
    if (url.origin === 'http://gateway.test') {
      gatewayRequests.push(`${request.method} ${url.pathname}`);
      if (url.pathname === '/mcp/billy') return billy.handle(request);
      if (url.pathname === '/servers')
        return Response.json({ servers: [{ name: 'billy', status: 'healthy' }] });
    }
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { billy, fetch: fetchFn, gatewayRequests };
}

function Headless() {
  const { tools } = useAssistantTools();
  const { servers } = useServerHealth();
  const { messages, send } = useAssistant();
  return (
    <div>
      <p data-testid="tools">{tools.map((tool) => tool.tool).join(',')}</p>
      <p data-testid="health">
        {servers.map((server) => `${server.server}:${server.status}`).join(',')}
      </p>
      <p data-testid="count">{messages.length}</p>
      <button type="button" onClick={() => void send('Find invoices for Nordlys')}>
        ask
      </button>
    </div>
  );
}

const transcript = () => within(screen.getByTestId('assistant-messages'));

describe('<AIAssistant> against the real chat handler, offline model and MCP client', () => {
  it('finds invoices through the gateway, shows the rows, and answers from them', async () => {
    const stack = createStack();
    render(
      <AIAssistant
        mcpServers={['billy']}
        gateway="http://gateway.test"
        fetch={stack.fetch}
        storage={false}
        injectStyles={false}
      />,
    );
    const user = userEvent.setup();
    await user.type(screen.getByTestId('assistant-input'), 'Find invoices for Acme ApS{Enter}');

    const card = await screen.findByTestId('assistant-tool-card');
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'output-available'), {
      timeout: 5000,
    });
    expect(card.dataset.tool).toMatch(/billy.*list_invoices/);
    expect(within(card).getByRole('cell', { name: 'INV-1001' })).toBeInTheDocument();
    expect(within(card).getByRole('cell', { name: 'INV-1002' })).toBeInTheDocument();
    expect(stack.billy.calls).toEqual([
      { name: 'list_invoices', args: expect.objectContaining({}) },
    ]);

    await waitFor(() => expect(screen.queryByTestId('assistant-stop')).not.toBeInTheDocument(), {
      timeout: 5000,
    });
    const answers = transcript()
      .getAllByTestId('assistant-message')
      .filter((node) => node.dataset.role === 'assistant');
    expect(answers.at(-1)?.querySelector('.ta-markdown')?.textContent).toMatch(/Found 2 invoices/);
    expect(screen.getAllByTestId('assistant-offline-badge').length).toBeGreaterThan(0);
  });

  it('asks before creating an invoice and creates it only after approval', async () => {
    const stack = createStack();
    render(
      <AIAssistant
        mcpServers={['billy']}
        gateway="http://gateway.test"
        fetch={stack.fetch}
        storage={false}
        injectStyles={false}
      />,
    );
    const user = userEvent.setup();
    await user.type(
      screen.getByTestId('assistant-input'),
      'Create invoice for "Acme ApS" of 500 kr{Enter}',
    );

    const approve = await screen.findByTestId('assistant-approve', {}, { timeout: 5000 });
    const card = screen.getByTestId('assistant-tool-card');
    expect(card.dataset.tool).toMatch(/create_invoice/);
    expect(within(card).getByText(/"customer": "Acme ApS"/)).toBeInTheDocument();
    expect(stack.billy.calls).toHaveLength(0);

    await user.click(approve);
    await waitFor(() =>
      expect(stack.billy.calls.map((call) => call.name)).toEqual(['create_invoice']),
    );
    await waitFor(() =>
      expect(screen.getByTestId('assistant-tool-card')).toHaveAttribute(
        'data-state',
        'output-available',
      ),
    );
    await waitFor(() => expect(screen.queryByTestId('assistant-stop')).not.toBeInTheDocument(), {
      timeout: 5000,
    });
  });

  it('serves headless hooks: tools, server health and the chat', async () => {
    const stack = createStack();
    render(
      <AssistantProvider
        mcpServers={['billy']}
        gateway="http://gateway.test"
        fetch={stack.fetch}
        storage={false}
      >
        <Headless />
      </AssistantProvider>,
    );
    await waitFor(() =>
      expect(screen.getByTestId('tools')).toHaveTextContent('list_invoices,create_invoice'),
    );
    await waitFor(() => expect(screen.getByTestId('health')).toHaveTextContent('billy:up'));
    expect(stack.gatewayRequests).toContain('GET /servers');
    await userEvent.setup().click(screen.getByRole('button', { name: 'ask' }));
    await waitFor(() => expect(Number(screen.getByTestId('count').textContent)).toBe(2), {
      timeout: 5000,
    });
  });

  it('works under StrictMode with the default gateway client', async () => {
    const stack = createStack();
    render(
      <StrictMode>
        <AIAssistant
          mcpServers={['billy']}
          gateway="http://gateway.test"
          fetch={stack.fetch}
          storage={false}
          injectStyles={false}
        />
      </StrictMode>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByTestId('assistant-input'), 'Find invoices for Nordlys{Enter}');
    const card = await screen.findByTestId('assistant-tool-card', {}, { timeout: 5000 });
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'output-available'), {
      timeout: 5000,
    });
    expect(within(card).getByRole('cell', { name: 'INV-1003' })).toBeInTheDocument();
    expect(screen.queryByTestId('assistant-server-status')).not.toBeInTheDocument();
  });
});
