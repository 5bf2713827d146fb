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
      if (!toolNeedsApproval(tool, options.policy) || store.getState().alwaysAllow[tool.name]) {
        return false;
      }
      const { toolCallId, toolName, input } = toolCall;
      store.setState((current) => ({
        approvals: {
          ...current.approvals,
          [toolCallId]: {
            toolCallId,
            toolName,
            server: tool.server,
            tool: tool.tool,
            title: tool.title,
            input,
          },
        },
        calls: { ...current.calls, [toolCallId]: { phase: 'awaiting-approval' } },
      }));
      return true;
    },
    approve(toolCallId, { always = false } = {}) {
      const pending = store.getState().approvals[toolCallId];
      if (!pending) return;
      const tool = options.toolNamed(pending.toolName);
      store.setState((state) => {
        const { [toolCallId]: _done, ...approvals } = state.approvals;
        return {
          approvals,
          alwaysAllow: always
            ? { ...state.alwaysAllow, [pending.toolName]: true }
            : state.alwaysAllow,
        };
      });
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
      return pending;
    },
  };
}
