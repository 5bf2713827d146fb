/**
 * What the fleet's MCP Apps share: the connection to the host (the official Apps SDK), the host's
 * theme and locale, a few words in Danish and English, and DOM building without `innerHTML`.
 */
import {
  App,
  applyDocumentTheme,
  applyHostStyleVariables,
  type McpUiHostContext,
} from '@modelcontextprotocol/ext-apps/app-with-deps';

type Child = Node | string | false | null | undefined;

/** An element with attributes and children; text is always set as text, never parsed. */
export function h(
  tag: string,
  attributes: Record<string, string | boolean | ((event: Event) => void)> = {},
  ...children: Child[]
): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name, value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    element.append(child);
  }
  return element;
}

/** The text of a tool result's text blocks (its error message when it failed). */
export function textOf(result: { content?: Array<{ type: string; text?: string }> }): string {
  return (result.content ?? [])
    .map((block) => (block.type === 'text' ? (block.text ?? '') : ''))
    .filter(Boolean)
    .join('\n');
}

/** A view connected to its host: theme and style variables follow the host's. */
export interface View {
  app: App;
  /** The host's locale (BCP 47), e.g. `da-DK`. */
  locale(): string;
  /** The host's time zone. @default Europe/Copenhagen */
  timeZone(): string;
  /** Danish or English, after the host's locale. */
  t(en: string, da: string): string;
  /** Connects; `render` runs after every change of the host's context. */
  start(render: () => void): Promise<void>;
}

export function createView(name: string): View {
  const app = new App({ name, version: '1.0.0' }, {}, { autoResize: true });
  const context = (): McpUiHostContext => app.getHostContext() ?? {};
  const locale = () => context().locale ?? navigator.language ?? 'da-DK';
  const applyContext = (changed: McpUiHostContext) => {
    if (changed.theme) applyDocumentTheme(changed.theme);
    if (changed.styles?.variables) applyHostStyleVariables(changed.styles.variables);
  };
  return {
    app,
    locale,
    timeZone: () => context().timeZone ?? 'Europe/Copenhagen',
    t: (en, da) => (locale().toLowerCase().startsWith('da') ? da : en),
    async start(render) {
      app.onhostcontextchanged = (changed) => {
        applyContext(changed);
        render();
      };
      await app.connect();
      applyContext(context());
      render();
    },
  };
}
