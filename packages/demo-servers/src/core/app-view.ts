import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESOURCE_MIME_TYPE, registerAppResource } from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { packageRoot } from './paths.js';

/**
 * An MCP App of the fleet (SEP-1865): a `ui://` resource whose HTML runs in the host's sandboxed
 * frame and talks to it with the official Apps SDK. Its script is bundled from `apps/` by the
 * package build (`dist/apps/<script>.global.js`) and inlined: the frame loads nothing from the
 * network, so the resource declares no CSP domains.
 */
export interface AppView {
  /** `ui://<server>/<name>.html` */
  uri: string;
  /** Resource title. */
  title: string;
  description: string;
  /** Bundle name under `dist/apps/`. */
  script: string;
  /** The view's own styles, after the shared ones. */
  css?: string;
}

/** What every view's page shares: system fonts, the host's colours when it sends them. */
const BASE_CSS = `:root { color-scheme: light dark; --fg: var(--color-text-primary, #14161a); --muted: var(--color-text-secondary, #5b6270);
  --bg: var(--color-background-primary, #ffffff); --line: var(--color-border-primary, #dfe2e7); --accent: #2454d6;
  --ok: #1d7a46; --warn: #a4560b; --bad: #b42318; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
:root[data-theme="dark"] { --fg: var(--color-text-primary, #eceef2); --muted: var(--color-text-secondary, #a3aab8);
  --bg: var(--color-background-primary, #16181d); --line: var(--color-border-primary, #30343c); --accent: #7ea2ff;
  --ok: #5fd08f; --warn: #f2b061; --bad: #ff8f86; }
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--fg); }
main { padding: 14px 16px; }
h1 { font-size: 16px; margin: 0; }
.muted { color: var(--muted); }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.spread { justify-content: space-between; }
.badge { border: 1px solid currentColor; border-radius: 999px; padding: 0 8px; font-size: 12px; }
table { width: 100%; border-collapse: collapse; margin: 10px 0; }
th, td { text-align: left; padding: 5px 4px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
button { font: inherit; border-radius: 6px; border: 1px solid var(--line); background: transparent; color: var(--fg);
  padding: 5px 12px; cursor: pointer; min-height: 32px; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
:root[data-theme="dark"] button.primary { color: #0b1020; }
button:disabled { opacity: .55; cursor: progress; }
button:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.notice { margin-top: 8px; }`;

const scripts = new Map<string, Promise<string>>();

function bundle(name: string): Promise<string> {
  let script = scripts.get(name);
  if (!script) {
    const file = join(packageRoot(), 'dist', 'apps', `${name}.global.js`);
    script = readFile(file, 'utf8').catch((error: unknown) => {
      scripts.delete(name);
      throw new Error(
        `The app view "${name}" is not built (${file}): run the package build first`,
        { cause: error },
      );
    });
    scripts.set(name, script);
  }
  return script;
}

/** The view's page: styles, an empty root and the inlined script. */
async function appHtml(view: AppView): Promise<string> {
  // "</script" inside the bundle would end the element early; "<\/" means the same to JavaScript
  const script = (await bundle(view.script)).replaceAll('</script', '<\\/script');
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${view.title}</title><style>${BASE_CSS}${view.css ?? ''}</style></head>`,
    `<body><main id="app" aria-live="polite"></main><script>${script}</script></body></html>`,
  ].join('');
}

/** Registers the view's `ui://` resource on the server. */
export function registerAppView(server: McpServer, view: AppView): void {
  const meta = { ui: { prefersBorder: true, csp: {} } };
  registerAppResource(
    server,
    view.title,
    view.uri,
    { description: view.description, mimeType: RESOURCE_MIME_TYPE, _meta: meta },
    async () => ({
      contents: [
        { uri: view.uri, mimeType: RESOURCE_MIME_TYPE, text: await appHtml(view), _meta: meta },
      ],
    }),
  );
}
