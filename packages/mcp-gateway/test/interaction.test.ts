/**
 * Upstream questions through the gateway, both protocol eras, across two gateway instances
 * that share only `sessionSecret`: billy's `send_invoice` asks the caller to confirm the
 * recipient (elicitation) — the question reaches the client that made the call, the answer
 * lands on the *other* gateway instance and still reaches the upstream call, and every
 * decision is audited once, without its content.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { type RunningServer, startServer } from '@tekup/demo-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditStage } from '../src/policies/index.js';
import type { Principal } from '../src/pipeline/types.js';
import { createGateway, type Gateway } from '../src/index.js';
import type { AuditRecord, AuditSink } from '../src/stores/types.js';
import { errorCode, post, rpc } from './helpers.js';

const tenantId = '00000000-0000-4000-8000-000000000001';
const anna: Principal = { id: 'anna', kind: 'user', role: 'member', tenantId };
const bo: Principal = { id: 'bo', kind: 'user', role: 'member', tenantId };

let billy: RunningServer;
let first: Gateway;
let second: Gateway;
const rows: AuditRecord[] = [];

function sink(): AuditSink {
  return {
    write: (record) => void rows.push(record),
    flush: async () => {},
    close: async () => {},
  };
}

function gatewayInstance(): Gateway {
  return createGateway({
    servers: { billy: { instances: [billy.url], tenancy: 'tenant' } },
    sessionSecret: 'a shared secret of the two instances',
    // The caller is named by a test header (one principal per request).
    authenticate: async (request) => (request.headers.get('x-test-user') === 'bo' ? bo : anna),
    stages: [createAuditStage({ sink: sink() })],
    healthChecks: false,
  });
}

beforeAll(async () => {
  billy = await startServer('billy', { port: 0 });
  first = gatewayInstance();
  second = gatewayInstance();
}, 60_000);

afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
  await billy.close();
});

/** An approved or sent invoice of Anna's organization (send_invoice accepts both). */
async function sendableInvoice(): Promise<string> {
  const response = await post(
    first,
    'billy',
    rpc('tools/call', { name: 'list_invoices', arguments: { status: 'sent', limit: 1 } }),
    {
      headers: { accept: 'application/json' },
    },
  );
  const body = (await response.json()) as {
    result: { structuredContent: { invoices: { id: string }[] } };
  };
  const invoice = body.result.structuredContent.invoices[0];
  expect(invoice).toBeDefined();
  return (invoice as { id: string }).id;
}

/**
 * An official SDK client whose requests go to the first instance and whose answers (JSON-RPC
 * responses) go to the second.
 */
async function sdkClient(
  answer: ((params: Record<string, unknown>) => ElicitResult) | undefined,
  user = 'anna',
): Promise<{ client: Client; asked: Record<string, unknown>[] }> {
  const asked: Record<string, unknown>[] = [];
  const client = new Client(
    { name: 'interaction-test', version: '1.0.0' },
    answer === undefined ? {} : { capabilities: { elicitation: { form: {} } } },
  );
  if (answer !== undefined) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params as Record<string, unknown>);
      return answer(request.params as Record<string, unknown>);
    });
  }
  const transport = new StreamableHTTPClientTransport(new URL('http://gateway/mcp/billy'), {
    fetch: async (url, init) => {
      const headers = new Headers(init?.headers);
      headers.set('x-test-user', user);
      const request = new Request(url, { ...init, headers });
      const text = typeof init?.body === 'string' ? init.body : '';
      const isAnswer = text.includes('"result"') || text.includes('"error"');
      return (isAnswer ? second : first).fetch(request);
    },
  });
  await client.connect(transport);
  return { client, asked };
}

function structured(result: unknown): Record<string, unknown> {
  return (result as { structuredContent: Record<string, unknown> }).structuredContent;
}

describe('2025 era: the question on the call’s stream, the answer on another instance', () => {
  it('asks the client who made the call and sends to the address it confirms', async () => {
    const invoiceId = await sendableInvoice();
    const { client, asked } = await sdkClient(() => ({
      action: 'accept',
      content: { recipient: 'bogholderi@example.dk' },
    }));
    const before = rows.length;
    const result = await client.callTool({ name: 'send_invoice', arguments: { invoiceId } });
    expect(asked).toHaveLength(1);
    const schema = asked[0]?.requestedSchema as { properties: Record<string, { format?: string }> };
    expect(schema.properties.recipient?.format).toBe('email');
    expect(structured(result).sentTo).toBe('bogholderi@example.dk');
    const written = rows.slice(before);
    expect(written.map((row) => row.outcome).sort()).toEqual(['elicitation_accepted', 'success']);
    const decision = written.find((row) => row.outcome === 'elicitation_accepted');
    expect(decision).toMatchObject({
      server: 'billy',
      tool: 'send_invoice',
      principalId: 'anna',
      tenantId,
    });
    // The decision, never what was typed.
    expect(JSON.stringify(decision)).not.toContain('bogholderi');
    await client.close();
  });

  it('does not send when the person declines, and audits the decline', async () => {
    const invoiceId = await sendableInvoice();
    const { client } = await sdkClient(() => ({ action: 'decline' }));
    const before = rows.length;
    const result = await client.callTool({ name: 'send_invoice', arguments: { invoiceId } });
    expect(structured(result).sentTo).toBe('');
    expect(
      rows
        .slice(before)
        .map((row) => row.outcome)
        .sort(),
    ).toEqual(['elicitation_declined', 'success']);
    await client.close();
  });

  it('asks nothing of a client that declared no elicitation (the upstream sees no such capability)', async () => {
    const invoiceId = await sendableInvoice();
    const { client } = await sdkClient(undefined);
    const result = await client.callTool({ name: 'send_invoice', arguments: { invoiceId } });
    expect(structured(result).sentTo).toMatch(/@/);
    await client.close();
  });

  it('refuses a forged answer id, and an answer by someone else, with continuation_expired', async () => {
    const forged = await post(second, 'billy', {
      jsonrpc: '2.0',
      id: 'not-a-sealed-id',
      result: { action: 'accept' },
    });
    expect(forged.status).toBe(410);
    expect(errorCode(await forged.json())).toBe('continuation_expired');

    // Bo answers the question put to Anna: refused, and Anna's answer still completes the call.
    const invoiceId = await sendableInvoice();
    let stolen: Response | undefined;
    const { client } = await sdkClient(() => ({
      action: 'accept',
      content: { recipient: 'anna@example.dk' },
    }));
    const transport = new StreamableHTTPClientTransport(new URL('http://gateway/mcp/billy'));
    void transport;
    const originalFetch = first.fetch.bind(first);
    const intercepting = Object.assign(first, {
      fetch: async (request: Request) => {
        const response = await originalFetch(request);
        if (!(response.headers.get('content-type') ?? '').includes('text/event-stream'))
          return response;
        const [mine, copy] = (response.body as ReadableStream<Uint8Array>).tee();
        void (async () => {
          const reader = copy.getReader();
          let text = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            text += new TextDecoder().decode(value);
            const match = /"id":"([^"]+)","method":"elicitation\/create"/.exec(text);
            if (match && stolen === undefined) {
              stolen = await post(
                second,
                'billy',
                {
                  jsonrpc: '2.0',
                  id: match[1],
                  result: { action: 'accept', content: { recipient: 'bo@evil.example' } },
                },
                { headers: { 'x-test-user': 'bo' } },
              );
            }
          }
        })();
        return new Response(mine, { status: response.status, headers: response.headers });
      },
    });
    const result = await client.callTool({ name: 'send_invoice', arguments: { invoiceId } });
    intercepting.fetch = originalFetch;
    expect(stolen?.status).toBe(410);
    expect(structured(result).sentTo).toBe('anna@example.dk');
    await client.close();
  });
});

const modernHeaders = {
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': 'send_invoice',
};

function modernCall(
  gateway: Gateway,
  args: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  user = 'anna',
): Promise<Response> {
  return post(
    gateway,
    'billy',
    rpc('tools/call', {
      name: 'send_invoice',
      arguments: args,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
      },
      ...extra,
    }),
    { headers: { ...modernHeaders, accept: 'application/json', 'x-test-user': user } },
  );
}

interface InputRequired {
  resultType: 'input_required';
  inputRequests: Record<string, { method: string; params: Record<string, unknown> }>;
  requestState: string;
}

describe('2026-07-28: input_required, then a retry on another instance', () => {
  it('pauses the call with the question and continues it from the sealed state elsewhere', async () => {
    const invoiceId = await sendableInvoice();
    const before = rows.length;
    const round1 = await modernCall(first, { invoiceId });
    expect(round1.status).toBe(200);
    const paused = ((await round1.json()) as { result: InputRequired }).result;
    expect(paused.resultType).toBe('input_required');
    const [name, question] = Object.entries(paused.inputRequests)[0] as [
      string,
      InputRequired['inputRequests'][string],
    ];
    expect(question.method).toBe('elicitation/create');
    expect(JSON.stringify(question.params)).toContain('recipient');

    const round2 = await modernCall(
      second,
      { invoiceId },
      {
        inputResponses: {
          [name]: { result: { action: 'accept', content: { recipient: 'moderne@example.dk' } } },
        },
        requestState: paused.requestState,
      },
    );
    const done = (await round2.json()) as { result: unknown };
    expect(structured(done.result).sentTo).toBe('moderne@example.dk');
    expect(
      rows
        .slice(before)
        .map((row) => row.outcome)
        .sort(),
    ).toEqual(['elicitation_accepted', 'input_required', 'success']);
  });

  it('refuses a state that is tampered with, someone else’s, or for other arguments', async () => {
    const invoiceId = await sendableInvoice();
    const round1 = await modernCall(first, { invoiceId });
    const paused = ((await round1.json()) as { result: InputRequired }).result;
    const name = Object.keys(paused.inputRequests)[0] as string;
    const inputResponses = {
      [name]: { result: { action: 'accept', content: { recipient: 'x@example.dk' } } },
    };
    const tampered = `${paused.requestState.slice(0, -4)}AAAA`;
    for (const [state, args, user] of [
      [tampered, { invoiceId }, 'anna'],
      [paused.requestState, { invoiceId }, 'bo'],
      [paused.requestState, { invoiceId, message: 'other arguments' }, 'anna'],
    ] as const) {
      const response = await modernCall(
        second,
        args,
        { inputResponses, requestState: state },
        user,
      );
      expect(response.status).toBe(410);
      expect(errorCode(await response.json())).toBe('continuation_expired');
    }
    // The rightful answer still continues the call.
    const round2 = await modernCall(
      second,
      { invoiceId },
      { inputResponses, requestState: paused.requestState },
    );
    expect(structured(((await round2.json()) as { result: unknown }).result).sentTo).toBe(
      'x@example.dk',
    );
  });

  it('answers a retry without the asked input with invalid_request', async () => {
    const invoiceId = await sendableInvoice();
    const round1 = await modernCall(first, { invoiceId });
    const paused = ((await round1.json()) as { result: InputRequired }).result;
    const response = await modernCall(second, { invoiceId }, { requestState: paused.requestState });
    expect(response.status).toBe(400);
    expect(errorCode(await response.json())).toBe('invalid_request');
  });

  it('asks nothing of a modern client that declared no elicitation', async () => {
    const invoiceId = await sendableInvoice();
    const response = await post(
      first,
      'billy',
      rpc('tools/call', {
        name: 'send_invoice',
        arguments: { invoiceId },
        _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' },
      }),
      { headers: { ...modernHeaders, accept: 'application/json' } },
    );
    const body = (await response.json()) as { result: Record<string, unknown> };
    expect(body.result.resultType).toBeUndefined();
    expect(structured(body.result).sentTo).toMatch(/@/);
  });
});

describe('sampling: the host’s model, lent per call', () => {
  async function overdueInvoice(): Promise<string> {
    const response = await post(
      first,
      'billy',
      rpc('tools/call', { name: 'list_invoices', arguments: { status: 'overdue', limit: 1 } }),
      { headers: { accept: 'application/json' } },
    );
    const body = (await response.json()) as {
      result: { structuredContent: { invoices: { id: string }[] } };
    };
    return (body.result.structuredContent.invoices[0] as { id: string }).id;
  }

  async function samplingClient(answer: 'write' | 'refuse') {
    const asked: Record<string, unknown>[] = [];
    const client = new Client(
      { name: 'sampling-test', version: '1.0.0' },
      { capabilities: { sampling: {} } },
    );
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      asked.push(request.params as Record<string, unknown>);
      if (answer === 'refuse') throw new Error('The user declined');
      return {
        role: 'assistant',
        content: { type: 'text', text: 'Kære kunde, venligst betal.' },
        model: 'test-model',
        stopReason: 'endTurn',
      };
    });
    const transport = new StreamableHTTPClientTransport(new URL('http://gateway/mcp/billy'), {
      fetch: async (url, init) => {
        const text = typeof init?.body === 'string' ? init.body : '';
        const isAnswer = text.includes('"result"') || text.includes('"error"');
        return (isAnswer ? second : first).fetch(new Request(url, init));
      },
    });
    await client.connect(transport);
    return { client, asked };
  }

  it('relays the request, returns the model’s text to the tool, and audits the approval', async () => {
    const invoiceId = await overdueInvoice();
    const { client, asked } = await samplingClient('write');
    const before = rows.length;
    const result = await client.callTool({
      name: 'draft_payment_reminder',
      arguments: { invoiceId },
    });
    expect(asked).toHaveLength(1);
    expect(JSON.stringify(asked[0])).toContain('payment reminder');
    expect(structured(result)).toMatchObject({
      draft: 'Kære kunde, venligst betal.',
      writtenBy: 'test-model',
    });
    expect(
      rows
        .slice(before)
        .map((row) => row.outcome)
        .sort(),
    ).toEqual(['sampling_approved', 'success']);
    await client.close();
  });

  it('a declined request leaves the server’s own draft, audited as declined', async () => {
    const invoiceId = await overdueInvoice();
    const { client } = await samplingClient('refuse');
    const before = rows.length;
    const result = await client.callTool({
      name: 'draft_payment_reminder',
      arguments: { invoiceId },
    });
    expect(structured(result).writtenBy).toBe('template');
    expect(
      rows
        .slice(before)
        .map((row) => row.outcome)
        .sort(),
    ).toEqual(['sampling_declined', 'success']);
    await client.close();
  });
});
