import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.js';
import type { Next, RequestContext } from '../../pipeline/types.js';
import { createMemoryCacheStore } from '../../stores/memory-cache-store.js';
import { createMemoryRateLimitStore } from '../../stores/memory-rate-limit-store.js';
import type { AuditRecord, AuditSink } from '../../stores/types.js';
import { createCacheStage } from '../cache/cache-stage.js';
import { canonicalJson, sha256Hex } from '../hash.js';
import { createRateLimitStage } from '../rate-limit/rate-limit-stage.js';
import { createRbacStage } from '../rbac/rbac-stage.js';
import {
  type ContextInit,
  createManualClock,
  createTestContext,
  destructiveSafety,
  runPipeline,
} from '../test-context.js';
import { noopPolicyMetrics } from '../metrics.js';
import { createAuditStage } from './audit-stage.js';

function collectingSink(): AuditSink & { rows: AuditRecord[]; closed: boolean } {
  const sink = {
    rows: [] as AuditRecord[],
    closed: false,
    write(record: AuditRecord) {
      sink.rows.push(record);
    },
    async flush() {},
    async close() {
      sink.closed = true;
    },
  };
  return sink;
}

function setup(redactArguments?: 'hash' | 'omit' | 'raw') {
  const clock = createManualClock();
  const sink = collectingSink();
  const audit = createAuditStage({ sink, clock, ...(redactArguments ? { redactArguments } : {}) });
  const stages = [
    audit,
    createRbacStage({
      roles: { member: { allow: ['*'] }, admin: { allow: ['*'], destructive: true } },
    }),
    createRateLimitStage({
      store: createMemoryRateLimitStore(),
      limits: { default: { points: 3, durationSeconds: 60 } },
      clock,
    }),
    createCacheStage({ store: createMemoryCacheStore(), clock }),
  ];
  let upstream: Next = async (context) => {
    clock.advance(25);
    context.outcome.instance = 'http://127.0.0.1:4101/mcp';
    return { content: [{ type: 'text', text: 'ok' }] };
  };
  const run = async (init: ContextInit) => {
    const context = createTestContext({ startedAt: clock.now(), ...init });
    try {
      await runPipeline(stages, context, (current) => upstream(current));
    } catch {
      // refusals are what some cases test
    }
    return context;
  };
  return {
    clock,
    sink,
    audit,
    run,
    setUpstream: (next: Next) => {
      upstream = next;
    },
  };
}

describe('createAuditStage', () => {
  it('writes exactly one row per decision with the right outcome', async () => {
    const { sink, audit, run, setUpstream } = setup();
    const alice = { id: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b', role: 'member' };
    await run({ principal: alice, arguments: { q: 1 } }); // success (miss)
    await run({ principal: alice, arguments: { q: 1 } }); // cached
    await run({ principal: alice, tool: 'void_invoice', safety: destructiveSafety }); // denied
    await run({ principal: alice, arguments: { q: 2 } }); // success
    await run({ principal: alice, arguments: { q: 3 } }); // rate limited (4th point)
    setUpstream(async () => {
      throw new GatewayError('upstream_unavailable', 'down');
    });
    await run({
      principal: { id: 'anonymous', kind: 'anonymous', role: 'member' },
      arguments: { q: 4 },
    });
    setUpstream(async () => ({ content: [], isError: true }));
    await run({ principal: { id: 'bob', role: 'member' }, arguments: { q: 5 } });
    setUpstream(async () => {
      throw new Error('bug');
    });
    await run({ principal: { id: 'carol', role: 'member' } });
    await run({ method: 'tools/list', principal: alice });
    await audit.flush();

    expect(sink.rows.map((row) => [row.outcome, row.errorCode, row.cache])).toEqual([
      ['success', undefined, 'miss'],
      ['cached', undefined, 'hit'],
      ['denied', 'forbidden', undefined],
      ['success', undefined, 'miss'],
      ['rate_limited', 'rate_limited', undefined],
      ['failure', 'upstream_unavailable', 'miss'],
      ['failure', 'tool_error', 'miss'],
      ['failure', 'internal_error', 'miss'],
    ]);
    expect(sink.rows.map((row) => row.success)).toEqual([
      true,
      true,
      false,
      true,
      false,
      false,
      false,
      false,
    ]);
    const first = sink.rows[0] as AuditRecord;
    expect(first).toMatchObject({
      server: 'billy',
      tool: 'list_invoices',
      principalId: alice.id,
      principalKind: 'user',
      role: 'member',
      tenantId: 'acme',
      durationMs: 25,
      instance: 'http://127.0.0.1:4101/mcp',
    });
    expect(sink.rows[2]?.durationMs).toBe(0);
    expect(new Set(sink.rows.map((row) => row.requestId)).size).toBe(8);
  });

  it('hashes arguments by default, omits or keeps them raw on request', async () => {
    const args = { b: 2, a: 'secret' };
    const hashed = setup();
    await hashed.run({ arguments: args });
    await hashed.audit.flush();
    expect(hashed.sink.rows[0]?.argumentsHash).toBe(
      await sha256Hex(canonicalJson({ a: 'secret', b: 2 })),
    );
    expect(JSON.stringify(hashed.sink.rows[0])).not.toContain('secret');

    const omitted = setup('omit');
    await omitted.run({ arguments: args });
    await omitted.audit.flush();
    expect(omitted.sink.rows[0]?.argumentsHash).toBeUndefined();
    expect(JSON.stringify(omitted.sink.rows[0])).not.toContain('secret');

    const raw = setup('raw');
    await raw.run({ arguments: args });
    await raw.audit.flush();
    expect(raw.sink.rows[0]?.arguments).toEqual(args);
  });

  it('records the acting service and turns non-uuid request ids into stable uuids', async () => {
    const { sink, audit, run } = setup();
    await run({
      requestId: 'req-42',
      principal: {
        id: 'user-1',
        role: 'member',
        keyId: 'abcd',
        actor: { id: 'dashboard', kind: 'service', role: 'service' },
      },
    });
    await run({ requestId: 'req-42', arguments: { other: true } });
    await audit.flush();
    const [row, again] = sink.rows;
    expect(row?.actorId).toBe('dashboard');
    expect(row?.keyId).toBe('abcd');
    expect(row?.requestId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(again?.requestId).toBe(row?.requestId);
  });

  it('waits for rows being built on close, then closes the sink', async () => {
    const { sink, audit, run } = setup();
    const pending = Array.from({ length: 20 }, (_unused, index) =>
      run({ principal: { id: `user-${index}` }, arguments: { index } }),
    );
    await Promise.all(pending);
    await audit.close?.();
    expect(sink.rows).toHaveLength(20);
    expect(sink.closed).toBe(true);
  });

  it('refuses new calls while its spool is full, records and counts each refusal', async () => {
    const sink = collectingSink();
    let room = false;
    const failures: string[] = [];
    const audit = createAuditStage({
      sink,
      spool: { hasRoom: () => room },
      metrics: {
        ...noopPolicyMetrics,
        storeFailure: (store, mode) => void failures.push(`${store} ${mode}`),
      },
    });
    let reached = 0;
    const call = () =>
      audit.handle(createTestContext({ principal: { id: 'svc' } }), async () => {
        reached++;
        return { content: [] };
      });
    const refusal = await call().catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'audit_unavailable', retryAfter: 5 });
    room = true;
    await call();
    await audit.flush();
    expect(reached).toBe(1);
    expect(sink.rows.map((row) => [row.outcome, row.errorCode])).toEqual([
      ['failure', 'audit_unavailable'],
      ['success', undefined],
    ]);
    expect(failures).toEqual(['audit-spool closed']);
  });

  it('passes non-tool methods through without a row', async () => {
    const { sink, audit } = setup();
    const context: RequestContext = createTestContext({ method: 'resources/list' });
    await audit.handle(context, async () => ({ resources: [] }));
    await audit.flush();
    expect(sink.rows).toEqual([]);
  });
});
