import { generateText, isStepCount, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { FIXTURE_TOOLS } from './test/fixture-tools';
import { demoTools, INVOICES, NOW, offlineModel } from './test/helpers';

describe('offline model: streaming and multi-step', () => {
  it('streams text deltas and a tool call through streamText', async () => {
    const result = streamText({
      model: offlineModel({ now: () => NOW }),
      prompt: 'Show paid invoices for Acme',
      tools: demoTools(),
    });
    const types: string[] = [];
    let call: { toolName: string; input: unknown } | undefined;
    for await (const part of result.stream) {
      types.push(part.type);
      if (part.type === 'tool-call') call = { toolName: part.toolName, input: part.input };
    }
    expect(types).toContain('tool-input-start');
    expect(call).toEqual({
      toolName: 'billy__list_invoices',
      input: { customer: 'Acme', status: 'paid' },
    });
    const usage = await result.totalUsage;
    expect(usage.inputTokens).toBeGreaterThan(10);
    expect(usage.outputTokens).toBeGreaterThan(0);

    const text = streamText({ model: offlineModel(), prompt: 'hello there friend' });
    const deltas: string[] = [];
    for await (const part of text.stream) if (part.type === 'text-delta') deltas.push(part.text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(await text.text);
  });

  it('calls one tool, then answers from its result, and stops', async () => {
    const calls: string[] = [];
    const result = await generateText({
      model: offlineModel({ now: () => NOW }),
      prompt: 'How many overdue invoices do we have?',
      tools: demoTools(async (name) => {
        calls.push(name);
        return { invoices: INVOICES.filter((invoice) => invoice.status === 'overdue') };
      }),
      stopWhen: isStepCount(10),
    });
    expect(calls).toEqual(['billy__list_invoices']);
    expect(result.steps).toHaveLength(2);
    expect(result.text).toContain('Found 1 invoice.');
    expect(result.finishReason).toBe('stop');
  });

  it('speaks the LanguageModelV4 protocol directly (doStream and doGenerate)', async () => {
    const model = offlineModel({ now: () => NOW });
    const options = {
      prompt: [
        { role: 'user' as const, content: [{ type: 'text' as const, text: 'Show paid invoices' }] },
      ],
      tools: FIXTURE_TOOLS.map((spec) => ({
        type: 'function' as const,
        name: spec.name,
        description: spec.description,
        inputSchema: spec.inputSchema,
      })),
    };
    const { stream } = await model.doStream(options);
    const parts: Array<{ type: string } & Record<string, unknown>> = [];
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value as { type: string } & Record<string, unknown>);
    }
    expect(parts.map((part) => part.type)).toEqual([
      'stream-start',
      'response-metadata',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-end',
      'tool-call',
      'finish',
    ]);
    const call = parts.find((part) => part.type === 'tool-call');
    const input = String(call?.input);
    expect(typeof call?.input).toBe('string');
    expect(JSON.parse(input)).toEqual({ status: 'paid' });
    const finish = parts.at(-1) as unknown as {
      finishReason: { unified: string; raw: string };
      usage: { inputTokens: { total: number }; outputTokens: { total: number } };
    };
    expect(finish.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_calls' });
    expect(finish.usage.inputTokens.total).toBeGreaterThan(0);
    expect(finish.usage.outputTokens.total).toBe(Math.ceil(input.length / 4));

    const generated = await model.doGenerate(options);
    expect(generated.content).toEqual([
      {
        type: 'tool-call',
        toolCallId: call?.toolCallId,
        toolName: 'billy__list_invoices',
        input: call?.input,
      },
    ]);
    expect(generated.finishReason.unified).toBe('tool-calls');
  });

  it('stops when the call is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      offlineModel().doGenerate({
        prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
        abortSignal: controller.signal,
      }),
    ).rejects.toThrow();
  });

  it('reports model and provider ids', () => {
    const model = offlineModel();
    expect(model.specificationVersion).toBe('v4');
    expect(model.provider).toBe('tekup-offline');
    expect(model.modelId).toBe('offline-planner');
  });
});
