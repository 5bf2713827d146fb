/**
 * The tasks a thread's calls are running, kept beside the thread (localStorage) so a reloaded
 * page picks them up again instead of calling them interrupted: the work goes on upstream.
 */

/** Where a call's task runs. */
export interface TaskHandle {
  server: string;
  taskId: string;
  toolName: string;
}

/** The task handles of one thread. */
export interface TaskHandles {
  get(toolCallId: string): TaskHandle | undefined;
  put(toolCallId: string, handle: TaskHandle): void;
  drop(toolCallId: string): void;
}

function readAll(key: string): Record<string, TaskHandle> {
  try {
    const text = globalThis.localStorage?.getItem(key);
    const parsed: unknown = text ? JSON.parse(text) : {};
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, TaskHandle>)
      : {};
  } catch {
    return {};
  }
}

/** Task handles in localStorage under `tekup-assistant-tasks:<threadKey>` (in memory without it). */
export function createTaskHandles(threadKey: string | undefined): TaskHandles {
  const key = `tekup-assistant-tasks:${threadKey ?? 'default'}`;
  const handles = threadKey === undefined ? {} : readAll(key);
  const write = () => {
    if (threadKey === undefined) return;
    try {
      if (Object.keys(handles).length === 0) globalThis.localStorage?.removeItem(key);
      else globalThis.localStorage?.setItem(key, JSON.stringify(handles));
    } catch {
      // Storage full or unavailable: a reload then reports the call as interrupted.
    }
  };
  return {
    get: (toolCallId) => handles[toolCallId],
    put(toolCallId, handle) {
      handles[toolCallId] = handle;
      write();
    },
    drop(toolCallId) {
      if (!(toolCallId in handles)) return;
      delete handles[toolCallId];
      write();
    },
  };
}
