import { type RunningFleet, startFleet, TENANTS } from '@tekup/demo-servers';
import { createGateway, type Gateway, type Principal } from '@tekup/mcp-gateway';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CALL_DECLINED } from '../core/apps';
import { createAssistantController } from '../core/controller';
import { createChatHandler } from '../server';
import { AIAssistant } from './ai-assistant';

// The whole product path in one process: <AIAssistant> → createChatHandler (offline model)
// and <AIAssistant> → mcp-client-web → createGateway → the demo billy server over HTTP.
const SIGNED_IN: Principal = {
  id: '10000000-0000-4000-8000-000000000001',
  kind: 'user',
  role: 'admin',
  tenantId: TENANTS[0].id,
};

let fleet: RunningFleet;
// With sessions: a stateless server answers in plain JSON and has no stream for progress.
let vaultFleet: RunningFleet;
let gateway: Gateway;
const chat = createChatHandler({ env: {} });
const gatewayRequests: string[] = [];

const appFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  const request =
    input instanceof Request
      ? new Request(input, init)
      : new Request(new URL(String(input), 'http://app.test'), init);
  const url = new URL(request.url);
  if (url.origin === 'http://app.test' && url.pathname === '/api/chat') return chat(request);
  if (url.origin === 'http://app.test' && url.pathname.startsWith('/api/gateway/')) {
    gatewayRequests.push(`${request.method} ${url.pathname}`);
    const upstream = new URL(
      url.pathname.replace('/api/gateway', '') + url.search,
      'http://gateway.internal',
    );
    const body =
      request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
    return gateway.fetch(
      new Request(upstream, {
        method: request.method,
        headers: request.headers,
        body,
        signal: request.signal,
      }),
      { remoteAddress: '127.0.0.1' },
    );
  }
  return new Response('not found', { status: 404 });
}) as typeof fetch;

beforeAll(async () => {
  fleet = await startFleet({
    basePort: 0,
    servers: ['billy'],
    now: new Date('2026-11-24T10:00:00Z'),
    stateless: true,
  });
  vaultFleet = await startFleet({
    basePort: 0,
    servers: ['vault', 'knowledge', 'calendar'],
    now: new Date('2026-11-24T10:00:00Z'),
  });
  gateway = createGateway({
    servers: {
      billy: { instances: fleet.urls.billy },
      vault: { instances: vaultFleet.urls.vault, tenancy: 'internal' },
      knowledge: { instances: vaultFleet.urls.knowledge, tenancy: 'shared' },
      calendar: { instances: vaultFleet.urls.calendar },
    },
    // The signed-in user's organization runs the fleet: it may use the internal vault.
    operators: { tenants: [TENANTS[0].id] },
    healthChecks: false,
    // The signed-in user of the app: an organization's books are only ever read for its members.
    authenticate: async () => SIGNED_IN,
  });
}, 30_000);

afterAll(async () => {
  await gateway?.close();
  await fleet?.close();
  await vaultFleet?.close();
});

/** The assistant as the app embeds it, over one server of the fleet behind the gateway. */
function renderApp(server: string) {
  render(
    <AIAssistant
      mcpServers={[server]}
      gateway="http://app.test/api/gateway"
      fetch={appFetch}
      storage={false}
      injectStyles={false}
    />,
  );
}

describe('<AIAssistant> with the demo fleet behind the real gateway', () => {
  it('lists paid invoices from the billy demo server and answers from the rows', async () => {
    renderApp('billy');
    const user = userEvent.setup();
    await user.type(screen.getByTestId('assistant-input'), 'List paid invoices{Enter}');

    const card = await screen.findByTestId('assistant-tool-card', {}, { timeout: 10_000 });
    expect(card.dataset.tool).toBe('billy__list_invoices');
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'output-available'), {
      timeout: 10_000,
    });
    const rows = within(card).getAllByRole('row');
    expect(rows.length).toBeGreaterThan(1);
    await waitFor(() => expect(screen.queryByTestId('assistant-stop')).not.toBeInTheDocument(), {
      timeout: 10_000,
    });
    const answers = within(screen.getByTestId('assistant-messages'))
      .getAllByTestId('assistant-message')
      .filter((node) => node.dataset.role === 'assistant');
    expect(answers.at(-1)?.querySelector('.ta-markdown')?.textContent).toMatch(/\d+ invoice/);
    expect(gatewayRequests.some((line) => line === 'POST /api/gateway/mcp/billy')).toBe(true);
  }, 30_000);

  it('holds create_invoice at an approval card; approving creates the draft on the server', async () => {
    renderApp('billy');
    const user = userEvent.setup();
    await user.type(
      screen.getByTestId('assistant-input'),
      'Create invoice for "Nordlys Rengøring" for 3 hours window cleaning{Enter}',
    );
    const card = await screen.findByTestId('assistant-tool-card', {}, { timeout: 10_000 });
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'approval-requested'));
    expect(card.dataset.tool).toBe('billy__create_invoice');
    const before = gatewayRequests.length;
    await user.click(within(card).getByTestId('assistant-approve'));
    await waitFor(
      () =>
        expect(screen.getByTestId('assistant-tool-card')).toHaveAttribute(
          'data-state',
          'output-available',
        ),
      { timeout: 10_000 },
    );
    expect(gatewayRequests.length).toBeGreaterThan(before);
    await waitFor(() => expect(screen.queryByTestId('assistant-stop')).not.toBeInTheDocument(), {
      timeout: 10_000,
    });
    const answers = within(screen.getByTestId('assistant-messages'))
      .getAllByTestId('assistant-message')
      .filter((node) => node.dataset.role === 'assistant');
    expect(answers.at(-1)?.querySelector('.ta-markdown')?.textContent).toMatch(
      /Created the invoice/,
    );
  }, 30_000);

  it('runs the vault sync as a task: its status on the card while it runs, then the result', async () => {
    renderApp('vault');
    const user = userEvent.setup();
    await user.type(screen.getByTestId('assistant-input'), 'Trigger a sync of the vault{Enter}');
    const card = await screen.findByTestId('assistant-tool-card', {}, { timeout: 10_000 });
    expect(card.dataset.tool).toBe('vault__trigger_sync');
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'approval-requested'));
    await user.click(within(card).getByTestId('assistant-approve'));
    // The task's status, polled through the gateway, names each repository as it syncs.
    const task = await within(card).findByTestId('assistant-task', {}, { timeout: 10_000 });
    await waitFor(() => expect(task).toHaveTextContent(/Synced \S+ \(\d+ of \d+\)/), {
      timeout: 10_000,
    });
    expect(within(card).getByRole('progressbar')).toBeInTheDocument();
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'output-available'), {
      timeout: 15_000,
    });
    expect(within(card).queryByTestId('assistant-task')).not.toBeInTheDocument();
  }, 30_000);

  it('picks a running task up again after a reload and follows it to its result', async () => {
    localStorage.clear();
    const app = (
      <AIAssistant
        mcpServers={['vault']}
        gateway="http://app.test/api/gateway"
        fetch={appFetch}
        threadKey="reload-test"
        injectStyles={false}
      />
    );
    const first = render(app);
    const user = userEvent.setup();
    await user.type(screen.getByTestId('assistant-input'), 'Trigger a sync of the vault{Enter}');
    const card = await screen.findByTestId('assistant-tool-card', {}, { timeout: 10_000 });
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'approval-requested'));
    await user.click(within(card).getByTestId('assistant-approve'));
    await within(card).findByTestId('assistant-task', {}, { timeout: 10_000 });
    // The page goes away while the task runs upstream.
    first.unmount();
    render(app);
    const reopened = await screen.findByTestId('assistant-tool-card', {}, { timeout: 10_000 });
    await waitFor(() => expect(reopened).toHaveAttribute('data-state', 'output-available'), {
      timeout: 15_000,
    });
    expect(reopened).not.toHaveTextContent(/interrupted/);
    localStorage.clear();
  }, 30_000);

  it('cancels the vault sync part way from its card', async () => {
    renderApp('vault');
    const user = userEvent.setup();
    await user.type(screen.getByTestId('assistant-input'), 'Trigger a sync of the vault{Enter}');
    const card = await screen.findByTestId('assistant-tool-card', {}, { timeout: 10_000 });
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'approval-requested'));
    await user.click(within(card).getByTestId('assistant-approve'));
    const cancel = await within(card).findByTestId(
      'assistant-task-cancel',
      {},
      { timeout: 10_000 },
    );
    await user.click(cancel);
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'output-error'), {
      timeout: 10_000,
    });
    expect(card).toHaveTextContent(/cancelled this task/);
    // Ended as the user asked: labelled so, not as a failure.
    expect(card.getAttribute('aria-label')).toMatch(/: Cancelled$/);
  }, 30_000);

  it("offers the knowledge server's prompts as / commands through the gateway", async () => {
    renderApp('knowledge');
    const user = userEvent.setup();
    await user.type(screen.getByTestId('assistant-input'), '/vat');
    const option = await screen.findByTestId('assistant-prompt-option', {}, { timeout: 10_000 });
    expect(option).toHaveTextContent('Prepare the VAT report');
    await user.keyboard('{Enter}');
    await user.type(screen.getByLabelText(/quarter/i), '2026-Q2');
    await user.keyboard('{Enter}');
    const messages = within(screen.getByTestId('assistant-messages'));
    expect(
      await messages.findByText(
        /Prepare the VAT \(moms\) report for 2026-Q2/,
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    const card = await screen.findByTestId('assistant-tool-card', {}, { timeout: 10_000 });
    expect(card.dataset.tool).toBe('knowledge__search_docs');
  }, 30_000);

  it('asks who does a booked job in a form on the call’s card, and books with the answer', async () => {
    renderApp('calendar');
    const user = userEvent.setup();
    await user.type(
      screen.getByTestId('assistant-input'),
      'Book a window cleaning on 2026-12-05 at 08:00{Enter}',
    );
    const card = await screen.findByTestId('assistant-tool-card', {}, { timeout: 10_000 });
    expect(card.dataset.tool).toBe('calendar__create_event');
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'approval-requested'));
    await user.click(within(card).getByTestId('assistant-approve'));
    const form = await within(card).findByTestId('assistant-question', {}, { timeout: 10_000 });
    expect(card).toHaveAttribute('data-state', 'input-required');
    // A titled enum of the organization's employees, with the server's default chosen.
    const assignee = within(form).getByRole('combobox', { name: /Assignee/ });
    const options = within(assignee).getAllByRole('option');
    expect(options.length).toBeGreaterThan(2);
    const chosen = options[0] as HTMLOptionElement;
    await user.selectOptions(assignee, chosen);
    await user.click(within(form).getByTestId('assistant-question-accept'));
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'output-available'), {
      timeout: 10_000,
    });
    expect(card.textContent).toContain(chosen.value);
  }, 30_000);

  it('books nothing when the person declines the form', async () => {
    renderApp('calendar');
    const user = userEvent.setup();
    await user.type(
      screen.getByTestId('assistant-input'),
      'Book a window cleaning on 2026-12-06 at 08:00{Enter}',
    );
    const card = await screen.findByTestId('assistant-tool-card', {}, { timeout: 10_000 });
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'approval-requested'));
    await user.click(within(card).getByTestId('assistant-approve'));
    const form = await within(card).findByTestId('assistant-question', {}, { timeout: 10_000 });
    await user.click(within(form).getByTestId('assistant-question-decline'));
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'output-available'), {
      timeout: 10_000,
    });
    expect(card.textContent).toMatch(/declined by the user/);
  }, 30_000);

  it("serves an invoice's MCP App through the gateway; what the app changes waits for the person", async () => {
    const controller = createAssistantController({
      servers: ['billy', 'calendar'],
      gateway: 'http://app.test/api/gateway',
      fetch: appFetch,
      storage: false,
    });
    try {
      const tools = await controller.loadTools();
      // the gateway keeps the tool's _meta: the host learns which tools have a view
      expect(tools.find((tool) => tool.name === 'billy__get_invoice')?.ui).toEqual({
        resourceUri: 'ui://billy/invoice.html',
        visibility: ['model', 'app'],
      });
      expect(controller.canShowApps()).toBe(true);
      const view = await controller.appView('billy', 'ui://billy/invoice.html');
      expect(view.html).toMatch(/^<!doctype html>/);
      expect(view.csp).toEqual({});

      // a draft to work on, created as an app would: it waits for the person too
      const creating = controller.callAppTool('host-1', 'billy', 'create_invoice', {
        customer: 'Nordlys Rengøring',
        lines: [{ description: 'Vinduespudsning', quantity: 3, unitPrice: 450 }],
      });
      const [create] = Object.values(controller.getSnapshot().approvals);
      expect(create).toMatchObject({ app: 'host-1', tool: 'create_invoice' });
      controller.approve(create?.toolCallId ?? '');
      const draft = ((await creating).structuredContent as { invoice: { id: string } }).invoice;
      const statusOf = async () => {
        const result = await controller.callAppTool('host-1', 'billy', 'get_invoice', {
          invoiceId: draft.id,
        });
        return (result.structuredContent as { invoice: { status: string } }).invoice.status;
      };
      // reads run at once: nothing waits for approval
      expect(await statusOf()).toBe('draft');

      // the app's approve waits on the host call's card; rejected, the books stay as they were
      const rejected = controller.callAppTool('host-1', 'billy', 'approve_invoice', {
        invoiceId: draft.id,
      });
      const waiting = Object.values(controller.getSnapshot().approvals);
      expect(waiting).toMatchObject([
        { app: 'host-1', server: 'billy', tool: 'approve_invoice', input: { invoiceId: draft.id } },
      ]);
      const rejectedCall = gatewayRequests.length;
      controller.reject(waiting[0]?.toolCallId ?? '');
      expect(await rejected).toEqual({
        isError: true,
        content: [{ type: 'text', text: APP_CALL_DECLINED }],
      });
      // the rejection reaches the gateway's audit log; the call never did
      await waitFor(() =>
        expect(gatewayRequests.slice(rejectedCall)).toEqual(['POST /api/gateway/decisions']),
      );
      expect(await statusOf()).toBe('draft');

      // approved, it runs on billy and the app gets the booked invoice
      const approved = controller.callAppTool('host-1', 'billy', 'approve_invoice', {
        invoiceId: draft.id,
      });
      const [pending] = Object.values(controller.getSnapshot().approvals);
      controller.approve(pending?.toolCallId ?? '');
      const result = await approved;
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { invoice: { status: string } }).invoice.status).toBe(
        'approved',
      );
      expect(controller.getSnapshot().approvals).toEqual({});
      expect(await statusOf()).toBe('approved');

      // a view that goes away takes its waiting question off the card; nothing runs
      const gone = new AbortController();
      const abandoned = controller.callAppTool(
        'host-1',
        'billy',
        'send_invoice',
        { invoiceId: draft.id },
        gone.signal,
      );
      expect(Object.keys(controller.getSnapshot().approvals)).toHaveLength(1);
      gone.abort();
      expect((await abandoned).isError).toBe(true);
      expect(controller.getSnapshot().approvals).toEqual({});
      expect(await statusOf()).toBe('approved');

      // an app reaches its own server only, and never a tool that is not listed for this user
      await expect(controller.callAppTool('host-1', 'billy', 'show_schedule', {})).rejects.toThrow(
        /billy has no tool "show_schedule"/,
      );
      await expect(
        controller.callAppTool('host-1', 'billy', 'drop_everything', {}),
      ).rejects.toThrow(/no tool/);
    } finally {
      controller.destroy();
    }
  }, 30_000);
});
