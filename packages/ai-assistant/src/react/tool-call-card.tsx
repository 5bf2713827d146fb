import { staleResultAge } from '@tekup/mcp-client-web';
import { memo, type ReactNode, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { DENIAL_TEXT } from '../core/approvals';
import type { PendingApproval, ToolCallActivity } from '../core/state';
import { AppFrame } from './app-frame';
import { toolResultData } from '../core/tool-output';
import { useAssistantContext } from './context';
import { useAssistantState, useTicker } from './hooks';
import { findToolRenderer, type ToolCardState } from './renderers';
import { QuestionCard } from './question-card';
import { ResultView } from './result-view';

/** The fields of an AI SDK tool part the card reads. */
export interface ToolPartLike {
  toolCallId: string;
  state: string;
  input?: unknown;
  output?: unknown;
  errorText?: string;
}

const stateLabels: Record<ToolCardState, string> = {
  'input-streaming': 'Preparing',
  'input-available': 'Waiting',
  'approval-requested': 'Needs your approval',
  running: 'Running',
  'input-required': 'Needs your answer',
  'output-available': 'Done',
  'output-error': 'Failed',
  'output-denied': 'Rejected',
};

function cardState(
  part: ToolPartLike,
  activity: ToolCallActivity | undefined,
  awaiting: boolean,
): ToolCardState {
  if (awaiting) return 'approval-requested';
  if (part.state === 'output-denied') return 'output-denied';
  if (part.state === 'output-error') {
    return activity?.phase === 'denied' || part.errorText?.startsWith(DENIAL_TEXT)
      ? 'output-denied'
      : 'output-error';
  }
  if (part.state === 'output-available') return 'output-available';
  if (activity?.phase === 'running') return 'running';
  if (part.state === 'input-streaming') return 'input-streaming';
  return 'input-available';
}

function formatDuration(ms: number) {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One tool call: server, tool, arguments, status, duration, result — or its approval card. */
export const ToolCallCard = memo(function ToolCallCard({
  part,
  toolName,
  onDecision,
}: {
  part: ToolPartLike;
  toolName: string;
  onDecision?: () => void;
}) {
  const { controller, renderers } = useAssistantContext();
  const activity = useAssistantState((state) => state.calls[part.toolCallId]);
  const pending = useAssistantState((state) => state.approvals[part.toolCallId]);
  const question = useAssistantState((state) => state.questions[part.toolCallId]);
  const appApprovals = useAssistantState((state) =>
    appApprovalsOf(state.approvals, part.toolCallId),
  );
  const tool = useAssistantState((state) => state.tools.find((item) => item.name === toolName));
  const state = question ? 'input-required' : cardState(part, activity, Boolean(pending));
  useTicker(state === 'running', 250);
  const approvalRef = useRef<HTMLDivElement>(null);
  const awaiting = Boolean(pending);
  const asking = question !== undefined || appApprovals.length > 0;
  useEffect(() => {
    // the approval card (or a server's question) appears without a new message: bring it into view
    if (awaiting || asking) approvalRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [awaiting, asking]);

  const server = tool?.server ?? pending?.server;
  const toolLabel = tool?.title ?? tool?.tool ?? pending?.tool ?? toolName;
  const duration =
    activity?.startedAt != null
      ? (activity.endedAt ?? controller.now()) - activity.startedAt
      : undefined;
  const args = JSON.stringify(part.input ?? {}, null, 2);

  let body: React.ReactNode = null;
  // A result with an MCP App shows the server's view; the app's own calls ask on this card.
  const appUri =
    part.state === 'output-available' && tool?.ui?.resourceUri && controller.canShowApps()
      ? tool.ui.resourceUri
      : undefined;
  const progress = state === 'running' ? activity?.progress : undefined;
  const task = state === 'running' ? activity?.task : undefined;
  // A task the user cancelled ended as they asked: not a failure.
  const cancelled = state === 'output-error' && activity?.task?.status === 'cancelled';
  const label = cancelled ? 'Cancelled' : stateLabels[state];
  if (appUri && tool && !findToolRenderer(renderers, toolName, server, tool.tool)) {
    body = (
      <>
        <AppFrame
          hostCallId={part.toolCallId}
          tool={tool}
          resourceUri={appUri}
          input={part.input}
          output={part.output}
          label={toolLabel}
        />
        {appApprovals.map((item) => (
          <ApprovalPrompt
            key={item.toolCallId}
            pending={item}
            lead={
              <>
                The view above wants to run <strong>{item.title ?? item.tool}</strong> on{' '}
                {item.server} with these arguments:
              </>
            }
            toolLabel={item.title ?? item.tool}
            promptRef={approvalRef}
          />
        ))}
        {question ? (
          <div ref={approvalRef}>
            <QuestionCard question={question} serverLabel={server ?? question.server} />
          </div>
        ) : null}
        <details className="ta-tool-args">
          <summary>Data</summary>
          <ResultView data={toolResultData(part.output)} />
        </details>
      </>
    );
  } else if (question) {
    body = (
      <div ref={approvalRef}>
        <QuestionCard question={question} serverLabel={server ?? question.server} />
      </div>
    );
  } else if (task) {
    body = (
      <div className="ta-task" data-testid="assistant-task" data-status={task.status}>
        <div className="ta-progress">
          <progress aria-label={`${toolLabel}: ${task.message ?? 'working'}`} />
          <span className="ta-muted" aria-live="polite">
            {task.cancelling ? 'Cancelling…' : (task.message ?? 'Working…')}
          </span>
        </div>
        <button
          type="button"
          className="ta-button"
          data-testid="assistant-task-cancel"
          disabled={task.cancelling === true}
          onClick={() => void controller.cancelTask(part.toolCallId)}
        >
          Cancel
        </button>
      </div>
    );
  } else if (progress) {
    const total = progress.total !== undefined && progress.total > 0 ? progress.total : undefined;
    // A known total gives a determinate bar; without one the bar says work is going on.
    body = (
      <div className="ta-progress" data-testid="assistant-tool-progress">
        <progress
          max={total}
          value={total === undefined ? undefined : Math.min(progress.progress, total)}
          aria-label={`${toolLabel} progress`}
          aria-valuetext={
            total === undefined
              ? progress.message
              : `${Math.round((100 * Math.min(progress.progress, total)) / total)} %${progress.message ? `: ${progress.message}` : ''}`
          }
        />
        {progress.message ? <span className="ta-muted">{progress.message}</span> : null}
      </div>
    );
  } else if (state === 'output-available') {
    const data = toolResultData(part.output);
    const renderer = findToolRenderer(renderers, toolName, server, tool?.tool);
    const custom = renderer?.({
      toolName,
      server,
      tool: tool?.tool,
      input: part.input,
      output: part.output,
      data,
      state,
    });
    const age =
      part.output !== null && typeof part.output === 'object'
        ? staleResultAge(part.output as { _meta?: unknown })
        : undefined;
    body = (
      <>
        {age !== undefined ? (
          <p className="ta-stale" role="note" data-testid="assistant-stale">
            Cached answer, may be out of date: the server could not be reached
            {age >= 60 ? ` (about ${Math.round(age / 60)} min old)` : ''}.
          </p>
        ) : null}
        {custom ?? <ResultView data={data} />}
      </>
    );
  } else if (state === 'output-error' && activity?.outcome === 'unknown') {
    // Never offer to run it again: it may have happened. Offer to find out instead.
    body = (
      <div className="ta-unknown" data-testid="assistant-outcome-unknown">
        <p>
          This may or may not have happened: {server ? `the ${server} server` : 'the server'} failed
          after it received the call. It was not retried.
        </p>
        <button
          type="button"
          className="ta-button"
          data-testid="assistant-check-outcome"
          onClick={() =>
            void controller.send(
              `Check whether "${toolLabel}" took effect before doing anything else.`,
            )
          }
        >
          Check whether it happened
        </button>
      </div>
    );
  } else if (state === 'output-error' || state === 'output-denied') {
    body = (
      <p className={state === 'output-denied' || cancelled ? 'ta-muted' : 'ta-tool-error'}>
        {state === 'output-denied'
          ? 'You rejected this call; the assistant was told.'
          : part.errorText}
      </p>
    );
  }

  return (
    <article
      className="ta-tool"
      data-testid="assistant-tool-card"
      data-tool={toolName}
      data-state={state}
      aria-label={`Tool ${toolLabel}${server ? ` on ${server}` : ''}: ${label}`}
    >
      <header className="ta-tool-head">
        <span className="ta-tool-name">
          {server ? <span className="ta-tool-server">{server}</span> : null}
          <span>{toolLabel}</span>
        </span>
        <span className="ta-tool-status" data-state={state}>
          {label}
          {duration != null && state !== 'approval-requested'
            ? ` · ${formatDuration(duration)}`
            : ''}
        </span>
      </header>
      {pending ? (
        <ApprovalPrompt
          pending={pending}
          lead={
            <>
              The assistant wants to run <strong>{toolLabel}</strong>
              {server ? ` on ${server}` : ''} with these arguments:
            </>
          }
          toolLabel={toolLabel}
          promptRef={approvalRef}
          onDecision={onDecision}
        />
      ) : (
        <details className="ta-tool-args">
          <summary>Arguments</summary>
          <pre className="ta-args">{args}</pre>
        </details>
      )}
      {body ? <div className="ta-tool-body">{body}</div> : null}
    </article>
  );
});

const NO_APPROVALS: PendingApproval[] = [];
let lastApprovals: Record<string, PendingApproval> | undefined;
let lastByApp = new Map<string, PendingApproval[]>();

/** The calls an app on `hostCallId`'s card waits on (the same array while nothing changes). */
function appApprovalsOf(
  approvals: Record<string, PendingApproval>,
  hostCallId: string,
): PendingApproval[] {
  if (approvals !== lastApprovals) {
    lastApprovals = approvals;
    lastByApp = new Map();
    for (const item of Object.values(approvals)) {
      if (item.app === undefined) continue;
      lastByApp.set(item.app, [...(lastByApp.get(item.app) ?? []), item]);
    }
  }
  return lastByApp.get(hostCallId) ?? NO_APPROVALS;
}

/** A call waiting for the person's yes or no: what runs, with which arguments. */
function ApprovalPrompt({
  pending,
  lead,
  toolLabel,
  promptRef,
  onDecision,
}: {
  pending: PendingApproval;
  lead: ReactNode;
  toolLabel: string;
  promptRef: RefObject<HTMLDivElement | null>;
  onDecision?: () => void;
}) {
  const { controller } = useAssistantContext();
  const [always, setAlways] = useState(false);
  const checkboxId = useId();
  return (
    <div
      className="ta-approval"
      data-testid="assistant-approval"
      data-app={pending.app === undefined ? undefined : 'true'}
      ref={promptRef}
    >
      <p>{lead}</p>
      <pre className="ta-args">{JSON.stringify(pending.input ?? {}, null, 2)}</pre>
      <label className="ta-check" htmlFor={checkboxId}>
        <input
          id={checkboxId}
          type="checkbox"
          checked={always}
          onChange={(event) => setAlways(event.currentTarget.checked)}
        />
        Always allow this tool for this session
      </label>
      <div className="ta-row">
        <button
          type="button"
          className="ta-button ta-primary"
          data-testid="assistant-approve"
          aria-label={`Approve ${toolLabel}`}
          onClick={() => {
            controller.approve(pending.toolCallId, { always });
            onDecision?.();
          }}
        >
          Approve
        </button>
        <button
          type="button"
          className="ta-button"
          data-testid="assistant-reject"
          aria-label={`Reject ${toolLabel}`}
          onClick={() => {
            controller.reject(pending.toolCallId);
            onDecision?.();
          }}
        >
          Reject
        </button>
      </div>
    </div>
  );
}
