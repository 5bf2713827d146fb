import { useEffect, useId, useRef, version } from 'react';
import styles from '../styles.css?inline';
import { AssistantProvider, type AssistantSourceProps } from './assistant-provider';
import { AssistantView, type QuickAction } from './assistant-view';
import { useAssistantController, useAssistantState } from './hooks';

/** How {@link AIAssistant} looks. */
export interface AIAssistantLooks {
  /** `inline` fills its container; `floating` is a launcher button that opens a panel. @default 'inline' */
  variant?: 'inline' | 'floating';
  /** Colour scheme; `auto` follows `prefers-color-scheme`. @default 'auto' */
  theme?: 'light' | 'dark' | 'auto';
  /** Panel heading. @default 'Assistant' */
  title?: string;
  /** Suggested prompts shown while the thread is empty. */
  quickActions?: QuickAction[];
  placeholder?: string;
  /** Floating variant: start open. @default false */
  defaultOpen?: boolean;
  /** Extra class on the root element. */
  className?: string;
  /**
   * Render the bundled stylesheet (a deduplicated `<style>`). Turn off when the host
   * imports `@tekup/ai-assistant/styles.css` itself, e.g. under a strict CSP. @default true
   */
  injectStyles?: boolean;
}

/**
 * Props of {@link AIAssistant}: the provider's (`mcpServers` + `gateway` and options, or a
 * `controller`) plus looks.
 */
export type AIAssistantProps = AssistantSourceProps & AIAssistantLooks;

const reactMajor = Number.parseInt(version, 10);

function Styles() {
  // React 19 hoists and deduplicates <style href precedence>; React 18 renders it in place
  return reactMajor >= 19 ? (
    <style href="tekup-assistant" precedence="default">
      {styles}
    </style>
  ) : (
    <style>{styles}</style>
  );
}

function FloatingShell(props: AIAssistantLooks) {
  const controller = useAssistantController();
  const open = useAssistantState((state) => state.panelOpen);
  const launcherRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const wasOpen = useRef(open);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only the initial value
  useEffect(() => {
    if (props.defaultOpen) controller.setPanelOpen(true);
  }, []);

  useEffect(() => {
    // return focus to the launcher when the panel closes
    if (wasOpen.current && !open) launcherRef.current?.focus();
    wasOpen.current = open;
  }, [open]);

  return (
    <>
      {open ? (
        <section
          id={panelId}
          className="ta-panel"
          aria-label={props.title ?? 'Assistant'}
          data-testid="assistant-panel"
        >
          <AssistantView
            title={props.title}
            quickActions={props.quickActions}
            placeholder={props.placeholder}
            onClose={() => controller.setPanelOpen(false)}
            autoFocus
          />
        </section>
      ) : null}
      <button
        ref={launcherRef}
        type="button"
        className="ta-launcher"
        data-testid="assistant-launcher"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-label={open ? 'Close assistant' : 'Open assistant'}
        onClick={() => controller.setPanelOpen(!open)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24">
          <path
            fill="currentColor"
            d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"
          />
        </svg>
      </button>
    </>
  );
}

/**
 * The Tekup assistant: chat, tool calls through the MCP gateway, approvals.
 * @example
 * <AIAssistant mcpServers={['knowledge', 'database', 'billy']} gateway="/api/gateway" />
 */
export function AIAssistant(props: AIAssistantProps) {
  const {
    variant = 'inline',
    theme = 'auto',
    className,
    injectStyles = true,
    title,
    quickActions,
    placeholder,
    defaultOpen: _defaultOpen,
    ...providerProps
  } = props;
  return (
    <AssistantProvider {...providerProps}>
      {injectStyles ? <Styles /> : null}
      <div
        className={`tekup-assistant${className ? ` ${className}` : ''}`}
        data-variant={variant}
        data-theme={theme}
        data-testid="assistant-root"
      >
        {variant === 'floating' ? (
          <FloatingShell {...props} />
        ) : (
          <AssistantView title={title} quickActions={quickActions} placeholder={placeholder} />
        )}
      </div>
    </AssistantProvider>
  );
}
