import { generateText, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { afterToolResult, demoTools, INVOICES, NOW, offlineModel } from '../test/helpers';

describe('offline model: follow-ups', () => {
  async function next(messages: ModelMessage[]) {
    const result = await generateText({
      model: offlineModel({ now: () => NOW }),
      messages,
      tools: demoTools(),
    });
    return result.toolCalls[0];
  }

  it('refines the previous call ("only the paid ones")', async () => {
    const [user, , result] = afterToolResult('Show invoices for Acme ApS', 'billy__list_invoices', {
      type: 'json',
      value: { invoices: INVOICES },
    });
    const call = await next([
      user as ModelMessage,
      {
        role: 'assistant',
        content: [
          {
            type: 'tool-call',
            toolCallId: 'call-1',
            toolName: 'billy__list_invoices',
            input: { customer: 'Acme ApS' },
          },
        ],
      },
      result as ModelMessage,
      { role: 'assistant', content: 'Found 3 invoices.' },
      { role: 'user', content: 'only the paid ones' },
    ]);
    expect(call?.toolName).toBe('billy__list_invoices');
    expect(call?.input).toEqual({ customer: 'Acme ApS', status: 'paid' });
  });

  it('answers its own question for missing arguments', async () => {
    const call = await next([
      { role: 'user', content: 'Create an invoice' },
      {
        role: 'assistant',
        content: 'To use `billy__create_invoice` I need:\n- customer\n- lines',
      },
      { role: 'user', content: 'For Acme ApS, 10 hours of consulting at 950 kr' },
    ]);
    expect(call?.toolName).toBe('billy__create_invoice');
    expect(call?.input).toEqual({
      customer: 'Acme ApS',
      lines: [{ description: 'consulting', quantity: 10, unitPrice: 950 }],
    });
  });

  it('does not continue when the new message gives nothing for the old tool', async () => {
    const call = await next([
      ...afterToolResult('Show invoices for Acme ApS', 'billy__list_invoices', {
        type: 'json',
        value: { invoices: INVOICES },
      }),
      { role: 'user', content: 'thanks, that is all' },
    ]);
    expect(call).toBeUndefined();
  });
});
