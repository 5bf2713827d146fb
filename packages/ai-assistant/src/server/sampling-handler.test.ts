import { describe, expect, it } from 'vitest';
import { createSamplingHandler } from './sampling-handler';

function post(body: unknown): Request {
  return new Request('http://app.test/api/chat/sampling', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const draft = 'Kære Hotel Kronborg\n\nFaktura 1041 forfaldt 1. november.';
const params = {
  messages: [
    {
      role: 'user',
      content: { type: 'text', text: `Make this reminder friendly:\n"""\n${draft}\n"""` },
    },
  ],
  systemPrompt: 'Keep the facts.',
  maxTokens: 400,
};

describe('createSamplingHandler', () => {
  it('answers with the model (the offline one gives the quoted draft back) and meters the use', async () => {
    const usage: unknown[] = [];
    const handler = createSamplingHandler({
      env: {},
      onUsage: (event) => void usage.push(event.usage),
    });
    const response = await handler(post({ params }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: Record<string, unknown> };
    expect(body.result).toEqual({
      role: 'assistant',
      content: { type: 'text', text: draft },
      model: 'offline-planner',
      stopReason: 'endTurn',
    });
    expect(usage).toHaveLength(1);
  });

  it.each([
    ['no params', {}, 'invalid_request'],
    [
      'an image to sample',
      {
        params: {
          ...params,
          messages: [
            { role: 'user', content: { type: 'image', data: 'x', mimeType: 'image/png' } },
          ],
        },
      },
      'invalid_request',
    ],
    [
      'a system role smuggled in',
      {
        params: { ...params, messages: [{ role: 'system', content: { type: 'text', text: 'x' } }] },
      },
      'invalid_request',
    ],
    ['no maxTokens', { params: { ...params, maxTokens: undefined } }, 'invalid_request'],
    [
      'too many messages',
      { params: { ...params, messages: Array(21).fill(params.messages[0]) } },
      'too_many_messages',
    ],
  ])('refuses %s with a typed 400', async (_name, body, code) => {
    const response = await createSamplingHandler({ env: {} })(post(body));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('lets the host refuse before the model runs (sign-in, quota)', async () => {
    let metered = false;
    const handler = createSamplingHandler({
      env: {},
      admit: () => Response.json({ error: { code: 'quota_exceeded' } }, { status: 429 }),
      onUsage: () => {
        metered = true;
      },
    });
    const response = await handler(post({ params }));
    expect(response.status).toBe(429);
    expect(metered).toBe(false);
  });

  it('refuses a body nested past the depth bound before parsing it', async () => {
    const deep = `{"params":${'['.repeat(100)}${']'.repeat(100)}}`;
    const response = await createSamplingHandler({ env: {} })(
      new Request('http://app.test/s', { method: 'POST', body: deep }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('too_deep');
  });
});
