/**
 * The e2e "mock gateway": the real gateway over the real demo fleet, with fault proxies in front
 * of every instance and a control API the tests use to make things go wrong (an instance that
 * fails or hangs, a slow tool, a tool that errors, a server or the whole gateway down, a forced
 * 429) and to read system state. Also hosts the local OpenAI-compatible mock.
 */
import { createHash } from 'node:crypto';
import { type IncomingMessage, createServer } from 'node:http';
import {
  OPERATOR_TENANTS,
  SERVER_NAMES,
  type ServerName,
  serverPolicy,
  startFleet,
  TENANTS,
} from '@tekup/demo-servers';
import {
  GatewayError,
  type Stage,
  createApiKeyAuthenticator,
  createGateway,
} from '@tekup/mcp-gateway';
import { serve } from '@tekup/mcp-gateway/node';
import { type FaultProxy, type ToolFaults, startFaultProxy } from './fault-proxy.ts';
import { startOpenAiMock } from './openai-mock.ts';

const port = Number(process.env.MOCK_GATEWAY_PORT ?? 4400);
const controlPort = port + 1;
const openAiPort = Number(process.env.OPENAI_MOCK_PORT ?? 4410);
const key = process.env.E2E_GATEWAY_KEY ?? '';
const keyId = /^tk_test_([0-9a-f]{16})_/.exec(key)?.[1];
if (!keyId) throw new Error('E2E_GATEWAY_KEY must look like tk_test_<16 hex>_<secret>');

const SERVERS: ServerName[] = [...SERVER_NAMES];
const now = process.env.E2E_NOW ? new Date(process.env.E2E_NOW) : undefined;
const fleet = await startFleet({
  servers: SERVERS,
  instances: { billy: 2 },
  basePort: 0,
  ...(now ? { now } : {}),
});
const tools: ToolFaults = { delayMs: {}, errors: {}, payloads: {} };
const proxies: Record<string, FaultProxy[]> = {};
for (const name of SERVERS) {
  proxies[name] = await Promise.all(fleet.urls[name].map((url) => startFaultProxy(url, tools)));
}

let forced429: { retryAfter: number } | undefined;
const faultStage: Stage = {
  name: 'e2e-faults',
  async handle(context, next) {
    if (forced429 && context.method === 'tools/call') {
      throw new GatewayError(
        'rate_limited',
        'Rate limit exceeded (forced by the e2e control API)',
        {
          retryAfter: forced429.retryAfter,
          data: { retryAfter: forced429.retryAfter },
        },
      );
    }
    return next(context);
  },
};

function createE2eGateway() {
  return createGateway({
    servers: Object.fromEntries(
      SERVERS.map((name) => [
        name,
        {
          instances: (proxies[name] ?? []).map((proxy) => proxy.url),
          timeouts: { toolCallMs: 8000, requestMs: 5000 },
          ...serverPolicy(name),
        },
      ]),
    ),
    operators: { tenants: [...OPERATOR_TENANTS] },
    healthCheck: { intervalMs: 2000, timeoutMs: 1000 },
    ejection: { consecutiveFailures: 2, cooldownMs: 3000 },
    authenticate: createApiKeyAuthenticator({
      keys: [
        {
          id: keyId as string,
          hash: createHash('sha256').update(key).digest('hex'),
          ownerId: 'e2e-dashboard',
          role: 'service',
          kind: 'service',
          trusted: true,
        },
      ],
    }),
    stages: [faultStage],
  });
}

let gateway = createE2eGateway();
let server: { close(): Promise<void> } | undefined = await serve(gateway, {
  port,
  host: '127.0.0.1',
});
const openai = await startOpenAiMock(openAiPort);

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Whom the control API's calls act for unless told otherwise: Tekup Demo ApS's admin. */
const TEKUP_ADMIN = {
  id: '10000000-0000-4000-8000-000000000001',
  role: 'admin',
  tenantId: TENANTS[0].id,
};

async function callTool(
  serverName: string,
  tool: string,
  args: Record<string, unknown>,
  as: Record<string, unknown> = TEKUP_ADMIN,
): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}/mcp/${serverName}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'x-tekup-on-behalf-of': JSON.stringify(as),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': tool,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: tool, arguments: args },
    }),
  });
  return response.json();
}

const control = createServer(async (request, response) => {
  const reply = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  try {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${controlPort}`);
    const body = request.method === 'POST' ? await readBody(request) : {};
    switch (`${request.method} ${url.pathname}`) {
      case 'GET /state':
        return reply(200, {
          gatewayUp: server !== undefined,
          forced429,
          tools,
          instances: Object.fromEntries(
            Object.entries(proxies).map(([name, list]) => [
              name,
              list.map((proxy) => ({ url: proxy.url, mode: proxy.faults.mode })),
            ]),
          ),
          openAiRequests: openai.requests.length,
        });
      case 'POST /reset':
        for (const list of Object.values(proxies))
          for (const proxy of list) proxy.faults.mode = 'ok';
        tools.delayMs = {};
        tools.errors = {};
        tools.payloads = {};
        forced429 = undefined;
        if (!server) {
          gateway = createE2eGateway();
          server = await serve(gateway, { port, host: '127.0.0.1' });
        }
        return reply(200, { ok: true });
      case 'POST /instance': {
        const proxy = proxies[String(body.server)]?.[Number(body.index ?? 0)];
        if (!proxy) return reply(404, { error: 'no such instance' });
        proxy.faults.mode = body.mode as FaultProxy['faults']['mode'];
        return reply(200, { ok: true });
      }
      case 'POST /server': {
        const list = proxies[String(body.server)];
        if (!list) return reply(404, { error: 'no such server' });
        for (const proxy of list) proxy.faults.mode = body.down ? 'down' : 'ok';
        return reply(200, { ok: true });
      }
      case 'POST /tool': {
        const tool = String(body.tool);
        if (typeof body.delayMs === 'number') tools.delayMs[tool] = body.delayMs;
        if (typeof body.error === 'string') tools.errors[tool] = body.error;
        if (body.payload !== undefined) tools.payloads[tool] = body.payload;
        return reply(200, { ok: true });
      }
      case 'POST /rate-limit':
        forced429 = body.force ? { retryAfter: Number(body.retryAfter ?? 30) } : undefined;
        return reply(200, { ok: true });
      case 'POST /gateway':
        if (body.down && server) {
          await server.close();
          await gateway.close({ deadlineMs: 100 });
          server = undefined;
        } else if (!body.down && !server) {
          gateway = createE2eGateway();
          server = await serve(gateway, { port, host: '127.0.0.1' });
        }
        return reply(200, { ok: true, gatewayUp: server !== undefined });
      case 'POST /call':
        return reply(
          200,
          await callTool(
            String(body.server),
            String(body.tool),
            (body.arguments ?? {}) as Record<string, unknown>,
            (body.as as Record<string, unknown> | undefined) ?? TEKUP_ADMIN,
          ),
        );
      case 'GET /openai/requests':
        return reply(200, openai.requests);
      default:
        return reply(404, { error: 'unknown control route' });
    }
  } catch (error) {
    reply(500, { error: error instanceof Error ? error.message : String(error) });
  }
});
await new Promise<void>((resolve) => control.listen(controlPort, '127.0.0.1', resolve));
console.log(
  `mock gateway on http://127.0.0.1:${port}, control on http://127.0.0.1:${controlPort}, OpenAI mock on http://127.0.0.1:${openAiPort}/v1`,
);

async function shutdown() {
  control.close();
  openai.server.close();
  await server?.close();
  await gateway.close({ deadlineMs: 500 });
  for (const list of Object.values(proxies)) for (const proxy of list) await proxy.close();
  await fleet.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
