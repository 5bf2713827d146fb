import type { GatewayTool } from '@tekup/mcp-client-web';
import type { ChatStatus } from 'ai';
import type { ErrorDescription } from './errors';
import type { Store } from './store';
import type { AssistantMessage, PromptEntry } from './types';

/** A tool call waiting for the user's yes or no. */
export interface PendingApproval {
  toolCallId: string;
  toolName: string;
  server: string;
  tool: string;
  title?: string;
  input: unknown;
  /** Set when an MCP App asked for the call: the tool call whose card shows that app. */
  app?: string;
}

/** A server's question during a tool call, waiting on the call's card for the person. */
export interface PendingQuestion {
  toolCallId: string;
  server: string;
  method: 'elicitation/create' | 'sampling/createMessage';
  params: Record<string, unknown>;
  askedAt: number;
  /** Sampling: set while the assistant's model writes the answer. */
  sampling?: 'running';
}

/** Timing and local state of one browser-executed tool call. */
export interface ToolCallActivity {
  startedAt?: number;
  endedAt?: number;
  phase: 'awaiting-approval' | 'running' | 'done' | 'denied' | 'stopped';
  /** Set when the call failed in a way that leaves open whether it took effect. */
  outcome?: 'unknown';
  /** The server's latest `notifications/progress` for the call, while it runs. */
  progress?: { progress: number; total?: number; message?: string };
  /** Set when the call runs as an MCP task: where to poll it, and what it last said. */
  task?: { server: string; taskId: string; status: string; message?: string; cancelling?: boolean };
}

/** A server that could not list its tools. */
export interface ServerFailure {
  server: string;
  code?: string;
  message: string;
}

/** A server's health as `{gateway}/servers` reports it. */
export type ServerStatusWord = 'up' | 'degraded' | 'down' | 'unknown';

/** The controller's whole observable state: one snapshot, replaced on every change. */
export interface AssistantState {
  messages: AssistantMessage[];
  status: ChatStatus;
  /** The chat-route error, described for the user. */
  error: ErrorDescription | undefined;
  tools: GatewayTool[];
  toolsStatus: 'idle' | 'loading' | 'ready' | 'error';
  /** Set when the gateway itself could not be reached. */
  toolsError: string | undefined;
  /** When the tools were last listed (clock milliseconds); unset before the first listing. */
  toolsListedAt: number | undefined;
  failures: ServerFailure[];
  /** The servers' prompts (the composer's `/` commands), once listed. */
  prompts: PromptEntry[];
  promptsStatus: 'idle' | 'loading' | 'ready';
  /** Each server's status from the last `GET {gateway}/servers`, when it answered. */
  serverStatus: ReadonlyMap<string, ServerStatusWord> | undefined;
  approvals: Record<string, PendingApproval>;
  /** Servers' questions (forms, links, sampling requests) by tool call. */
  questions: Record<string, PendingQuestion>;
  /** Namespaced tool names the user allowed for this session. */
  alwaysAllow: Record<string, true>;
  calls: Record<string, ToolCallActivity>;
  panelOpen: boolean;
  threadId: string;
  /** The last finished answer, for a polite live region (never streamed tokens). */
  announcement: string;
  /** True when the loop hit `maxSteps` and stopped feeding results back. */
  stepLimitReached: boolean;
}

/** The store every controller module reads and writes its slice of. */
export type AssistantStore = Store<AssistantState>;

/** Merges `patch` into one call's activity (a call not seen yet starts as running). */
export function patchCall(
  store: AssistantStore,
  toolCallId: string,
  patch: Partial<ToolCallActivity>,
): void {
  store.setState((state) => ({
    calls: {
      ...state.calls,
      [toolCallId]: { phase: 'running', ...state.calls[toolCallId], ...patch },
    },
  }));
}
