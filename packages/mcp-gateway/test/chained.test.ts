/**
 * A gateway in front of a gateway (the dashboard's set-up with MCP_GATEWAY_URL): the front
 * authenticates users and calls the back one over HTTP with its trusted key, naming the user per
 * request; the back gateway authorizes, limits and forwards as that user.
 */
import { createHash } from 'node:crypto';
import { type RunningServer, startServer } from '@tekup/demo-servers';
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
