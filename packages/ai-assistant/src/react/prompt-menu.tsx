import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { PromptEntry } from '../core/types';

/** The prompts whose name or title contains `query` (what follows the `/`). */
export function matchPrompts(prompts: readonly PromptEntry[], query: string): PromptEntry[] {
  const wanted = query.trim().toLowerCase();
  return prompts.filter(
    (prompt) =>
      prompt.name.toLowerCase().includes(wanted) ||
      (prompt.title ?? '').toLowerCase().includes(wanted),
  );
}

/** Props of {@link PromptList}. */
export interface PromptListProps {
  id: string;
  matches: readonly PromptEntry[];
  active: number;
  loading: boolean;
  onPick: (prompt: PromptEntry) => void;
}

/** The id of a prompt's option, for the message box's `aria-activedescendant`. */
export const promptOptionId = (listId: string, index: number) => `${listId}-option-${index}`;

/** The `/` menu: the servers' prompts that match what was typed. */
export function PromptList({ id, matches, active, loading, onPick }: PromptListProps) {
  return (
    <div className="ta-prompts" data-testid="assistant-prompt-menu">
      {matches.length === 0 ? (
        <p className="ta-muted">{loading ? 'Loading commands…' : 'No command matches.'}</p>
      ) : (
        <div id={id} role="listbox" aria-label="Commands" className="ta-prompt-list">
          {matches.map((prompt, index) => (
            // The message box keeps the focus and names the active option
            // (aria-activedescendant); arrows and Enter there drive this list.
            <div
              key={`${prompt.server}/${prompt.name}`}
              tabIndex={-1}
              id={promptOptionId(id, index)}
              role="option"
              aria-selected={index === active}
              className="ta-prompt-option"
              data-testid="assistant-prompt-option"
              // keep the focus in the message box: the keyboard keeps working after a click
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onPick(prompt)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') onPick(prompt);
              }}
            >
              <span className="ta-prompt-name">/{prompt.name}</span>
              <span className="ta-muted">
                {prompt.title ?? prompt.name}
                {prompt.description ? ` — ${prompt.description}` : ''} · {prompt.server}
              </span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** Props of {@link PromptArguments}. */
export interface PromptArgumentsProps {
  prompt: PromptEntry;
  onSubmit: (args: Record<string, string>) => void;
  onCancel: () => void;
}

/** The arguments of a picked prompt, one labelled field each, then Use or Cancel. */
export function PromptArguments({ prompt, onSubmit, onCancel }: PromptArgumentsProps) {
  const [values, setValues] = useState<Record<string, string>>({});
  const first = useRef<HTMLInputElement>(null);
  const baseId = useId();
  useEffect(() => first.current?.focus(), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const filled = Object.fromEntries(
      Object.entries(values).filter(([, value]) => value.trim() !== ''),
    );
    onSubmit(filled);
  };
  return (
    <form
      className="ta-prompts ta-prompt-form"
      data-testid="assistant-prompt-form"
      aria-label={prompt.title ?? prompt.name}
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          // closes this form, not the panel around it
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <p className="ta-prompt-title">
        <strong>{prompt.title ?? prompt.name}</strong>
        {prompt.description ? <span className="ta-muted"> — {prompt.description}</span> : null}
      </p>
      {prompt.arguments.map((argument, index) => {
        const inputId = `${baseId}-${argument.name}`;
        return (
          <label key={argument.name} className="ta-prompt-field" htmlFor={inputId}>
            <span>
              {argument.title ?? argument.description ?? argument.name}
              {argument.required ? ' (required)' : ''}
            </span>
            <input
              id={inputId}
              ref={index === 0 ? first : undefined}
              className="ta-input"
              name={argument.name}
              required={argument.required}
              {...(argument.title && argument.description
                ? { placeholder: argument.description }
                : {})}
              value={values[argument.name] ?? ''}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setValues((current) => ({ ...current, [argument.name]: value }));
              }}
            />
          </label>
        );
      })}
      <div className="ta-row">
        <button type="submit" className="ta-button ta-primary" data-testid="assistant-prompt-use">
          Use
        </button>
        <button type="button" className="ta-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
