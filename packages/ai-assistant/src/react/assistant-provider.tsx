import { QueryClient, QueryClientContext } from '@tanstack/react-query';
import {
  type ReactNode,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  type AssistantController,
  type AssistantControllerOptions,
  createAssistantController,
} from '../core/controller';
import type { ThreadStorage } from '../core/storage';
import type { ApprovalPolicy, AssistantMessage, GatewayClient } from '../core/types';
import { AssistantContext, type AssistantContextValue } from './context';
import { createDefaultGatewayClient } from './default-client';
import { createReactChat } from './react-chat';
import type { ToolRenderers } from './renderers';

// layout effect in the browser (no flash of an empty thread), plain effect on the server
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/** Props shared by {@link AssistantProvider} and `<AIAssistant>`. */
export interface AssistantProviderProps {
  /** MCP servers (gateway names) the assistant may use, e.g. `["knowledge", "billy"]`. */
  mcpServers: string[];
  /** Gateway base URL, e.g. `https://mcp-gateway.tekup.dk` or `/api/gateway`. */
  gateway: string;
  /** Chat route. @default '/api/chat' */
  api?: string;
  /** Credentials for the chat route and the gateway. @default 'same-origin' */
  credentials?: RequestCredentials;
  /** Extra headers for the chat route. */
  headers?: Record<string, string>;
  /** A fetch to use instead of the global one (chat route and gateway). */
  fetch?: typeof fetch;
  /** A ready gateway client, instead of one built from `gateway`. */
  client?: GatewayClient;
  /** App policy: return true to require approval for a tool that is read-only. */
  requireApproval?: ApprovalPolicy;
  /** Model turns fed back automatically after tool results. @default 8 */
  maxSteps?: number;
  /** Per tool call timeout in ms. */
  toolTimeoutMs?: number;
  /** Thread storage; `false` keeps the thread in memory only. @default localStorage */
  storage?: ThreadStorage | false;
  /** Key of the persisted thread (one thread per key). @default 'default' */
  threadKey?: string;
  /** Messages shown when nothing is stored. */
  initialMessages?: AssistantMessage[];
  /** Custom tool result renderers. */
  renderers?: ToolRenderers;
  /** A controller you built yourself (the options above are then ignored). */
  controller?: AssistantController;
  children?: ReactNode;
}

/**
 * Hosts one assistant thread for the hooks and components below it.
 * Uses the host's TanStack `QueryClient` when there is one, else a private one.
 * @example
 * <AssistantProvider mcpServers={['billy']} gateway="/api/gateway"><MyChat /></AssistantProvider>
 */
export function AssistantProvider(props: AssistantProviderProps) {
  const hostQueryClient = useContext(QueryClientContext);
  const [privateQueryClient] = useState(() =>
    hostQueryClient ? undefined : new QueryClient({ defaultOptions: { queries: { retry: 1 } } }),
  );
  const queryClient = hostQueryClient ?? privateQueryClient!;
  const credentials = props.credentials ?? 'same-origin';

  const [ownController] = useState(() => {
    if (props.controller) return undefined;
    const options: AssistantControllerOptions = {
      servers: props.mcpServers,
      gateway: props.gateway,
      client: props.client,
      createClient: createDefaultGatewayClient,
      api: props.api,
      fetch: props.fetch,
      headers: props.headers,
      credentials,
      requireApproval: props.requireApproval,
      maxSteps: props.maxSteps,
      toolTimeoutMs: props.toolTimeoutMs,
      storage: props.storage,
      threadKey: props.threadKey,
      initialMessages: props.initialMessages,
      // the stored thread loads after hydration, so SSR markup matches the first client render
      deferHydration: true,
      createChat: createReactChat,
    };
    return createAssistantController(options);
  });
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

  const serversKey = props.mcpServers.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: serversKey stands for mcpServers
  const value = useMemo<AssistantContextValue>(
    () => ({
      controller,
      queryClient,
      gateway: props.gateway,
      servers: props.mcpServers,
      renderers: props.renderers,
      fetch: props.fetch,
      credentials,
    }),
    [controller, queryClient, props.gateway, serversKey, props.renderers, props.fetch, credentials],
  );

  return <AssistantContext.Provider value={value}>{props.children}</AssistantContext.Provider>;
}
