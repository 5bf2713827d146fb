import { type KeyboardEvent, useCallback, useRef } from 'react';
import { Composer } from './composer';
import {
  useAssistant,
  useAssistantController,
  useAssistantState,
  useServerHealth,
  useTicker,
} from './hooks';
import { Transcript } from './transcript';

/** A suggested prompt: a string, or a label with the prompt it sends. */
export type QuickAction = string | { label: string; prompt: string };

/** Props of {@link AssistantView}. */
export interface AssistantViewProps {
  /** Heading of the panel. @default 'Assistant' */
  title?: string;
  quickActions?: QuickAction[];
  /** Placeholder of the message box. @default 'Ask anything…' */
  placeholder?: string;
  /** Called when Escape is pressed while nothing runs (the floating panel closes). */
  onClose?: () => void;
  /** Focus the message box when the view mounts (the floating panel opening). */
  autoFocus?: boolean;
}

function ErrorBanner() {
  const controller = useAssistantController();
  const error = useAssistantState((state) => state.error);
  const waiting =
    error?.retryAfter != null
      ? Math.max(0, Math.ceil((error.at + error.retryAfter * 1000 - controller.now()) / 1000))
      : 0;
  useTicker(waiting > 0);
  if (!error) return null;
  return (
    <div className="ta-error" role="alert" data-testid="assistant-error" data-code={error.code}>
      <span>
        {error.message}
        {error.code === 'rate_limited' && error.retryAfter != null
          ? waiting > 0
            ? ` Try again in ${waiting} s.`
            : ' You can try again now.'
          : ''}
      </span>
      <button
        type="button"
        className="ta-button"
        data-testid="assistant-retry"
        disabled={waiting > 0}
        onClick={() => void controller.regenerate()}
      >
        Retry
      </button>
    </div>
  );
}

function HealthBanner() {
  const { servers, gatewayError, refresh } = useServerHealth();
  const down = servers.filter((server) => server.status === 'down');
  if (!gatewayError && down.length === 0) return null;
  return (
    <div className="ta-warning" role="status" data-testid="assistant-server-status">
      {gatewayError ? <p>{gatewayError}</p> : null}
      {down.map((server) => (
        <p key={server.server} data-server={server.server}>
          {server.message ?? `The server "${server.server}" is unavailable.`}
        </p>
      ))}
      <button
        type="button"
        className="ta-button"
        data-testid="assistant-server-retry"
        onClick={() => void refresh().catch(() => undefined)}
      >
        Check again
      </button>
    </div>
  );
}

/**
 * The assistant UI (header, transcript, approvals, errors, quick actions, composer) for the
 * nearest `AssistantProvider`. `<AIAssistant>` wraps it; use it directly for custom layouts.
 */
export function AssistantView({
  title = 'Assistant',
  quickActions,
  placeholder = 'Ask anything…',
  onClose,
  autoFocus = false,
}: AssistantViewProps) {
  const assistant = useAssistant();
  const { messages, status, busy, send, stop, editLast, regenerate, newThread } = assistant;
  const announcement = useAssistantState((state) => state.announcement);
  const hasApprovals = useAssistantState((state) => Object.keys(state.approvals).length > 0);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

  const focusInput = useCallback(() => {
    // after React commits: the button that had focus may be gone
    queueMicrotask(() => inputRef.current?.focus());
  }, []);

  const onSend = useCallback(
    (text: string) => {
      if (!text.trim()) return;
      void send(text);
      focusInput();
    },
    [send, focusInput],
  );
  const onStop = useCallback(() => {
    void stop();
    focusInput();
  }, [stop, focusInput]);

  const onRootKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    if (busy) {
      event.preventDefault();
      void stop();
    } else if (onClose) {
      event.preventDefault();
      onClose();
    }
  };

  const onEdit = useCallback(
    (text: string) => {
      void editLast(text);
      focusInput();
    },
    [editLast, focusInput],
  );
  const onRegenerate = useCallback(() => {
    void regenerate();
    focusInput();
  }, [regenerate, focusInput]);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape handling for the whole panel
    <div className="ta-view" onKeyDown={onRootKeyDown}>
      <header className="ta-header">
        <h2 className="ta-title">{title}</h2>
        <div className="ta-row">
          <button
            type="button"
            className="ta-button ta-ghost"
            data-testid="assistant-new-thread"
            onClick={() => {
              void newThread();
              focusInput();
            }}
          >
            New thread
          </button>
          {onClose ? (
            <button
              type="button"
              className="ta-button ta-ghost"
              data-testid="assistant-close"
              aria-label="Close assistant"
              onClick={onClose}
            >
              ×
            </button>
          ) : null}
        </div>
      </header>
      <HealthBanner />
      <Transcript
        messages={messages}
        status={status}
        busy={busy}
        onEdit={onEdit}
        onDecision={focusInput}
        onRegenerate={onRegenerate}
        listRef={listRef}
      />
      <div
        className="ta-sr-only"
        aria-live="polite"
        aria-atomic="true"
        data-testid="assistant-announcer"
      >
        {announcement}
      </div>
      <ErrorBanner />
      {quickActions?.length && messages.length === 0 ? (
        <fieldset className="ta-quick">
          <legend className="ta-sr-only">Suggestions</legend>
          {quickActions.map((action) => {
            const label = typeof action === 'string' ? action : action.label;
            const prompt = typeof action === 'string' ? action : action.prompt;
            return (
              <button
                key={label}
                type="button"
                className="ta-chip"
                data-testid="assistant-quick-action"
                onClick={() => onSend(prompt)}
              >
                {label}
              </button>
            );
          })}
        </fieldset>
      ) : null}
      <Composer
        placeholder={
          hasApprovals ? 'Approve or reject the tool call above, or type to move on…' : placeholder
        }
        busy={busy}
        onSend={onSend}
        onStop={onStop}
        inputRef={inputRef}
        autoFocus={autoFocus}
      />
    </div>
  );
}
