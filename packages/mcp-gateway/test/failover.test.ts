import { afterEach, describe, expect, it } from 'vitest';
import {
  createGateway,
  type Gateway,
  type GatewayOptions,
  GatewayError,
  isUpstreamFailure,
  type Stage,
} from '../src/index.js';
import { type FixtureServer, startFixtureServer } from './fixtures/fixture-server.js';
import { callTool, createManualClock, errorCode, post, resultText, rpc } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function fleet(count: number): Promise<FixtureServer[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      startFixtureServer({ name: String.fromCharCode(97 + index) }),
    ),
  );
  cleanups.push(async () => {
    await Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
  });
  return servers;
}

function gatewayFor(
  upstreams: FixtureServer[],
  options: Partial<GatewayOptions> & { server?: Record<string, unknown> } = {},
): Gateway {
  const { server, ...rest } = options;
  const gateway = createGateway({
    servers: {
      billy: {
        instances: upstreams.map((upstream) => upstream.url),
        tenancy: 'shared',
        ...server,
      },
    },
    ejection: { consecutiveFailures: 2, cooldownMs: 5_000 },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    healthChecks: false,
    ...rest,
  } as GatewayOptions);
  cleanups.push(() => gateway.close());
  return gateway;
}

function instanceOf(gateway: Gateway, upstream: FixtureServer) {
  const status = gateway.status()[0];
  return status?.instances.find((instance) => instance.url === upstream.url);
}

describe('load balancing', () => {
  it('spreads calls round-robin across instances', async () => {
    const upstreams = await fleet(3);
    const gateway = gatewayFor(upstreams);
    for (let index = 0; index < 30; index++) {
      const call = await callTool(gateway, 'billy', 'echo', { text: String(index) });
      expect(call.status).toBe(200);
    }
    expect(upstreams.map((upstream) => upstream.calls.get('echo'))).toEqual([10, 10, 10]);
  });

  it('least-outstanding avoids a busy instance', async () => {
    const upstreams = await fleet(2);
    const gateway = gatewayFor(upstreams, { loadBalancing: 'least-outstanding' });
    await callTool(gateway, 'billy', 'echo', { text: 'warm' });
    const busy = callTool(gateway, 'billy', 'slow', { ms: 400 });
    const busyInstance = await Promise.race(
      upstreams.map((upstream) => upstream.waitForCall('slow').then(() => upstream)),
    );
    const idle = upstreams.find((upstream) => upstream !== busyInstance) as FixtureServer;
    const idleBefore = idle.calls.get('echo') ?? 0;
    for (let index = 0; index < 4; index++) await callTool(gateway, 'billy', 'echo', { text: 'x' });
    expect((idle.calls.get('echo') ?? 0) - idleBefore).toBe(4);
    expect((await busy).status).toBe(200);
  });
});

describe('health', () => {
  it('ejects an instance after consecutive failures and re-admits it after a health check', async () => {
    const upstreams = await fleet(2);
    const [a, b] = upstreams as [FixtureServer, FixtureServer];
    const gateway = gatewayFor(upstreams);
    await b.stop();
    for (let index = 0; index < 6; index++) {
      const call = await callTool(gateway, 'billy', 'echo', { text: 'x' });
      expect(call.status).toBe(200);
      expect(resultText(call.body)).toBe('a:x');
    }
    expect(instanceOf(gateway, b)?.state).toBe('ejected');
    expect(instanceOf(gateway, b)?.available).toBe(false);
    const requestsWhileEjected = instanceOf(gateway, b)?.requests;
    await callTool(gateway, 'billy', 'echo', { text: 'y' });
    expect(instanceOf(gateway, b)?.requests).toBe(requestsWhileEjected);

    await b.start();
    await gateway.checkHealth();
    expect(instanceOf(gateway, b)?.state).toBe('healthy');
    for (let index = 0; index < 4; index++) await callTool(gateway, 'billy', 'echo', { text: 'z' });
    expect(b.calls.get('echo')).toBe(2);
    expect(a.calls.get('echo')).toBe(9);
  });

  it('half-opens an ejected instance after the cooldown (injected clock) and closes on success', async () => {
    const upstreams = await fleet(2);
    const [, b] = upstreams as [FixtureServer, FixtureServer];
    const clock = createManualClock();
    const gateway = gatewayFor(upstreams, { clock });
    await b.stop();
    for (let index = 0; index < 4; index++) await callTool(gateway, 'billy', 'echo', { text: 'x' });
    expect(instanceOf(gateway, b)?.state).toBe('ejected');
    await b.start();
    clock.advance(4_999);
    expect(instanceOf(gateway, b)?.available).toBe(false);
    clock.advance(2);
    expect(instanceOf(gateway, b)?.available).toBe(true);
    for (let index = 0; index < 4; index++) await callTool(gateway, 'billy', 'echo', { text: 'x' });
    expect(instanceOf(gateway, b)?.state).toBe('healthy');
    expect(b.calls.get('echo')).toBeGreaterThan(0);
  });

  it('a failing health check ejects; /health turns 503 when every instance is down', async () => {
    const upstreams = await fleet(1);
    const gateway = gatewayFor(upstreams);
    await gateway.checkHealth();
    expect(gateway.status()[0]?.healthy).toBe(true);
    await upstreams[0]?.stop();
    await gateway.checkHealth();
    await gateway.checkHealth();
    expect(gateway.status()[0]?.healthy).toBe(false);
    const health = await gateway.fetch(new Request('http://localhost/health'));
    expect(health.status).toBe(503);
    const call = await callTool(gateway, 'billy', 'echo', { text: 'x' });
    expect(call.status).toBe(503);
    expect(errorCode(call.body)).toBe('upstream_unavailable');
    const metrics = await (await gateway.fetch(new Request('http://localhost/metrics'))).text();
    expect(metrics).toMatch(/mcp_gateway_instance_healthy\{server="billy",instance="[^"]+"\} 0/);
  });
});

describe('failover', () => {
  it('loses no read-only call when an instance is killed mid-run', async () => {
    const upstreams = await fleet(3);
    const gateway = gatewayFor(upstreams);
    let done = 0;
    const results: number[] = [];
    let thirdDone: () => void = () => undefined;
    const third = new Promise<void>((resolve) => {
      thirdDone = resolve;
    });
    // Kill the third instance a third into the run, so the kill lands with calls in flight on it.
    const killed = third.then(() => upstreams[2]?.stop());
    const worker = async () => {
      while (results.length + inFlight.size < 90) {
        const call = callTool(gateway, 'billy', 'slow', { ms: 5 }).then((result) => {
          results.push(result.status);
          done++;
          if (done === 30) thirdDone();
          inFlight.delete(call);
        });
        inFlight.add(call);
        await call;
      }
    };
    const inFlight = new Set<Promise<void>>();
    await Promise.all(Array.from({ length: 10 }, worker));
    await killed;
    expect(results).toHaveLength(90);
    expect(results.every((status) => status === 200)).toBe(true);
    expect(instanceOf(gateway, upstreams[2] as FixtureServer)?.failures).toBeGreaterThan(0);
  });

  it('never retries a destructive call that reached an upstream (HTTP 500)', async () => {
    const upstreams = await fleet(2);
    const [a, b] = upstreams as [FixtureServer, FixtureServer];
    const gateway = gatewayFor(upstreams);
    await post(gateway, 'billy', rpc('tools/list'));
    a.failWith(500);
    const statuses: number[] = [];
    for (let index = 0; index < 2; index++) {
      const call = await callTool(gateway, 'billy', 'create_invoice', { amount: 100 });
      statuses.push(call.status);
      if (call.status !== 200) {
        // It may have happened: a distinct code, and nothing that invites a retry.
        expect(errorCode(call.body)).toBe('outcome_unknown');
        expect(call.headers.get('retry-after')).toBeNull();
      }
    }
    expect(statuses.sort()).toEqual([200, 502]);
    expect(b.calls.get('create_invoice')).toBe(1);
  });

  it('never retries an unannotated tool (treated as destructive)', async () => {
    const upstreams = await fleet(2);
    const [a, b] = upstreams as [FixtureServer, FixtureServer];
    const gateway = gatewayFor(upstreams);
    await post(gateway, 'billy', rpc('tools/list'));
    a.failWith(500);
    const first = await callTool(gateway, 'billy', 'unannotated');
    const second = await callTool(gateway, 'billy', 'unannotated');
    expect([first.status, second.status].sort()).toEqual([200, 502]);
    expect(b.calls.get('unannotated')).toBe(1);
  });

  it('does not retry a destructive call cut off mid-flight', async () => {
    const upstreams = await fleet(2);
    const [a, b] = upstreams as [FixtureServer, FixtureServer];
    const gateway = gatewayFor(upstreams);
    await post(gateway, 'billy', rpc('tools/list'));
    await post(gateway, 'billy', rpc('tools/list'));
    // Round-robin: the next pick is `a`.
    const call = callTool(gateway, 'billy', 'create_invoice', { amount: 5, ms: 2_000 });
    await a.waitForCall('create_invoice');
    await a.stop();
    const result = await call;
    expect(result.status).toBe(502);
    expect(errorCode(result.body)).toBe('outcome_unknown');
    expect(result.headers.get('retry-after')).toBeNull();
    expect(b.calls.get('create_invoice') ?? 0).toBe(0);
  });

  it('does retry a destructive call that certainly never reached an upstream (connection refused)', async () => {
    const upstreams = await fleet(2);
    const [a] = upstreams as [FixtureServer, FixtureServer];
    // Stopped before the gateway ever connects, so no pooled socket can blur "never reached".
    await a.stop();
    const gateway = gatewayFor(upstreams);
    const call = await callTool(gateway, 'billy', 'create_invoice', { amount: 7 });
    expect(call.status).toBe(200);
    expect(resultText(call.body)).toBe('b:invoice 7');
  });

  it('honours a config override that marks a tool idempotent', async () => {
    const upstreams = await fleet(2);
    const [a, b] = upstreams as [FixtureServer, FixtureServer];
    const gateway = gatewayFor(upstreams, {
      server: { tools: { create_invoice: { idempotent: true } } },
    });
    await post(gateway, 'billy', rpc('tools/list'));
    a.failWith(500);
    const first = await callTool(gateway, 'billy', 'create_invoice', { amount: 1 });
    const second = await callTool(gateway, 'billy', 'create_invoice', { amount: 2 });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(b.calls.get('create_invoice')).toBe(2);
  });

  it('times out with 504 upstream_timeout', async () => {
    const upstreams = await fleet(1);
    const gateway = gatewayFor(upstreams, { server: { timeouts: { toolCallMs: 150 } } });
    const started = performance.now();
    const call = await callTool(gateway, 'billy', 'slow', { ms: 5_000 });
    expect(call.status).toBe(504);
    expect(errorCode(call.body)).toBe('upstream_timeout');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('re-initializes transparently when the upstream loses the session', async () => {
    const upstreams = await fleet(1);
    const upstream = upstreams[0] as FixtureServer;
    const gateway = gatewayFor(upstreams);
    expect((await callTool(gateway, 'billy', 'echo', { text: '1' })).status).toBe(200);
    expect(upstream.initializeCount()).toBe(1);
    upstream.dropSessions();
    const call = await callTool(gateway, 'billy', 'create_invoice', { amount: 3 });
    expect(call.status).toBe(200);
    expect(upstream.initializeCount()).toBe(2);
    expect(upstream.calls.get('create_invoice')).toBe(1);
  });
});

describe('stages', () => {
  it('runs stages in order around the upstream call, merges response headers and filters tools', async () => {
    const upstreams = await fleet(1);
    const order: string[] = [];
    const stage = (name: string): Stage => ({
      name,
      async handle(context, next) {
        order.push(`${name}:before`);
        context.responseHeaders.set(`x-stage-${name}`, '1');
        const result = await next(context);
        order.push(`${name}:after`);
        return result;
      },
      filterTools: (_principal, _server, tools) =>
        tools.filter((tool) => tool.name !== 'create_invoice'),
    });
    const gateway = gatewayFor(upstreams, { stages: [stage('outer'), stage('inner')] });
    const response = await post(gateway, 'billy', rpc('tools/list'));
    expect(order).toEqual(['outer:before', 'inner:before', 'inner:after', 'outer:after']);
    expect(response.headers.get('x-stage-outer')).toBe('1');
    const tools = ((await response.json()) as { result: { tools: { name: string }[] } }).result
      .tools;
    expect(tools.map((tool) => tool.name)).not.toContain('create_invoice');
    expect(tools.map((tool) => tool.name)).toContain('echo');
  });

  it('gives stages the tool safety and server config, and turns their errors into responses', async () => {
    const upstreams = await fleet(1);
    const seen: unknown[] = [];
    const gateway = gatewayFor(upstreams, {
      stages: [
        {
          name: 'limit',
          async handle(context, next) {
            seen.push({ tool: context.tool, ttl: context.serverConfig?.cacheTtlSeconds });
            if (context.tool?.safety.destructive) {
              context.responseHeaders.set('RateLimit-Remaining', '0');
              throw new GatewayError('rate_limited', 'Slow down', { retryAfter: 7 });
            }
            return next(context);
          },
        },
      ],
    });
    const call = await callTool(gateway, 'billy', 'create_invoice', { amount: 1 });
    expect(call.status).toBe(429);
    expect(errorCode(call.body)).toBe('rate_limited');
    const response = await post(
      gateway,
      'billy',
      rpc('tools/call', { name: 'create_invoice', arguments: { amount: 1 } }),
    );
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('ratelimit-remaining')).toBe('0');
    expect(seen[0]).toMatchObject({
      tool: {
        name: 'create_invoice',
        safety: { readOnly: false, destructive: true, idempotent: false },
      },
      ttl: 60,
    });
  });

  it('lets a stage answer stale data when every instance is down (stale-if-error hook)', async () => {
    const upstreams = await fleet(1);
    let stale: Record<string, unknown> | undefined;
    const gateway = gatewayFor(upstreams, {
      stages: [
        {
          name: 'cache',
          async handle(context, next) {
            try {
              stale = await next(context);
              return stale;
            } catch (error) {
              if (isUpstreamFailure(error) && stale !== undefined) {
                context.outcome.cache = 'stale';
                return stale;
              }
              throw error;
            }
          },
        },
      ],
    });
    expect((await callTool(gateway, 'billy', 'echo', { text: 'fresh' })).status).toBe(200);
    await upstreams[0]?.stop();
    const call = await callTool(gateway, 'billy', 'echo', { text: 'fresh' });
    expect(call.status).toBe(200);
    expect(resultText(call.body)).toBe('a:fresh');
  });
});

describe('tool list changes', () => {
  it('hears tools/list_changed on the upstream GET stream, tells the stages and reloads annotations', async () => {
    const upstreams = await fleet(1);
    const upstream = upstreams[0] as FixtureServer;
    const changed: string[] = [];
    let notify: () => void = () => undefined;
    const heard = new Promise<void>((resolve) => {
      notify = resolve;
    });
    const gateway = gatewayFor(upstreams, {
      stages: [
        {
          name: 'watch',
          handle: (context, next) => next(context),
          onToolsChanged(server) {
            changed.push(server);
            notify();
          },
        },
      ],
    });
    expect((await callTool(gateway, 'billy', 'echo', { text: 'x' })).status).toBe(200);
    upstream.addTool('fresh_tool');
    await heard;
    expect(changed).toEqual(['billy']);
    const call = await callTool(gateway, 'billy', 'fresh_tool');
    expect(resultText(call.body)).toBe('fresh_tool');
  });
});

describe('shutdown', () => {
  it('finishes in-flight calls, refuses new ones with 503, then closes upstream sessions', async () => {
    const upstreams = await fleet(1);
    const gateway = gatewayFor(upstreams);
    const slow = callTool(gateway, 'billy', 'slow', { ms: 200 });
    await upstreams[0]?.waitForCall('slow');
    const closed = gateway.close({ deadlineMs: 5_000 });
    const refused = await callTool(gateway, 'billy', 'echo', { text: 'late' });
    expect(refused.status).toBe(503);
    expect(errorCode(refused.body)).toBe('shutting_down');
    expect((await slow).status).toBe(200);
    await closed;
  });
});
