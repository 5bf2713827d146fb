import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.js';
import {
  createCountingNext,
  createTestContext,
  destructiveSafety,
  readOnlySafety,
} from '../test-context.js';
import { createRbacPolicy, createRbacStage, safetyFromAnnotations } from './rbac-stage.js';

const roles = {
  admin: { allow: ['*'], destructive: true },
  member: { allow: ['billy/*', '*/list_*', 'database/query'], deny: ['billy/delete_*'] },
  auditor: { allow: ['knowledge'], deny: ['knowledge/secret_*'] },
  blocked: { allow: ['*'], deny: ['vault/*'] },
};

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('createRbacPolicy', () => {
  const policy = createRbacPolicy(roles);

  it('matches globs over server/tool', () => {
    expect(policy.canCall('member', 'billy', 'create_invoice', readOnlySafety).allowed).toBe(true);
    expect(policy.canCall('member', 'calendar', 'list_events', readOnlySafety).allowed).toBe(true);
    expect(policy.canCall('member', 'calendar', 'create_event', readOnlySafety)).toEqual({
      allowed: false,
      reason: 'not_allowed',
    });
    expect(policy.canCall('member', 'database', 'query', readOnlySafety).allowed).toBe(true);
    expect(policy.canCall('member', 'database', 'query_all', readOnlySafety).allowed).toBe(false);
  });

  it('lets deny win over allow', () => {
    expect(policy.canCall('member', 'billy', 'delete_invoice', readOnlySafety)).toEqual({
      allowed: false,
      reason: 'denied',
    });
    expect(policy.canCall('blocked', 'vault', 'read', readOnlySafety)).toMatchObject({
      reason: 'denied',
    });
  });

  it('keeps destructive tools for roles that allow them', () => {
    expect(policy.canCall('member', 'billy', 'void_invoice', destructiveSafety)).toEqual({
      allowed: false,
      reason: 'destructive',
    });
    expect(policy.canCall('admin', 'billy', 'void_invoice', destructiveSafety).allowed).toBe(true);
    const additive = { ...destructiveSafety, destructive: false };
    expect(policy.canCall('member', 'billy', 'create_invoice', additive).allowed).toBe(true);
  });

  it('refuses unknown roles', () => {
    expect(policy.canCall('ghost', 'billy', 'list_invoices', readOnlySafety)).toMatchObject({
      reason: 'unknown_role',
    });
    expect(policy.canUseServer('ghost', 'billy').allowed).toBe(false);
  });

  it('treats a pattern without a slash as a whole server', () => {
    expect(policy.canCall('auditor', 'knowledge', 'search', readOnlySafety).allowed).toBe(true);
    expect(policy.canCall('auditor', 'knowledge', 'secret_notes', readOnlySafety).allowed).toBe(
      false,
    );
    expect(policy.canUseServer('auditor', 'knowledge').allowed).toBe(true);
    expect(policy.canUseServer('auditor', 'billy').allowed).toBe(false);
    expect(policy.canUseServer('blocked', 'vault').allowed).toBe(false);
    // a partial deny does not close the whole server
    expect(policy.canUseServer('member', 'billy').allowed).toBe(true);
  });

  it('escapes regex characters in patterns', () => {
    const dotted = createRbacPolicy({ r: { allow: ['a.b/x'] } });
    expect(dotted.canCall('r', 'a.b', 'x', readOnlySafety).allowed).toBe(true);
    expect(dotted.canCall('r', 'axb', 'x', readOnlySafety).allowed).toBe(false);
  });
});

describe('createRbacStage', () => {
  const stage = createRbacStage({ roles });

  it('passes allowed calls through and refuses the rest with forbidden', async () => {
    const next = createCountingNext();
    await stage.handle(createTestContext({ tool: 'list_invoices' }), next);
    expect(next.calls).toBe(1);

    const error = await refusal(
      stage.handle(createTestContext({ tool: 'void_invoice', safety: destructiveSafety }), next),
    );
    expect(error.code).toBe('forbidden');
    expect(error.status).toBe(403);
    expect(error.data).toEqual({ reason: 'destructive' });
    expect(error.message).toBe(
      'Role "member" may not call billy/void_invoice: destructive tools need a role with destructive: true',
    );
    expect(next.calls).toBe(1);
  });

  it('requires the server to be allowed for non-tool methods', async () => {
    const next = createCountingNext(() => ({ tools: [] }));
    await stage.handle(createTestContext({ method: 'tools/list', server: 'billy' }), next);
    const error = await refusal(
      stage.handle(
        createTestContext({
          method: 'resources/list',
          server: 'vault',
          principal: { role: 'blocked' },
        }),
        next,
      ),
    );
    expect(error.code).toBe('forbidden');
    expect(next.calls).toBe(1);
  });

  it('counts denials in metrics', async () => {
    const denied: string[] = [];
    const counted = createRbacStage({
      roles,
      metrics: {
        cacheLookup() {},
        rateLimited() {},
        denied: (server, reason) => denied.push(`${server}:${reason}`),
        storeFailure() {},
        auditQueueDepth() {},
        auditDropped() {},
        toolCall() {},
      },
    });
    await refusal(
      counted.handle(createTestContext({ principal: { role: 'ghost' } }), createCountingNext()),
    );
    expect(denied).toEqual(['billy:unknown_role']);
  });

  it('filters tools/list down to what the principal may call', () => {
    const tools: Tool[] = [
      {
        name: 'list_invoices',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
      },
      {
        name: 'create_invoice',
        inputSchema: { type: 'object' },
        annotations: { destructiveHint: false },
      },
      { name: 'void_invoice', inputSchema: { type: 'object' } },
      {
        name: 'delete_invoice',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
      },
    ];
    const member = { id: 'u', kind: 'user' as const, role: 'member' };
    const names = stage.filterTools?.(member, 'billy', tools).map((tool) => tool.name);
    // void_invoice has no annotations: the spec's defaults make it destructive
    expect(names).toEqual(['list_invoices', 'create_invoice']);
    const admin = { id: 'a', kind: 'user' as const, role: 'admin' };
    expect(stage.filterTools?.(admin, 'billy', tools)).toHaveLength(4);
  });

  it('derives safety from annotations with the spec defaults', () => {
    expect(safetyFromAnnotations({})).toMatchObject({ readOnly: false, destructive: true });
    expect(safetyFromAnnotations({ annotations: { readOnlyHint: true } })).toMatchObject({
      readOnly: true,
      destructive: false,
    });
  });
});
