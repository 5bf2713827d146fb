import { type KeyboardEvent, memo, type RefObject, useEffect, useId, useState } from 'react';

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
 * re-renders this form only, never the transcript above it.
 */
export const Composer = memo(function Composer({
  placeholder,
  busy,
  onSend,
  onStop,
  inputRef,
  autoFocus,
}: ComposerProps) {
  const [input, setInput] = useState('');
  const inputId = useId();

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
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
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
        onChange={(event) => setInput(event.currentTarget.value)}
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
  );
});
