/**
 * MCP tasks through the gateway (2025-11-25): a task-augmented `tools/call` creates a task on
 * one upstream session; the client gets a sealed task id (instance, session, the upstream's id,
 * the caller) instead of the upstream's, so `tasks/get`, `tasks/result` and `tasks/cancel` reach
 * that session from any gateway instance — and only for the caller who created it. `tasks/list`
 * is not offered: an upstream session is shared by many callers and lists all their tasks.
 */
import { GatewayError } from '../errors.js';
import type { Principal } from '../pipeline/types.js';
import type { InteractionKey } from '../upstream/interaction.js';
import type { GatewayCore } from './core.js';

/** The task methods the gateway relays to the session that holds the task. */
export const pinnedTaskMethods: ReadonlySet<string> = new Set([
  'tasks/get',
  'tasks/result',
  'tasks/cancel',
]);

/** Where a task lives upstream. */
export interface TaskHome {
  instance: string;
  key: InteractionKey;
  sessionId: string;
  taskId: string;
}

/** The longest a sealed task id stays valid, whatever ttl the task asked for. */
const maxTaskLifeMs = 24 * 3_600_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The sealed id a client gets for an upstream task. */
export function sealTask(
  core: GatewayCore,
  home: TaskHome,
  owner: { server: string; principal: Principal },
  ttlMs: number | undefined,
): Promise<string> {
  return core.sealer.seal(
    {
      purpose: 'task',
      inst: home.instance,
      key: home.key,
      sid: home.sessionId,
      t: home.taskId,
      srv: owner.server,
      who: owner.principal.id,
    },
    Math.min(maxTaskLifeMs, ttlMs ?? 3_600_000),
  );
}

/**
 * Where a client's task id points, for its creator on this server only.
 *
 * @throws GatewayError `invalid_request` without a task id; `continuation_expired` for an id
 * that does not open for this caller and server.
 */
export async function openTask(
  core: GatewayCore,
  taskId: unknown,
  owner: { server: string; principal: Principal },
): Promise<TaskHome> {
  if (typeof taskId !== 'string' || taskId === '') {
    throw new GatewayError('invalid_request', 'params.taskId must be the task id the gateway gave');
  }
  const claims = await core.sealer.open(taskId, 'task');
  if (
    claims === undefined ||
    claims.srv !== owner.server ||
    claims.who !== owner.principal.id ||
    typeof claims.inst !== 'string' ||
    typeof claims.key !== 'string' ||
    typeof claims.sid !== 'string' ||
    typeof claims.t !== 'string'
  ) {
    throw new GatewayError('continuation_expired', 'No such task for this caller', {
      data: { reason: 'task_unknown' },
    });
  }
  return { instance: claims.inst, key: claims.key, sessionId: claims.sid, taskId: claims.t };
}

/**
 * A result with the upstream's task id replaced by the client's: a task (`tasks/get`,
 * `tasks/cancel`), a created task (`{ task }`), or a task's result (related-task `_meta`).
 */
export function withTaskId(
  result: Record<string, unknown>,
  taskId: string,
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...result };
  if (typeof copy.taskId === 'string') copy.taskId = taskId;
  if (isRecord(copy.task)) copy.task = { ...copy.task, taskId };
  if (isRecord(copy._meta)) {
    const related = copy._meta['io.modelcontextprotocol/related-task'];
    if (isRecord(related)) {
      copy._meta = {
        ...copy._meta,
        'io.modelcontextprotocol/related-task': { ...related, taskId },
      };
    }
  }
  return copy;
}
