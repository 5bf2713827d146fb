import type { GatewayTool } from '@tekup/mcp-client-web';
import { useEffect, useRef, useState } from 'react';
import { appContentSecurityPolicy, withContentSecurityPolicy } from '../core/apps';
import { useAssistantContext } from './context';

/** The host's name in the Apps handshake. */
const HOST_INFO = { name: 'tekup-assistant', version: '0.1.0' };
const MIN_HEIGHT = 60;
const MAX_HEIGHT = 720;

function themeOf(element: Element | null): 'light' | 'dark' {
  const chosen = element?.closest('[data-theme]')?.getAttribute('data-theme');
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Only web links leave the conversation, each in a new tab that cannot reach back. */
function openWebLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  globalThis.open?.(parsed.href, '_blank', 'noopener,noreferrer');
  return true;
}

/**
 * A tool call's MCP App (SEP-1865): the server's `ui://` page in a sandboxed frame of its own
 * (an opaque origin: no cookies, storage or DOM of the host) under the Content-Security-Policy
 * it declared, connected to the host with the official Apps SDK's `AppBridge`. The page gets
 * the call's arguments and result; the tools it calls go through the gateway with the same
 * approvals as the model's calls.
 */
export function AppFrame({
  hostCallId,
  tool,
  resourceUri,
  input,
  output,
  label,
}: {
  hostCallId: string;
  tool: GatewayTool;
  resourceUri: string;
  input: unknown;
  output: unknown;
  label: string;
}) {
  const { controller } = useAssistantContext();
  const frameRef = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(160);
  const [problem, setProblem] = useState<string>();
  const [ready, setReady] = useState(false);
  // the first input and result the frame was opened with (a re-render must not reload the page)
  const opened = useRef({ input, output });

  useEffect(() => {
    const frame = frameRef.current;
    if (!frame) return;
    let closed = false;
    let teardown: (() => Promise<void>) | undefined;
    const abort = new AbortController();
    void (async () => {
      try {
        const [view, { AppBridge, PostMessageTransport, buildAllowAttribute }] = await Promise.all([
          controller.appView(tool.server, resourceUri),
          import('@tekup/ai-assistant/app-bridge'),
        ]);
        const target = frame.contentWindow;
        if (closed || !target) return;
        const bridge = new AppBridge(
          null,
          HOST_INFO,
          { openLinks: {}, serverTools: {}, logging: {} },
          {
            hostContext: {
              theme: themeOf(frame),
              locale: globalThis.navigator?.language,
              timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
              platform: 'web',
              displayMode: 'inline',
              availableDisplayModes: ['inline'],
              containerDimensions: { maxHeight: MAX_HEIGHT, width: frame.clientWidth },
              toolInfo: {
                id: hostCallId,
                tool: {
                  name: tool.tool,
                  ...(tool.title === undefined ? {} : { title: tool.title }),
                  description: tool.description,
                  inputSchema: tool.inputSchema as never,
                },
              },
            },
          },
        );
        bridge.oncalltool = (params, extra) =>
          controller.callAppTool(
            hostCallId,
            tool.server,
            params.name,
            (params.arguments ?? {}) as Record<string, unknown>,
            AbortSignal.any([extra.signal, abort.signal]),
          ) as never;
        bridge.onopenlink = async ({ url }) => (openWebLink(url) ? {} : { isError: true });
        bridge.onsizechange = ({ height: wanted }) => {
          if (typeof wanted === 'number' && Number.isFinite(wanted)) {
            setHeight(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(wanted))));
          }
        };
        bridge.oninitialized = () => {
          const { input: args, output: result } = opened.current;
          void bridge.sendToolInput({ arguments: (args ?? {}) as Record<string, unknown> });
          if (result && typeof result === 'object') void bridge.sendToolResult(result as never);
          setReady(true);
        };
        // listening before the page loads: its first message is the handshake
        await bridge.connect(new PostMessageTransport(target, target));
        // the page follows the person's light/dark setting while it is open
        const scheme = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
        const onScheme = () => void bridge.sendHostContextChange({ theme: themeOf(frame) });
        scheme?.addEventListener?.('change', onScheme);
        teardown = async () => {
          scheme?.removeEventListener?.('change', onScheme);
          await bridge.teardownResource({}, { timeout: 500 }).catch(() => undefined);
          await bridge.close().catch(() => undefined);
        };
        if (closed) {
          void teardown();
          return;
        }
        frame.setAttribute('allow', buildAllowAttribute(view.permissions));
        frame.srcdoc = withContentSecurityPolicy(view.html, appContentSecurityPolicy(view.csp));
      } catch (error) {
        if (!closed) setProblem(error instanceof Error ? error.message : String(error));
      }
    })();
    return () => {
      closed = true;
      abort.abort();
      void teardown?.();
    };
  }, [controller, hostCallId, tool, resourceUri]);

  if (problem) {
    return (
      <p className="ta-tool-error" data-testid="assistant-app-error">
        The {label} view could not be shown: {problem}
      </p>
    );
  }
  return (
    <iframe
      ref={frameRef}
      className="ta-app-frame"
      data-testid="assistant-app"
      data-ready={ready ? 'true' : 'false'}
      title={`${label} (${tool.server})`}
      sandbox="allow-scripts allow-forms"
      referrerPolicy="no-referrer"
      style={{ height }}
    />
  );
}
