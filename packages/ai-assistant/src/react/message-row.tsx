import { getToolName, isToolUIPart } from 'ai';
import { memo, useId, useState } from 'react';
import type { AssistantMessage } from '../core/types';
import { Markdown } from './markdown';
import { ToolCallCard, type ToolPartLike } from './tool-call-card';

/** One message of the transcript; re-renders only when its own message object changes. */
export const MessageRow = memo(function MessageRow({
  message,
  editable,
  onEdit,
  onDecision,
  onRegenerate,
}: {
  message: AssistantMessage;
  /** Offer "Edit" (the last user message) or "Regenerate" (the last answer), while idle. */
  editable: boolean;
  onEdit: (text: string) => void;
  onDecision: () => void;
  onRegenerate?: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const text = message.parts
    .filter((part) => part.type === 'text')
    .map((part) => (part as { text: string }).text)
    .join('');

  if (message.role === 'user') {
    return (
      <div className="ta-message ta-user" data-testid="assistant-message" data-role="user">
        {editing ? (
          <EditBox
            initial={text}
            onCancel={() => setEditing(false)}
            onSave={(value) => {
              setEditing(false);
              onEdit(value);
            }}
          />
        ) : (
          <>
            <div className="ta-bubble">{text}</div>
            {editable ? (
              <button
                type="button"
                className="ta-link"
                data-testid="assistant-edit"
                aria-label="Edit your last message"
                onClick={() => setEditing(true)}
              >
                Edit
              </button>
            ) : null}
          </>
        )}
      </div>
    );
  }

  const offline = message.metadata?.model?.offline === true;
  return (
    <div
      className="ta-message ta-assistant"
      data-testid="assistant-message"
      data-role={message.role}
    >
      {offline ? (
        <span
          className="ta-badge"
          data-testid="assistant-offline-badge"
          title="Answered by the built-in offline model"
        >
          offline model
        </span>
      ) : null}
      {message.parts.map((part, index) => {
        if (part.type === 'text') {
          // biome-ignore lint/suspicious/noArrayIndexKey: text parts have no id; order is stable
          return part.text ? <Markdown key={index} text={part.text} /> : null;
        }
        if (isToolUIPart(part)) {
          return (
            <ToolCallCard
              key={part.toolCallId}
              part={part as ToolPartLike}
              toolName={getToolName(part)}
              onDecision={onDecision}
            />
          );
        }
        return null;
      })}
      {editable && onRegenerate && !hasOpenToolCall(message) ? (
        <button
          type="button"
          className="ta-link"
          data-testid="assistant-regenerate"
          aria-label="Regenerate this answer"
          onClick={onRegenerate}
        >
          Regenerate
        </button>
      ) : null}
    </div>
  );
});

const SETTLED_TOOL_STATES = new Set(['output-available', 'output-error', 'output-denied']);

/** True while a tool call of the message still waits (for approval or for its result). */
function hasOpenToolCall(message: AssistantMessage): boolean {
  return message.parts.some(
    (part) => isToolUIPart(part) && !SETTLED_TOOL_STATES.has((part as { state: string }).state),
  );
}

function EditBox({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const id = useId();
  return (
    <form
      className="ta-edit"
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim()) onSave(value);
      }}
    >
      <label className="ta-sr-only" htmlFor={id}>
        Edit message
      </label>
      <textarea
        id={id}
        className="ta-input"
        value={value}
        // biome-ignore lint/a11y/noAutofocus: the user just asked to edit this message
        autoFocus
        rows={2}
        onChange={(event) => setValue(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            if (value.trim()) onSave(value);
          } else if (event.key === 'Escape') {
            event.stopPropagation();
            onCancel();
          }
        }}
      />
      <div className="ta-row">
        <button type="submit" className="ta-button ta-primary" data-testid="assistant-edit-save">
          Save and resend
        </button>
        <button type="button" className="ta-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
