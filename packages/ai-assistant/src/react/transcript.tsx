import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AssistantMessage } from '../core/types';
import { useAssistantState } from './hooks';
import { MessageRow } from './message-row';

/**
 * Messages rendered when a thread opens (more than a tall screen shows), and how many more each
 * step back adds. Rendering a message costs about a millisecond (its Markdown parse most of it).
 */
const PAGE = 24;

/** Props of {@link Transcript}. */
export interface TranscriptProps {
  messages: AssistantMessage[];
  status: 'submitted' | 'streaming' | 'ready' | 'error';
  busy: boolean;
  onEdit: (text: string) => void;
  onDecision: () => void;
  onRegenerate: () => void;
  listRef: RefObject<HTMLDivElement | null>;
}

function lastIndexOfUser(messages: AssistantMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]?.role === 'user') return index;
  }
  return -1;
}

/**
 * The conversation log. A long thread renders its last {@link PAGE} messages, and earlier ones a
 * page at a time as the reader scrolls up (or presses "Show earlier messages"), keeping what is
 * on screen in place. It follows the newest message while the reader is at the bottom, and stays
 * where the reader scrolled to otherwise; whether it is at the bottom comes from an
 * IntersectionObserver, so streaming never forces a layout of its own.
 */
export function Transcript({
  messages,
  status,
  busy,
  onEdit,
  onDecision,
  onRegenerate,
  listRef,
}: TranscriptProps) {
  const threadId = useAssistantState((state) => state.threadId);
  const stepLimitReached = useAssistantState((state) => state.stepLimitReached);
  const streaming = status === 'submitted' || status === 'streaming';
  // The first message rendered. Set when a thread opens (its last PAGE messages), lowered a page
  // at a time; new messages never move it, so scrolled-back reading stays where it is.
  const [range, setRange] = useState(() => ({
    threadId,
    empty: messages.length === 0,
    start: Math.max(0, messages.length - PAGE),
    opened: 0,
  }));
  let start = range.start;
  const opened =
    range.threadId !== threadId ||
    // a stored thread arriving after the first render (hydration) opens at its end too
    (range.empty && messages.length > 0) ||
    start > messages.length;
  if (opened) {
    start = Math.max(0, messages.length - PAGE);
    setRange({ threadId, empty: messages.length === 0, start, opened: range.opened + 1 });
  }

  const contentRef = useRef<HTMLDivElement>(null);
  const topRef = useRef<HTMLButtonElement>(null);
  const bottomRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const restore = useRef<{ height: number; top: number } | undefined>(undefined);

  const showEarlier = useCallback(() => {
    const list = listRef.current;
    if (list) restore.current = { height: list.scrollHeight, top: list.scrollTop };
    setRange((current) => ({ ...current, start: Math.max(0, current.start - PAGE) }));
  }, [listRef]);

  // Earlier messages went in above: keep the ones the reader was looking at where they were.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the window grows
  useLayoutEffect(() => {
    const list = listRef.current;
    const before = restore.current;
    restore.current = undefined;
    if (list && before) list.scrollTop = before.top + (list.scrollHeight - before.height);
  }, [start]);

  const scrollToEnd = useCallback(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [listRef]);

  // A thread opens at its end.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when a thread opens
  useLayoutEffect(() => {
    atBottom.current = true;
    scrollToEnd();
  }, [range.opened]);

  // Stay at the end while the reader is there, whatever makes the log grow or shrink (a streamed
  // answer, a tool result, late styles, the panel resizing). Resize observations are delivered
  // after layout and before paint, so following costs no layout of its own.
  useEffect(() => {
    const list = listRef.current;
    const content = contentRef.current;
    if (!list || !content || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) scrollToEnd();
    });
    observer.observe(content);
    observer.observe(list);
    return () => observer.disconnect();
  }, [listRef, scrollToEnd]);

  const hasEarlier = start > 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: observe the top button when it appears or goes
  useEffect(() => {
    const list = listRef.current;
    const bottom = bottomRef.current;
    const top = topRef.current;
    if (!list || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.target === bottom) {
            atBottom.current = entry.isIntersecting;
            setShowJump(!entry.isIntersecting);
          } else if (
            entry.target === top &&
            entry.isIntersecting &&
            // scrolled up to it, not shown because nothing scrolls yet
            list.scrollHeight > list.clientHeight
          ) {
            showEarlier();
          }
        }
      },
      { root: list, rootMargin: '0px 0px 48px 0px' },
    );
    if (bottom) observer.observe(bottom);
    if (top) observer.observe(top);
    return () => observer.disconnect();
  }, [listRef, showEarlier, hasEarlier]);

  const lastMessage = messages[messages.length - 1];
  // A message of the user's own brings the view to the end. Where there is no ResizeObserver,
  // the end is followed here instead, a frame after each change.
  useLayoutEffect(() => {
    if (!lastMessage) return;
    if (lastMessage.role === 'user') atBottom.current = true;
    if (!atBottom.current || typeof ResizeObserver !== 'undefined') return;
    const frame = requestAnimationFrame(scrollToEnd);
    return () => cancelAnimationFrame(frame);
  }, [lastMessage, scrollToEnd]);

  const lastUserIndex = lastIndexOfUser(messages);
  const shown = start === 0 ? messages : messages.slice(start);

  return (
    <div className="ta-log-frame">
      <div
        ref={listRef}
        className="ta-log"
        role="log"
        aria-live="off"
        aria-label="Conversation"
        data-testid="assistant-messages"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the transcript scrolls by keyboard
        tabIndex={0}
        aria-busy={streaming}
      >
        <div ref={contentRef} className="ta-log-content">
          {messages.length === 0 ? (
            <p className="ta-empty">Ask a question, or pick a suggestion below.</p>
          ) : null}
          {start > 0 ? (
            <button
              ref={topRef}
              type="button"
              className="ta-link ta-earlier"
              data-testid="assistant-show-earlier"
              onClick={showEarlier}
            >
              Show earlier messages ({start})
            </button>
          ) : null}
          {shown.map((message, offset) => {
            const index = start + offset;
            return (
              <MessageRow
                key={message.id}
                message={message}
                editable={
                  !busy &&
                  (index === lastUserIndex ||
                    (index === messages.length - 1 && index > lastUserIndex))
                }
                onEdit={onEdit}
                onDecision={onDecision}
                onRegenerate={onRegenerate}
              />
            );
          })}
          {status === 'submitted' ? (
            <p className="ta-thinking" data-testid="assistant-thinking">
              Thinking…
            </p>
          ) : null}
          {stepLimitReached ? (
            <p className="ta-muted">
              The assistant stopped after too many tool steps. Ask again to continue.
            </p>
          ) : null}
          <div ref={bottomRef} className="ta-end" aria-hidden="true" />
        </div>
      </div>
      {showJump && messages.length > 0 ? (
        <button
          type="button"
          className="ta-button ta-jump"
          data-testid="assistant-jump-to-latest"
          onClick={() => {
            atBottom.current = true;
            const list = listRef.current;
            const calm = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
            list?.scrollTo({ top: list.scrollHeight, behavior: calm ? 'auto' : 'smooth' });
          }}
        >
          <span aria-hidden="true">↓ </span>Jump to latest
        </button>
      ) : null}
    </div>
  );
}
