import { type KeyboardEvent, memo, type RefObject, useEffect, useId, useState } from 'react';
import type { PromptEntry } from '../core/types';
import { useAssistantController, useAssistantState } from './hooks';
import { matchPrompts, PromptArguments, PromptList, promptOptionId } from './prompt-menu';

/** Props of {@link Composer}. */
export interface ComposerProps {
  placeholder: string;
  /** A turn or a tool call runs: offer Stop. */
  busy: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  /** The message box, for the view to focus after actions elsewhere. */
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** Focus the message box on mount (the floating panel opening). */
  autoFocus: boolean;
}

/**
 * The message box and its buttons. What is typed lives here, not in the view: a keystroke
 * re-renders this form only, never the transcript above it. A message that starts with `/`
 * opens the servers' prompts (listed on first use); picking one asks for its arguments, if it
 * has any, and sends what it gives.
 */
export const Composer = memo(function Composer({
  placeholder,
  busy,
  onSend,
  onStop,
  inputRef,
  autoFocus,
}: ComposerProps) {
  const controller = useAssistantController();
  const prompts = useAssistantState((state) => state.prompts);
  const promptsLoading = useAssistantState((state) => state.promptsStatus !== 'ready');
  const [input, setInput] = useState('');
  const [active, setActive] = useState(0);
  const [picked, setPicked] = useState<PromptEntry | undefined>(undefined);
  const [dismissed, setDismissed] = useState(false);
  const inputId = useId();
  const listId = useId();
  const command = !picked && !dismissed && /^\/\S*$/.test(input) ? input.slice(1) : undefined;
  const matches = command === undefined ? [] : matchPrompts(prompts, command);
  const menuOpen = command !== undefined;

  useEffect(() => {
    if (menuOpen) void controller.loadPrompts().catch(() => undefined);
  }, [menuOpen, controller]);

  const sendPrompt = (prompt: PromptEntry, args: Record<string, string>) => {
    setPicked(undefined);
    setInput('');
    void controller.sendPrompt(prompt, args).catch(() => undefined);
    inputRef.current?.focus();
  };
  const pick = (prompt: PromptEntry) => {
    if (prompt.arguments.length === 0) sendPrompt(prompt, {});
    else setPicked(prompt);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: only on mount
  useEffect(() => {
    // Keep what the user typed while the page was still hydrating: the textarea held it,
    // React's state did not.
    const typedEarly = inputRef.current?.value;
    if (typedEarly) setInput(typedEarly);
    if (autoFocus) inputRef.current?.focus();
  }, []);

  const submit = () => {
    if (!input.trim()) return;
    const text = input;
    setInput('');
    onSend(text);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (menuOpen) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((current) => (current + step + matches.length) % Math.max(1, matches.length));
        return;
      }
      const chosen = matches[Math.min(active, matches.length - 1)];
      if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && chosen) {
        event.preventDefault();
        pick(chosen);
        return;
      }
      if (event.key === 'Escape') {
        // closes the menu, not the panel around it
        event.stopPropagation();
        setDismissed(true);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  const activeOption =
    menuOpen && matches.length > 0
      ? promptOptionId(listId, Math.min(active, matches.length - 1))
      : undefined;
  return (
    <div className="ta-composer-area">
      {picked ? (
        <PromptArguments
          prompt={picked}
          onSubmit={(args) => sendPrompt(picked, args)}
          onCancel={() => {
            setPicked(undefined);
            inputRef.current?.focus();
          }}
        />
      ) : menuOpen ? (
        <PromptList
          id={listId}
          matches={matches}
          active={Math.min(active, Math.max(0, matches.length - 1))}
          loading={promptsLoading}
          onPick={pick}
        />
      ) : null}
      <form
        className="ta-composer"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label className="ta-sr-only" htmlFor={inputId}>
          Message the assistant
        </label>
        <textarea
          id={inputId}
          ref={inputRef}
          className="ta-input"
          data-testid="assistant-input"
          rows={1}
          value={input}
          placeholder={placeholder}
          aria-autocomplete="list"
          aria-controls={menuOpen && matches.length > 0 ? listId : undefined}
          aria-activedescendant={activeOption}
          onChange={(event) => {
            setInput(event.currentTarget.value);
            setActive(0);
            setDismissed(false);
          }}
          onKeyDown={onKeyDown}
        />
        {busy ? (
          <button type="button" className="ta-button" data-testid="assistant-stop" onClick={onStop}>
            Stop
          </button>
        ) : null}
        <button
          type="submit"
          className="ta-button ta-primary"
          data-testid="assistant-send"
          disabled={!input.trim()}
        >
          Send
        </button>
      </form>
    </div>
  );
});
