import type { AnswerQuestion, GatewayTool, ToolResult } from '@tekup/mcp-client-web';
import type { Approvals } from './approvals';
import type { AssistantStore } from './state';
import type { AssistantGatewayClient } from './types';

/** The MIME type of an MCP App's page (SEP-1865). */
export const MCP_APP_MIME_TYPE = 'text/html;profile=mcp-app';

/** What an app's `ui://` resource gives the host: its page and how to sandbox it. */
export interface AppView {
  html: string;
  /** The origins the page declares it needs (`_meta.ui.csp`); none when absent. */
  csp: {
    connectDomains?: string[];
    resourceDomains?: string[];
    frameDomains?: string[];
    baseUriDomains?: string[];
  };
  /** Browser features the page asks for (camera, microphone, geolocation, clipboardWrite). */
  permissions: Record<string, object>;
  prefersBorder?: boolean;
}

/** The MCP Apps of tool calls: their pages, and the tool calls they make. */
export interface Apps {
  /** Whether the gateway client can read resources (else calls show their data, not views). */
  canShow(): boolean;
  /** Reads an app's page through the gateway (once per server and URI). */
  view(server: string, uri: string): Promise<AppView>;
  /**
   * A call an app makes from a tool call's card: only to its own server, only tools an app may
   * call, and — like the model's calls — nothing that changes data without the person's yes.
   * A call the person declines resolves as an error result the app can show.
   */
  callTool(
    hostCallId: string,
    server: string,
    name: string,
    args: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<ToolResult>;
}

/** What {@link createApps} needs. */
export interface AppsOptions {
  store: AssistantStore;
  getClient: () => AssistantGatewayClient;
  approvals: Approvals;
  /** Who answers the server's questions during an app's call (the host call's card). */
  answer: (hostCallId: string) => AnswerQuestion;
  generateId: () => string;
  timeoutMs: number | undefined;
}

/** The text an app gets when the person declines its call. */
export const APP_CALL_DECLINED = 'The user declined this action.';

const domains = (value: unknown): string[] | undefined =>
  Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : undefined;

/** Reads a `ui://` resource result into a view; anything but an MCP App page is refused. */
export function toAppView(result: { contents?: unknown }, uri: string): AppView {
  const contents = Array.isArray(result.contents) ? result.contents : [];
  const page = contents.find(
    (item): item is { uri: string; mimeType?: string; text?: string; _meta?: unknown } =>
      typeof item === 'object' && item !== null && (item as { uri?: unknown }).uri === uri,
  );
  if (!page || typeof page.text !== 'string' || page.mimeType !== MCP_APP_MIME_TYPE) {
    throw new Error(`${uri} is not an MCP App page (${MCP_APP_MIME_TYPE})`);
  }
  const meta = (page._meta as { ui?: Record<string, unknown> } | undefined)?.ui ?? {};
  const csp = (meta.csp ?? {}) as Record<string, unknown>;
  const view: AppView = {
    html: page.text,
    csp: {},
    permissions:
      typeof meta.permissions === 'object' && meta.permissions !== null
        ? (meta.permissions as Record<string, object>)
        : {},
  };
  for (const key of [
    'connectDomains',
    'resourceDomains',
    'frameDomains',
    'baseUriDomains',
  ] as const) {
    const list = domains(csp[key]);
    if (list) view.csp[key] = list;
  }
  if (typeof meta.prefersBorder === 'boolean') view.prefersBorder = meta.prefersBorder;
  return view;
}

/** Creates the apps module: one job, the host side of the tool calls' MCP Apps. */
export function createApps(options: AppsOptions): Apps {
  const { store } = options;
  const views = new Map<string, Promise<AppView>>();

  const toolOf = (server: string, name: string): GatewayTool | undefined =>
    store.getState().tools.find((tool) => tool.server === server && tool.tool === name);

  return {
    canShow() {
      try {
        const client = options.getClient();
        return typeof client.server === 'function';
      } catch {
        return false;
      }
    },
    view(server, uri) {
      const key = `${server}\n${uri}`;
      const known = views.get(key);
      if (known) return known;
      const reader = options.getClient().server?.(server);
      if (!reader?.readResource) {
        return Promise.reject(new Error('This gateway client cannot read resources.'));
      }
      const view = reader.readResource(uri).then((result) => toAppView(result, uri));
      // a failed read is tried again next time
      view.catch(() => views.delete(key));
      views.set(key, view);
      return view;
    },
    async callTool(hostCallId, server, name, args, signal) {
      const tool = toolOf(server, name);
      if (!tool) throw new Error(`${server} has no tool "${name}" this user may call.`);
      if (tool.ui && !tool.ui.visibility.includes('app')) {
        throw new Error(`"${name}" is for the model only; an app may not call it.`);
      }
      const callId = options.generateId();
      const decision = options.approvals.askForApp(hostCallId, callId, tool, args, signal);
      if (decision !== undefined && !(await decision)) {
        return { content: [{ type: 'text', text: APP_CALL_DECLINED }], isError: true };
      }
      return options.getClient().callTool(tool.name, args, {
        ...(signal ? { signal } : {}),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        answer: options.answer(hostCallId),
      });
    },
  };
}

/** An origin a page may declare: scheme, host (a leading `*.` allowed) and port — nothing else. */
const ORIGIN = /^(?:https?|wss?):\/\/(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?$/i;

/**
 * The Content-Security-Policy an app's page runs under: its own inline code, and from the network
 * only the origins it declared (`_meta.ui.csp`), each checked to be a plain origin so a server
 * cannot smuggle in directives.
 */
export function appContentSecurityPolicy(csp: AppView['csp']): string {
  const list = (values: string[] | undefined, none = "'none'") => {
    const kept = (values ?? []).filter((value) => ORIGIN.test(value));
    return kept.length ? kept.join(' ') : none;
  };
  const resources = list(csp.resourceDomains, '');
  const withResources = (base: string) => (resources ? `${base} ${resources}` : base);
  return [
    "default-src 'none'",
    withResources("script-src 'unsafe-inline'"),
    withResources("style-src 'unsafe-inline'"),
    withResources('img-src data: blob:'),
    withResources('font-src data:'),
    withResources('media-src data: blob:'),
    `connect-src ${list(csp.connectDomains)}`,
    `frame-src ${list(csp.frameDomains)}`,
    `base-uri ${list(csp.baseUriDomains)}`,
    "form-action 'none'",
  ].join('; ');
}

/** The page with its policy as the document's first element (before any script can run). */
export function withContentSecurityPolicy(html: string, policy: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy.replaceAll('"', '&quot;')}">`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  return doctype
    ? `${doctype[0]}${meta}${html.slice(doctype[0].length)}`
    : `<!doctype html>${meta}${html}`;
}
