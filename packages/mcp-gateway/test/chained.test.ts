/**
 * A gateway in front of a gateway (the dashboard's set-up with MCP_GATEWAY_URL): the front
 * authenticates users and calls the back one over HTTP with its trusted key, naming the user per
 * request; the back gateway authorizes, limits and forwards as that user.
 */
import { createHash } from 'node:crypto';
import { type RunningServer, startServer } from '@tekup/demo-servers';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors.js';
import { type Gateway, type Principal, type Stage, createGateway } from '../src/index.js';
import { type GatewayServer, serve } from '../src/node/index.js';
import { createApiKeyAuthenticator, createRbacStage } from '../src/policies/index.js';
import { callTool, errorCode, post, rpc } from './helpers.js';

const KEY = 'tk_test_00aa11bb22cc33dd_chainedGatewayTrustedKeyForTests';
const TENANT = '00000000-0000-4000-8000-000000000001';

let billy: RunningServer;
let back: Gateway;
let backServer: GatewayServer;
let front: Gateway;
const seenByBack: { method: string; principal: Principal }[] = [];
let forceLimit = false;

const recorder: Stage = {
  name: 'recorder',
  async handle(context, next) {
    seenByBack.push({ method: context.method, principal: context.principal });
    if (forceLimit)
      throw new GatewayError('rate_limited', 'Slow down', {
        retryAfter: 7,
        data: { retryAfter: 7 },
      });
    return next(context);
  },
};

const users: Record<string, Principal> = {
  mette: {
    id: '10000000-0000-4000-8000-000000000001',
    kind: 'user',
    role: 'admin',
    tenantId: TENANT,
  },
  jonas: {
    id: '10000000-0000-4000-8000-000000000002',
    kind: 'user',
    role: 'member',
    tenantId: TENANT,
  },
};

beforeAll(async () => {
  billy = await startServer('billy', { port: 0 });
  back = createGateway({
    servers: { billy: { instances: [billy.url] } },
    healthChecks: false,
    authenticate: createApiKeyAuthenticator({
      keys: [
        {
          id: '00aa11bb22cc33dd',
          hash: createHash('sha256').update(KEY).digest('hex'),
          ownerId: 'dashboard',
          role: 'service',
          trusted: true,
        },
      ],
    }),
    stages: [
      recorder,
      createRbacStage({
        roles: {
          admin: { allow: ['billy/*'], destructive: true },
          member: { allow: ['billy/*'], deny: ['billy/approve_invoice'] },
        },
      }),
    ],
  });
  backServer = await serve(back, { port: 0 });
  front = createGateway({
    servers: {
      billy: {
        instances: [`${backServer.url}/mcp/billy`],
        headers: { authorization: `Bearer ${KEY}` },
        onBehalfHeader: 'x-tekup-on-behalf-of',
      },
    },
    healthChecks: false,
    authenticate: async (request) => {
      const user = users[request.headers.get('x-test-user') ?? ''];
      if (!user) throw new GatewayError('unauthorized', 'who are you');
      return user;
    },
  });
}, 60_000);

afterAll(async () => {
  await front.close();
  await backServer.close();
  await billy.close();
});

describe('gateway in front of a gateway', () => {
  it('acts on behalf of each user over one upstream session', async () => {
    seenByBack.length = 0;
    for (const name of ['mette', 'jonas', 'mette']) {
      const call = await callTool(
        front,
        'billy',
        'list_customers',
        { limit: 2 },
        { headers: { 'x-test-user': name } },
      );
      expect(call.status, JSON.stringify(call.body)).toBe(200);
    }
    const callers = seenByBack
      .filter((seen) => seen.method === 'tools/call')
      .map((seen) => seen.principal);
    expect(callers.map((principal) => principal.role)).toEqual(['admin', 'member', 'admin']);
    expect(callers.every((principal) => principal.actor?.id === 'dashboard')).toBe(true);
    // The front learns tool annotations as a user too: the back never serves a tenant-less caller.
    expect(seenByBack.every((seen) => seen.principal.kind === 'user')).toBe(true);
  });

  it("passes the back gateway's refusals through with their meaning", async () => {
    const denied = await callTool(
      front,
      'billy',
      'approve_invoice',
      { invoiceId: '1001' },
      { headers: { 'x-test-user': 'jonas' } },
    );
    expect(denied.status).toBe(403);
    expect(errorCode(denied.body)).toBe('forbidden');

    forceLimit = true;
    try {
      const response = await post(
        front,
        'billy',
        rpc('tools/call', { name: 'list_customers', arguments: {} }),
        {
          headers: { 'x-test-user': 'mette', accept: 'application/json' },
        },
      );
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      const body = (await response.json()) as Record<string, unknown>;
      expect(errorCode(body)).toBe('rate_limited');
    } finally {
      forceLimit = false;
    }
    // A refusal says nothing of the instance's health.
    expect(front.status()[0]?.instances[0]?.state).not.toBe('ejected');
  });
});

describe('questions through two gateways (the back one cannot resume its streams)', () => {
  async function sentInvoice(): Promise<string> {
    const call = await callTool(
      front,
      'billy',
      'list_invoices',
      { status: 'sent', limit: 1 },
      { headers: { 'x-test-user': 'mette' } },
    );
    return (call.body.result as { structuredContent: { invoices: { id: string }[] } })
      .structuredContent.invoices[0]?.id as string;
  }

  it('2026-07-28: the front holds the paused stream and the retry continues it as the same user', async () => {
    const invoiceId = await sentInvoice();
    const headers = {
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'send_invoice',
      accept: 'application/json',
      'x-test-user': 'mette',
    };
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
    };
    const round1 = await post(
      front,
      'billy',
      rpc('tools/call', { name: 'send_invoice', arguments: { invoiceId }, _meta: meta }),
      { headers },
    );
    const paused = ((await round1.json()) as { result: Record<string, unknown> }).result as {
      resultType: string;
      inputRequests: Record<string, { method: string }>;
      requestState: string;
    };
    expect(paused.resultType).toBe('input_required');
    const name = Object.keys(paused.inputRequests)[0] as string;
    const inputResponses = {
      [name]: { result: { action: 'accept', content: { recipient: 'kaede@example.dk' } } },
    };
    // Another user cannot continue it.
    const stolen = await post(
      front,
      'billy',
      rpc('tools/call', {
        name: 'send_invoice',
        arguments: { invoiceId },
        _meta: meta,
        inputResponses,
        requestState: paused.requestState,
      }),
      { headers: { ...headers, 'x-test-user': 'jonas' } },
    );
    expect(errorCode(await stolen.json())).toBe('continuation_expired');
    const round2 = await post(
      front,
      'billy',
      rpc('tools/call', {
        name: 'send_invoice',
        arguments: { invoiceId },
        _meta: meta,
        inputResponses,
        requestState: paused.requestState,
      }),
      { headers },
    );
    const body = (await round2.json()) as {
      result: { structuredContent: { sentTo: string } };
    };
    expect(body.result.structuredContent.sentTo).toBe('kaede@example.dk');
    // A held stream is continued once: the same state again is refused.
    const again = await post(
      front,
      'billy',
      rpc('tools/call', {
        name: 'send_invoice',
        arguments: { invoiceId },
        _meta: meta,
        inputResponses,
        requestState: paused.requestState,
      }),
      { headers },
    );
    expect(errorCode(await again.json())).toBe('continuation_expired');
  });

  it('2025 era: the question passes both gateways and the answer goes back as the same user', async () => {
    const invoiceId = await sentInvoice();
    const client = new Client(
      { name: 'chained', version: '1.0.0' },
      { capabilities: { elicitation: { form: {} } } },
    );
    let asked = 0;
    client.setRequestHandler(ElicitRequestSchema, async () => {
      asked++;
      return { action: 'accept', content: { recipient: 'mette@example.dk' } };
    });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('http://front/mcp/billy'), {
        fetch: async (url, init) => {
          const headers = new Headers(init?.headers);
          headers.set('x-test-user', 'mette');
          return front.fetch(new Request(url, { ...init, headers }));
        },
      }),
    );
    const result = await client.callTool({ name: 'send_invoice', arguments: { invoiceId } });
    expect(asked).toBe(1);
    expect((result.structuredContent as { sentTo: string }).sentTo).toBe('mette@example.dk');
    await client.close();
  });
});
