import { describe, expect, it } from 'vitest';
import { createOfflineModel } from './resolve-model';
import { runToolLoop } from './run-tool-loop';
import { DEMO_TOOL_SPECS, INVOICES } from './test-helpers';

const NOW = new Date('2026-11-24T10:00:00Z');

describe('runToolLoop', () => {
  it('runs the offline model against a fake gateway and answers with the count', async () => {
    const executed: Array<{ name: string; args: unknown; signal: AbortSignal | undefined }> = [];
    const controller = new AbortController();
    const result = await runToolLoop({
      model: createOfflineModel({ now: () => NOW }),
      prompt: 'Which invoices has Acme ApS paid?',
      tools: DEMO_TOOL_SPECS,
      signal: controller.signal,
      execute: async (name, args, { signal }) => {
        executed.push({ name, args, signal });
        return { invoices: INVOICES };
      },
    });
    expect(executed).toHaveLength(1);
    expect(executed[0]).toMatchObject({
      name: 'billy__list_invoices',
      args: { customer: 'Acme ApS', status: 'paid' },
    });
    expect(executed[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(result.answer).toContain('Found 3 invoices.');
    expect(result.answer).toContain('Total: 17,550.00 DKK.');
    expect(result.toolCalls).toEqual([
      {
        name: 'billy__list_invoices',
        args: { customer: 'Acme ApS', status: 'paid' },
        result: { invoices: INVOICES },
        durationMs: expect.any(Number),
      },
    ]);
    expect(result.steps).toBe(2);
    expect(result.usage.totalTokens).toBe(
      (result.usage.inputTokens ?? 0) + (result.usage.outputTokens ?? 0),
    );
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });

  it('records a failing tool and lets the model explain it', async () => {
    const result = await runToolLoop({
      model: createOfflineModel({ now: () => NOW }),
      prompt: 'Search the docs for vacation policy',
      tools: DEMO_TOOL_SPECS,
      execute: async () => {
        throw new Error('knowledge server unreachable');
      },
    });
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({
      name: 'knowledge__search_docs',
      args: { query: 'vacation policy' },
      error: 'knowledge server unreachable',
    });
    expect(result.answer).toContain('knowledge__search_docs failed');
    expect(result.answer).toContain('knowledge server unreachable');
  });

  it('answers without tools when none fits', async () => {
    let calls = 0;
    const result = await runToolLoop({
      model: createOfflineModel(),
      messages: [{ role: 'user', content: 'Tell me a joke about penguins' }],
      tools: DEMO_TOOL_SPECS,
      execute: async () => {
        calls++;
        return null;
      },
    });
    expect(calls).toBe(0);
    expect(result.toolCalls).toEqual([]);
    expect(result.steps).toBe(1);
    expect(result.answer).toContain('billy__list_invoices');
  });
});
