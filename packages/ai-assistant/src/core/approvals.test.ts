import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/fake-clock';
import { createTestGateway } from '../../test/harness';
import { createApprovals, DENIAL_TEXT } from './approvals';
import type { AssistantState } from './state';
import { createStore } from './store';
import type { ToolOutcome, ToolRunner } from './tool-runner';

function setup(policy?: (tool: { server: string }) => boolean) {
  const fake = createFakeClock();
  const gateway = createTestGateway([
    { server: 'billy', tool: 'list_invoices', readOnly: true, run: () => ({ content: [] }) },
    { server: 'billy', tool: 'create_invoice', readOnly: false, run: () => ({ content: [] }) },
  ]);
  const [list, create] = gateway.tools;
  const store = createStore({
    approvals: {},
    questions: {},
    alwaysAllow: {},
    calls: {},
  } as unknown as AssistantState);
  const ran: string[] = [];
  const reported: Array<[string, ToolOutcome]> = [];
  const runner: ToolRunner = {
    run: async (toolCallId) => {
      ran.push(toolCallId);
    },
    abortAll: () => [],
    cancelTask: async () => {},
    resume: async () => {},
    size: 0,
  };
  const approvals = createApprovals({
    store,
    clock: fake.clock,
    getClient: () => gateway.client,
    policy,
    runner,
    report: (toolCallId, _name, outcome) => reported.push([toolCallId, outcome]),
    toolNamed: (name) => gateway.tools.find((tool) => tool.name === name),
  });
  const call = (toolCallId: string, toolName: string) => ({
    toolCallId,
    toolName,
    input: { a: 1 },
  });
  return { store, approvals, ran, reported, gateway, list: list!, create: create!, call };
}

describe('createApprovals', () => {
  it('lets read-only calls through and holds the rest until approved', () => {
    const { store, approvals, ran, list, create, call } = setup();
    expect(approvals.hold(call('c1', list.name), list)).toBe(false);
    expect(approvals.hold(call('c2', create.name), create)).toBe(true);
    expect(store.getState().approvals.c2).toMatchObject({
      server: 'billy',
      tool: 'create_invoice',
    });
    expect(store.getState().calls.c2).toEqual({ phase: 'awaiting-approval' });
    approvals.approve('c2', { always: true });
    expect(ran).toEqual(['c2']);
    expect(store.getState().approvals).toEqual({});
    // "always allow" skips the card for that tool from now on
    expect(approvals.hold(call('c3', create.name), create)).toBe(false);
  });

  it('lets the app policy add approvals, never remove them', () => {
    const { approvals, list, create, call } = setup((tool) => tool.server !== 'billy');
    expect(approvals.hold(call('c1', list.name), list)).toBe(false);
    expect(approvals.hold(call('c2', create.name), create)).toBe(true);
    const strict = setup(() => true);
    expect(strict.approvals.hold(call('c3', list.name), strict.list)).toBe(true);
  });

  it('reports a rejection to the model and to the gateway, and never runs the call', async () => {
    const { store, approvals, ran, reported, gateway, create, call } = setup();
    approvals.hold(call('c1', create.name), create);
    approvals.reject('c1', 'not now');
    await Promise.resolve();
    expect(ran).toEqual([]);
    expect(reported).toEqual([['c1', { errorText: `${DENIAL_TEXT} Reason: not now` }]]);
    expect(gateway.decisions).toEqual([
      { name: 'billy_create_invoice', callId: 'c1', decision: 'rejected' },
    ]);
    expect(store.getState().calls.c1).toEqual({ phase: 'denied', endedAt: 1_000_000 });
  });

  it('reports every waiting call as rejected when the user moves on', async () => {
    const { approvals, gateway, create, call } = setup();
    approvals.hold(call('c1', create.name), create);
    approvals.hold(call('c2', create.name), create);
    expect(approvals.abandonAll().map((item) => item.toolCallId)).toEqual(['c1', 'c2']);
    await Promise.resolve();
    expect(gateway.decisions.map((item) => item.callId)).toEqual(['c1', 'c2']);
  });
});
