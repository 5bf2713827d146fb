import { type ApprovalPolicy, type GatewayTool, toolNeedsApproval } from '@tekup/mcp-client-web';
import type { Clock } from './clock';
import type { AssistantStore, PendingApproval } from './state';
import type { ReportOutcome, ToolRunner } from './tool-runner';
import type { AssistantGatewayClient } from './types';

/** The text sent to the model (as the tool's error) when the user rejects a call. */
export const DENIAL_TEXT = 'The user denied this tool call. Do not retry it unless the user asks.';
/** What the model is told about a call still waiting when the user moved on. */
export const UNANSWERED_TEXT = `${DENIAL_TEXT} (It was never approved: the user moved on.)`;

/** Holds tool calls that need the user's yes or no, and carries out the answer. */
export interface Approvals {
  /** Holds the call when it needs approval (and the user has not allowed the tool); true if held. */
  hold(
    toolCall: { toolCallId: string; toolName: string; input: unknown },
    tool: GatewayTool,
  ): boolean;
  /**
   * Holds a call an MCP App makes from the card of `hostCallId` when it needs approval:
   * resolves true once approved, false once rejected or once `signal` aborts (the view went
   * away: the question leaves the card); undefined when it needs none.
   */
  askForApp(
    hostCallId: string,
    callId: string,
    tool: GatewayTool,
    input: unknown,
    signal?: AbortSignal,
  ): Promise<boolean> | undefined;
  approve(toolCallId: string, options?: { always?: boolean }): void;
  reject(toolCallId: string, reason?: string): void;
  /** Reports every waiting call as rejected to the gateway and returns them (the caller clears them). */
  abandonAll(): PendingApproval[];
}

/** What {@link createApprovals} needs. */
export interface ApprovalsOptions {
  store: AssistantStore;
  clock: Clock;
  getClient: () => AssistantGatewayClient;
  /** The app's policy: it can add approvals, never remove one. */
  policy: ApprovalPolicy | undefined;
  runner: ToolRunner;
  report: ReportOutcome;
  /** The listed tool of a name (an approved call runs the tool as listed now). */
  toolNamed: (name: string) => GatewayTool | undefined;
}

/** Creates the approvals: one job, the user's decisions about tool calls. */
export function createApprovals(options: ApprovalsOptions): Approvals {
  const { store, clock } = options;
  /** Apps' calls waiting for the person: their answer goes back to the app, not to the model. */
  const appCalls = new Map<string, (approved: boolean) => void>();

  const needsApproval = (tool: GatewayTool) =>
    toolNeedsApproval(tool, options.policy) && !store.getState().alwaysAllow[tool.name];

  const pendingOf = (
    toolCallId: string,
    toolName: string,
    tool: GatewayTool,
    input: unknown,
  ): PendingApproval => ({
    toolCallId,
    toolName,
    server: tool.server,
    tool: tool.tool,
    title: tool.title,
    input,
  });

  /** Takes the call off the waiting list; the app's waiter when an app asked for it. */
  const take = (toolCallId: string, always: boolean) => {
    const pending = store.getState().approvals[toolCallId];
    store.setState((state) => {
      const { [toolCallId]: _done, ...approvals } = state.approvals;
      return {
        approvals,
        alwaysAllow:
          always && pending
            ? { ...state.alwaysAllow, [pending.toolName]: true }
            : state.alwaysAllow,
      };
    });
    const app = appCalls.get(toolCallId);
    appCalls.delete(toolCallId);
    return { pending, app };
  };

  /**
   * A declined call never reaches the gateway, so the gateway learns of it here: every decision
   * is audited, rejections included. A failed report leaves the chat as it is.
   */
  const recordRejection = (pending: PendingApproval) => {
    let reporting: Promise<void> | undefined;
    try {
      reporting = options.getClient().reportDecision?.(pending.toolName, {
        callId: pending.toolCallId,
        decision: 'rejected',
      });
    } catch {
      return;
    }
    void reporting?.catch(() => undefined);
  };

  return {
    hold(toolCall, tool) {
      if (!needsApproval(tool)) return false;
      const { toolCallId, toolName, input } = toolCall;
      store.setState((current) => ({
        approvals: {
          ...current.approvals,
          [toolCallId]: pendingOf(toolCallId, toolName, tool, input),
        },
        calls: { ...current.calls, [toolCallId]: { phase: 'awaiting-approval' } },
      }));
      return true;
    },
    askForApp(hostCallId, callId, tool, input, signal) {
      if (!needsApproval(tool)) return undefined;
      if (signal?.aborted) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        appCalls.set(callId, resolve);
        signal?.addEventListener(
          'abort',
          () => {
            if (appCalls.has(callId)) take(callId, false).app?.(false);
          },
          { once: true },
        );
        store.setState((current) => ({
          approvals: {
            ...current.approvals,
            [callId]: { ...pendingOf(callId, tool.name, tool, input), app: hostCallId },
          },
        }));
      });
    },
    approve(toolCallId, { always = false } = {}) {
      if (!store.getState().approvals[toolCallId]) return;
      const { pending, app } = take(toolCallId, always);
      if (!pending) return;
      if (app) {
        app(true);
        return;
      }
      const tool = options.toolNamed(pending.toolName);
      if (!tool) {
        options.report(toolCallId, pending.toolName, {
          errorText: `Unknown tool "${pending.toolName}".`,
        });
        return;
      }
      void options.runner.run(toolCallId, tool, pending.input);
    },
    reject(toolCallId, reason) {
      const pending = store.getState().approvals[toolCallId];
      if (!pending) return;
      const app = appCalls.get(toolCallId);
      if (app) {
        take(toolCallId, false);
        recordRejection(pending);
        app(false);
        return;
      }
      store.setState((state) => {
        const { [toolCallId]: _done, ...approvals } = state.approvals;
        return {
          approvals,
          calls: { ...state.calls, [toolCallId]: { phase: 'denied', endedAt: clock.now() } },
        };
      });
      recordRejection(pending);
      options.report(toolCallId, pending.toolName, {
        errorText: reason ? `${DENIAL_TEXT} Reason: ${reason}` : DENIAL_TEXT,
      });
    },
    abandonAll() {
      const pending = Object.values(store.getState().approvals);
      for (const item of pending) recordRejection(item);
      for (const app of appCalls.values()) app(false);
      appCalls.clear();
      return pending;
    },
  };
}
