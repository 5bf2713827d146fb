import { type ReactNode, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  type AssistantController,
  type AssistantControllerOptions,
  createAssistantController,
} from '../core/controller';
import { AssistantContext, type AssistantContextValue } from './context';
import type { ToolRenderers } from './renderers';

// layout effect in the browser (no flash of an empty thread), plain effect on the server
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/** The controller options a provider passes through as props, under the same names. */
type PassedOptions =
  | 'api'
  | 'credentials'
  | 'headers'
  | 'fetch'
  | 'client'
  | 'requireApproval'
  | 'maxSteps'
  | 'toolTimeoutMs'
  | 'sampling'
  | 'storage'
  | 'threadKey'
  | 'initialMessages';

/** What the provider builds its own controller from (see {@link AssistantControllerOptions}). */
export interface AssistantSetupProps extends Pick<AssistantControllerOptions, PassedOptions> {
  /** MCP servers (gateway names) the assistant may use, e.g. `["knowledge", "billy"]`. */
  mcpServers: readonly string[];
  /** Gateway base URL, e.g. `https://mcp-gateway.tekup.dk` or `/api/gateway`. */
  gateway: string;
  controller?: undefined;
}

/** A controller the host built with `createAssistantController` (it keeps owning it). */
export interface AssistantControllerProps {
  controller: AssistantController;
}

/** Where the assistant comes from: the provider's own setup, or a host's controller. */
export type AssistantSourceProps = (AssistantSetupProps | AssistantControllerProps) & {
  /** Custom tool result renderers. */
  renderers?: ToolRenderers;
};

/** Props of {@link AssistantProvider}. */
export type AssistantProviderProps = AssistantSourceProps & { children?: ReactNode };

function createOwnController(props: AssistantSetupProps): AssistantController {
  return createAssistantController({
    servers: props.mcpServers,
    gateway: props.gateway,
    client: props.client,
    api: props.api,
    fetch: props.fetch,
    headers: props.headers,
    credentials: props.credentials ?? 'same-origin',
    requireApproval: props.requireApproval,
    maxSteps: props.maxSteps,
    toolTimeoutMs: props.toolTimeoutMs,
    sampling: props.sampling,
    storage: props.storage,
    threadKey: props.threadKey,
    initialMessages: props.initialMessages,
    // the stored thread loads after hydration, so SSR markup matches the first client render
    deferHydration: true,
  });
}

/**
 * Hosts one assistant thread for the hooks and components below it: a controller built from
 * the props (read once, on mount), or the `controller` a host passes.
 * @example
 * <AssistantProvider mcpServers={['billy']} gateway="/api/gateway"><MyChat /></AssistantProvider>
 */
export function AssistantProvider(props: AssistantProviderProps) {
  const [ownController] = useState(() =>
    props.controller ? undefined : createOwnController(props as AssistantSetupProps),
  );
  const controller = props.controller ?? ownController!;

  useIsomorphicLayoutEffect(() => controller.hydrate(), [controller]);

  const destroyTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (!ownController) return;
    // StrictMode unmounts and remounts at once: only a real unmount closes the client
    clearTimeout(destroyTimer.current);
    return () => {
      destroyTimer.current = setTimeout(() => ownController.destroy(), 0);
    };
  }, [ownController]);

  const value = useMemo<AssistantContextValue>(
    () => ({ controller, renderers: props.renderers }),
    [controller, props.renderers],
  );

  return <AssistantContext.Provider value={value}>{props.children}</AssistantContext.Provider>;
}
