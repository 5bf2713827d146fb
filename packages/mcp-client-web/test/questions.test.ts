/**
 * A server's questions during a call — through the real gateway, from the real fleet (billy's
 * `send_invoice` confirms the recipient; calendar's `create_event` asks who does the job) —
 * answered by the client's handler, in both protocol eras.
 */
import { type RunningServer, startServer } from '@tekup/demo-servers';
import { createGateway, type Gateway } from '@tekup/mcp-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayClient, type ServerQuestion } from '../src/index';
import { DEMO_MEMBER } from './demo-member';
import { type ServedHandler, serveHandler } from './http-server';

let fleet: RunningServer[] = [];
let gateway: Gateway;
let served: ServedHandler;
const clients: GatewayClient[] = [];

beforeAll(async () => {
  fleet = await Promise.all([
    startServer('billy', { port: 0 }),
    startServer('calendar', { port: 0 }),
  ]);
  gateway = createGateway({
    servers: Object.fromEntries(fleet.map((server) => [server.name, { instances: [server.url] }])),
    healthChecks: false,
    authenticate: async () => DEMO_MEMBER,
  });
  served = await serveHandler((request) => gateway.fetch(request));
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await served?.close();
  await gateway?.close();
  await Promise.all(fleet.map((server) => server.close()));
});

function connect(
  protocolVersion: string | undefined,
  questions: Parameters<typeof createGatewayClient>[0]['questions'],
): GatewayClient {
  const client = createGatewayClient({
    gateway: served.origin,
    servers: ['billy', 'calendar'],
    ...(protocolVersion ? { protocolVersion } : {}),
    ...(questions ? { questions } : {}),
  });
  clients.push(client);
  return client;
}

async function sentInvoice(client: GatewayClient): Promise<string> {
  const listed = await client.callTool('billy__list_invoices', { status: 'sent', limit: 1 });
  const invoices = (listed.structuredContent as { invoices: { id: string }[] }).invoices;
  return (invoices[0] as { id: string }).id;
}

describe.each([
  { era: 'negotiated (2026-07-28: input_required rounds)', version: undefined },
  { era: 'pinned 2025-11-25 (questions on the SSE answer)', version: '2025-11-25' },
])('questions during a call, $era', ({ version }) => {
  it('puts the form to the call’s own handler and sends what it answers', async () => {
    const client = connect(version, { elicitation: ['form'] });
    const invoiceId = await sentInvoice(client);
    const asked: ServerQuestion[] = [];
    const result = await client.callTool(
      'billy__send_invoice',
      { invoiceId },
      {
        answer: async (question) => {
          asked.push(question);
          return { action: 'accept', content: { recipient: 'revision@example.dk' } };
        },
      },
    );
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ server: 'billy', method: 'elicitation/create' });
    expect((result.structuredContent as { sentTo: string }).sentTo).toBe('revision@example.dk');
  });

  it('uses the client-wide handler, and a declined form sends nothing', async () => {
    const client = connect(version, {
      elicitation: ['form'],
      answer: async () => ({ action: 'decline' }),
    });
    const invoiceId = await sentInvoice(client);
    const result = await client.callTool('billy__send_invoice', { invoiceId });
    expect((result.structuredContent as { sentTo: string }).sentTo).toBe('');
  });

  it('a handler that throws cancels the question', async () => {
    const client = connect(version, { elicitation: ['form'] });
    const result = await client.callTool(
      'calendar__create_event',
      { title: 'Vinduespudsning', start: '2099-03-03T09:00:00Z' },
      {
        answer: async () => {
          throw new Error('closed the form');
        },
      },
    );
    expect(result.content[0]).toMatchObject({
      type: 'text',
      text: expect.stringMatching(/^Not booked/),
    });
  });

  it('declares nothing, and is asked nothing, without `questions`', async () => {
    const client = connect(version, undefined);
    const invoiceId = await sentInvoice(client);
    const result = await client.callTool('billy__send_invoice', { invoiceId });
    expect((result.structuredContent as { sentTo: string }).sentTo).toMatch(/@/);
  });
});
