import {
  type AbstractChat,
  type ChatInit,
  type ChatStatus,
  DefaultChatTransport,
  isToolUIPart,
  lastAssistantMessageIsCompleteWithToolCalls,
} from 'ai';
import { CACHE_META_KEY, staleResultAge } from '@tekup/mcp-client-web';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createCoreChat } from './core-chat';
import {
  AssistantError,
  type ErrorDescription,
  describeError,
  describeGatewayError,
  errorFromResponse,
  toGatewayError,
} from './errors';
import { createLocalStorageThreadStorage, type ThreadStorage } from './storage';
import { type HistoryLimits, trimHistory } from './trim';
import {
  type ApprovalPolicy,
  type AssistantMessage,
  type GatewayClient,
  type GatewayTool,
  needsApproval,
  type ToolCallResult,
  toToolSpecs,
} from './types';

/** The text sent to the model (as the tool's error) when the user rejects a call. */
export const DENIAL_TEXT = 'The user denied this tool call. Do not retry it unless the user asks.';
const STOPPED_TEXT = 'Stopped by the user before the tool finished.';
const UNANSWERED_TEXT = `${DENIAL_TEXT} (It was never approved: the user moved on.)`;
const RELIST_AFTER_MS = 30_000;
const INTERRUPTED_TEXT = 'The tool call was interrupted (the page was closed or reloaded).';

/** A chat instance plus a way to hear about its changes. */
export interface ChatHandle {
  chat: AbstractChat<AssistantMessage>;
  subscribe(listener: () => void): () => void;
}

/** Builds the chat instance (the React layer passes one built on `@ai-sdk/react`'s `Chat`). */
export type ChatFactory = (init: ChatInit<AssistantMessage>) => ChatHandle;

/** A tool call waiting for the user's yes or no. */
export interface PendingApproval {
  toolCallId: string;
  toolName: string;
  server: string;
  tool: string;
  title?: string;
  input: unknown;
}

/** Timing and local state of one browser-executed tool call. */
export interface ToolCallActivity {
  startedAt?: number;
  endedAt?: number;
  phase: 'awaiting-approval' | 'running' | 'done' | 'denied' | 'stopped';
  /** Set when the call failed in a way that leaves open whether it took effect. */
  outcome?: 'unknown';
}

/** A server that could not list its tools. */
export interface ServerFailure {
  server: string;
  code?: string;
  message: string;
}

/** The controller's whole observable state. */
export interface AssistantState {
  messages: AssistantMessage[];
  status: ChatStatus;
  /** The chat-route error, described for the user. */
  error: ErrorDescription | undefined;
  tools: GatewayTool[];
  toolsStatus: 'idle' | 'loading' | 'ready' | 'error';
  /** Set when the gateway itself could not be reached. */
  toolsError: string | undefined;
  failures: ServerFailure[];
  approvals: Record<string, PendingApproval>;
  /** Namespaced tool names the user allowed for this session. */
  alwaysAllow: Record<string, true>;
  calls: Record<string, ToolCallActivity>;
  panelOpen: boolean;
  threadId: string;
  /** The last finished answer, for a polite live region (never streamed tokens). */
  announcement: string;
  /** True when the loop hit `maxSteps` and stopped feeding results back. */
  stepLimitReached: boolean;
}

/** Options of {@link createAssistantController}. */
export interface AssistantControllerOptions {
  /** MCP servers (by gateway name) whose tools the assistant may use. */
  servers: string[];
  /** Gateway base URL; required unless `client` is given. */
  gateway?: string;
  /** A ready gateway client (otherwise one is built with `createClient`). */
  client?: GatewayClient;
  /** Builds the gateway client from `gateway` and `servers`. */
  createClient?: (options: {
    gateway: string;
    servers: string[];
    fetch?: typeof fetch;
    credentials: RequestCredentials;
    headers?: Record<string, string>;
  }) => GatewayClient;
  /** @default '/api/chat' */
  api?: string;
  /** fetch for both the chat route and the gateway (defaults to the global one at call time). */
  fetch?: typeof fetch;
  /** Extra headers for the chat route. */
  headers?: Record<string, string>;
  /** @default 'same-origin' */
  credentials?: RequestCredentials;
  /** Adds approval for tools the default rule (not read-only) would let through. */
  requireApproval?: ApprovalPolicy;
  /** Model turns fed back automatically after tool results, per user message. @default 8 */
  maxSteps?: number;
  /** Per tool call timeout passed to the gateway client. */
  toolTimeoutMs?: number;
  /** Thread persistence; `false` turns it off. @default localStorage */
  storage?: ThreadStorage | false;
  /** Storage key of the thread. @default 'default' */
  threadKey?: string;
  /** Messages shown when nothing is stored yet. */
  initialMessages?: AssistantMessage[];
  /**
   * Do not read storage until `hydrate()`: server-rendered markup (no storage there) then
   * matches the first client render. @default false
   */
  deferHydration?: boolean;
  /** How much of a long thread each request carries. @default 100 messages, ~700 KB */
  historyLimits?: HistoryLimits;
  /** Builds the chat; the default is framework-free. */
  createChat?: ChatFactory;
}

/** The framework-free assistant: chat loop, tool execution, approvals, persistence. */
export interface AssistantController {
  subscribe(listener: () => void): () => void;
  getSnapshot(): AssistantState;
  /** The zustand store behind `subscribe`/`getSnapshot` (select slices with `useStore`). */
  store: StoreApi<AssistantState>;
  chat: AbstractChat<AssistantMessage>;
  send(text: string): Promise<void>;
  stop(): Promise<void>;
  regenerate(): Promise<void>;
  editLast(text: string): Promise<void>;
  clear(): Promise<void>;
  newThread(): Promise<void>;
  approve(toolCallId: string, options?: { always?: boolean }): void;
  reject(toolCallId: string, reason?: string): void;
  loadTools(options?: { signal?: AbortSignal; refresh?: boolean }): Promise<GatewayTool[]>;
  /** Loads the stored thread when `deferHydration` is set (call it after the first render). */
  hydrate(): void;
  setPanelOpen(open: boolean): void;
  dismissError(): void;
  destroy(): void;
}

const randomId = () =>
  globalThis.crypto?.randomUUID?.() ??
  `t-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

const isBusy = (status: ChatStatus) => status === 'submitted' || status === 'streaming';

function stepsOfLastAssistant(messages: AssistantMessage[]): number {
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant') return 0;
  return last.parts.filter((part) => part.type === 'step-start').length;
}

function textOfResult(result: ToolCallResult): string {
  const text = (result.content ?? [])
    .filter((item) => item.type === 'text' && typeof item.text === 'string')
    .map((item) => item.text)
    .join('\n');
  return text || 'The tool reported an error.';
}

/** Marks unfinished tool calls as failed so the history stays valid for the model. */
function settleDanglingToolCalls(
  messages: AssistantMessage[],
  errorText: string | ((toolCallId: string) => string),
) {
  let changed = false;
  const next = messages.map((message) => {
    if (message.role !== 'assistant') return message;
    let touched = false;
    const parts = message.parts.map((part) => {
      if (
        isToolUIPart(part) &&
        !part.providerExecuted &&
        (part.state === 'input-available' || part.state === 'input-streaming')
      ) {
        touched = true;
        return {
          ...part,
          state: 'output-error',
          output: undefined,
          errorText: typeof errorText === 'string' ? errorText : errorText(part.toolCallId),
        } as unknown as typeof part;
      }
      return part;
    });
    if (!touched) return message;
    changed = true;
    return { ...message, parts };
  });
  return changed ? next : messages;
}

function lastAnswerText(messages: AssistantMessage[]): string {
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant') return '';
  const text = last.parts
    .filter((part) => part.type === 'text')
    .map((part) => (part as { text: string }).text)
    .join('')
    .trim();
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/**
 * Creates the framework-free assistant controller.
 * @example
 * const assistant = createAssistantController({ servers: ['billy'], gateway: '/api/gateway' });
 * assistant.subscribe(() => render(assistant.getSnapshot()));
 * await assistant.send('Find invoices for Acme');
 */
export function createAssistantController(
  options: AssistantControllerOptions,
): AssistantController {
  const maxSteps = options.maxSteps ?? 8;
  const threadKey = options.threadKey ?? 'default';
  const storage =
    options.storage === false ? undefined : (options.storage ?? createLocalStorageThreadStorage());
  const credentials = options.credentials ?? 'same-origin';
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);

  let client = options.client;
  const getClient = (): GatewayClient => {
    if (client) return client;
    if (!options.gateway || !options.createClient) {
      throw new AssistantError(
        'gateway_unreachable',
        'No gateway is configured for the assistant.',
      );
    }
    const created = options.createClient({
      gateway: options.gateway,
      servers: options.servers,
      fetch: options.fetch ? doFetch : undefined,
      credentials,
    });
    client = created;
    // a server announcing new tools (notifications/tools/list_changed) refreshes the specs
    created.onToolsChanged?.(() => {
      if (client === created) void loadTools({ refresh: true }).catch(() => undefined);
    });
    return created;
  };

  options.client?.onToolsChanged?.(() => {
    void loadTools({ refresh: true }).catch(() => undefined);
  });

  const deferred = options.deferHydration === true;
  const stored = deferred ? undefined : storage?.load(threadKey);
  const storedSync = stored instanceof Promise ? undefined : stored;
  const initialMessages = settleDanglingToolCalls(
    storedSync ?? options.initialMessages ?? [],
    INTERRUPTED_TEXT,
  );

  const store = createStore<AssistantState>(() => ({
    messages: initialMessages,
    status: 'ready',
    error: undefined,
    tools: [],
    toolsStatus: 'idle',
    toolsError: undefined,
    failures: [],
    approvals: {},
    alwaysAllow: {},
    calls: {},
    panelOpen: false,
    threadId: randomId(),
    announcement: '',
    stepLimitReached: false,
  }));

  const running = new Map<string, AbortController>();
  let toolsPromise: Promise<GatewayTool[]> | undefined;
  let toolsByName = new Map<string, GatewayTool>();
  let lastListedAt = 0;

  const setCall = (toolCallId: string, patch: Partial<ToolCallActivity>) => {
    store.setState((state) => ({
      calls: {
        ...state.calls,
        [toolCallId]: { phase: 'running', ...state.calls[toolCallId], ...patch },
      },
    }));
  };

  const loadTools: AssistantController['loadTools'] = async ({ signal, refresh } = {}) => {
    store.setState({ toolsStatus: 'loading' });
    try {
      // the caller's signal is not passed on: the client shares one in-flight listing between
      // callers, so one cancelled caller (a query unmounted by StrictMode) would fail the others
      lastListedAt = Date.now();
      const { tools, failures } = await getClient().listTools(refresh ? { refresh } : {});
      // an aborted listing (e.g. a query cancelled on unmount) reports aborts as failures
      if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
      const wanted = new Set(options.servers);
      const visible = tools.filter((tool) => wanted.size === 0 || wanted.has(tool.server));
      toolsByName = new Map(visible.map((tool) => [tool.name, tool]));
      store.setState({
        tools: visible,
        toolsStatus: 'ready',
        toolsError: undefined,
        failures: failures.map(({ server, error }) => {
          const failure = toGatewayError(error, server);
          return {
            server,
            code: failure.gatewayCode ?? failure.code,
            message: describeGatewayError(failure, options.gateway),
          };
        }),
      });
      return visible;
    } catch (error) {
      if (signal?.aborted) {
        store.setState((state) => ({ toolsStatus: state.tools.length ? 'ready' : 'idle' }));
        throw error;
      }
      const failure = toGatewayError(error);
      const message =
        error instanceof AssistantError
          ? error.message
          : describeGatewayError({ ...failure, code: failure.code ?? 'network' }, options.gateway);
      store.setState({ toolsStatus: 'error', toolsError: message });
      throw error;
    }
  };

  const ensureTools = async (): Promise<GatewayTool[]> => {
    const state = store.getState();
    // servers that failed to list are retried before a send, at most every 30 s, so a
    // server that is down does not hold every message up to its timeout
    const retryFailed =
      (state.failures.length > 0 || state.toolsStatus === 'error') &&
      Date.now() - lastListedAt > RELIST_AFTER_MS;
    if (state.toolsStatus === 'ready' && !retryFailed) return state.tools;
    if (state.toolsStatus === 'error' && !retryFailed) return [];
    toolsPromise ??= loadTools().finally(() => {
      toolsPromise = undefined;
    });
    try {
      return await toolsPromise;
    } catch {
      // the chat still works without tools; the banner says why they are missing
      return [];
    }
  };

  const chatFetch: typeof fetch = async (input, init) => {
    let response: Response;
    try {
      response = await doFetch(input, init);
    } catch (error) {
      if (init?.signal?.aborted || (error as Error)?.name === 'AbortError') throw error;
      throw new AssistantError('network', 'Could not reach the chat service.', { cause: error });
    }
    // turn route errors into typed errors here: the SDK's own error drops Retry-After
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  };

  const transport = new DefaultChatTransport<AssistantMessage>({
    api: options.api ?? '/api/chat',
    credentials,
    headers: options.headers,
    fetch: chatFetch,
    body: async () => ({
      tools: toToolSpecs(await ensureTools()),
      threadId: store.getState().threadId,
    }),
    // a long thread is sent from a user message on, within the route's size and count limits
    prepareSendMessagesRequest: ({ id, messages, body, trigger, messageId }) => ({
      body: {
        ...body,
        id,
        messages: trimHistory(messages, options.historyLimits),
        trigger,
        messageId,
      },
    }),
  });

  let chat: AbstractChat<AssistantMessage>;

  const addOutput = (
    toolCallId: string,
    toolName: string,
    result: { output: unknown } | { errorText: string },
  ) => {
    if ('errorText' in result) {
      void chat.addToolOutput({
        tool: toolName as never,
        toolCallId,
        state: 'output-error',
        errorText: result.errorText,
      });
    } else {
      void chat.addToolOutput({
        tool: toolName as never,
        toolCallId,
        output: result.output as never,
      });
    }
  };

  const execute = async (toolCallId: string, tool: GatewayTool, input: unknown) => {
    const abort = new AbortController();
    running.set(toolCallId, abort);
    setCall(toolCallId, { phase: 'running', startedAt: Date.now(), endedAt: undefined });
    try {
      const result = await getClient().callTool(
        tool.name,
        (input ?? {}) as Record<string, unknown>,
        { signal: abort.signal, timeoutMs: options.toolTimeoutMs },
      );
      if (abort.signal.aborted) return;
      setCall(toolCallId, { phase: 'done', endedAt: Date.now() });
      if (result.isError) {
        addOutput(toolCallId, tool.name, { errorText: textOfResult(result) });
      } else {
        const { _meta, ...output } = result;
        // Only the gateway's stale-cache marker is kept: the card says "may be out of date".
        const age = staleResultAge(result);
        addOutput(toolCallId, tool.name, {
          output:
            age === undefined
              ? output
              : { ...output, _meta: { [CACHE_META_KEY]: { stale: true, ageSeconds: age } } },
        });
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      const failure = toGatewayError(error, tool.server);
      setCall(toolCallId, {
        phase: 'done',
        endedAt: Date.now(),
        ...(failure.gatewayCode === 'outcome_unknown' ? { outcome: 'unknown' as const } : {}),
      });
      addOutput(toolCallId, tool.name, {
        errorText: describeGatewayError(failure, options.gateway),
      });
    } finally {
      running.delete(toolCallId);
    }
  };

  const onToolCall: ChatInit<AssistantMessage>['onToolCall'] = ({ toolCall }) => {
    const { toolCallId, toolName } = toolCall;
    const tool = toolsByName.get(toolName);
    if (!tool) {
      addOutput(toolCallId, toolName, { errorText: `Unknown tool "${toolName}".` });
      return;
    }
    const state = store.getState();
    if (needsApproval(tool, options.requireApproval) && !state.alwaysAllow[tool.name]) {
      store.setState((current) => ({
        approvals: {
          ...current.approvals,
          [toolCallId]: {
            toolCallId,
            toolName,
            server: tool.server,
            tool: tool.tool,
            title: tool.title,
            input: toolCall.input,
          },
        },
        calls: { ...current.calls, [toolCallId]: { phase: 'awaiting-approval' } },
      }));
      return;
    }
    // not awaited: awaiting here would hold the stream's job queue (AI SDK rule)
    void execute(toolCallId, tool, toolCall.input);
  };

  let lastSaved: AssistantMessage[] | undefined = storedSync;

  const sync = () => {
    const messages = chat.messages;
    const status = chat.status;
    const patch: Partial<AssistantState> = {
      messages,
      status,
      error: chat.error ? describeError(chat.error) : undefined,
    };
    store.setState(patch);
    if (storage && !isBusy(status) && messages !== lastSaved) {
      lastSaved = messages;
      void storage.save(threadKey, messages);
    }
  };

  const handle = (options.createChat ?? createCoreChat)({
    id: randomId(),
    messages: initialMessages,
    transport,
    onToolCall,
    onFinish: ({ messages, isAbort, isError, finishReason }) => {
      // announce finished answers only: not stopped ones, not turns that wait for tools
      if (isAbort || isError || finishReason === 'tool-calls') return;
      const text = lastAnswerText(messages);
      if (text) store.setState({ announcement: text });
    },
    sendAutomaticallyWhen: ({ messages }) => {
      if (!lastAssistantMessageIsCompleteWithToolCalls({ messages })) return false;
      if (stepsOfLastAssistant(messages) >= maxSteps) {
        store.setState({ stepLimitReached: true });
        return false;
      }
      return true;
    },
  });
  chat = handle.chat;
  handle.subscribe(sync);

  const pristine = chat.messages;
  const applyStored = (messages: AssistantMessage[] | undefined) => {
    // never overwrite a thread the user has already continued
    if (!messages?.length || chat.messages !== pristine) return;
    lastSaved = messages;
    chat.messages = settleDanglingToolCalls(messages, INTERRUPTED_TEXT);
  };
  if (stored instanceof Promise) void stored.then(applyStored);
  let hydrated = !deferred;

  const settle = (errorText: string | ((toolCallId: string) => string)) => {
    const settled = settleDanglingToolCalls(chat.messages, errorText);
    if (settled !== chat.messages) chat.messages = settled;
  };

  /**
   * A declined call never reaches the gateway, so the gateway learns of it here: every decision
   * is audited, rejections included. A failed report leaves the chat as it is.
   */
  const recordRejection = (pending: PendingApproval) => {
    let reporting: Promise<void> | undefined;
    try {
      reporting = getClient().reportDecision?.(pending.toolName, {
        callId: pending.toolCallId,
        decision: 'rejected',
      });
    } catch {
      return;
    }
    void reporting?.catch(() => undefined);
  };

  const stop = async () => {
    const pendingApprovals = Object.values(store.getState().approvals);
    for (const pending of pendingApprovals) recordRejection(pending);
    const stoppedIds = [...running.keys(), ...pendingApprovals.map((item) => item.toolCallId)];
    for (const controller of running.values()) controller.abort();
    running.clear();
    await chat.stop();
    const unanswered = new Set(Object.keys(store.getState().approvals));
    settle((toolCallId) => (unanswered.has(toolCallId) ? UNANSWERED_TEXT : STOPPED_TEXT));
    store.setState((state) => {
      const calls = { ...state.calls };
      for (const id of stoppedIds)
        calls[id] = { ...calls[id], phase: 'stopped', endedAt: Date.now() };
      return { approvals: {}, calls };
    });
  };

  const reset = async () => {
    await stop();
    chat.messages = [];
    chat.clearError();
    lastSaved = undefined;
    if (storage) void storage.remove(threadKey);
    store.setState({
      calls: {},
      approvals: {},
      announcement: '',
      stepLimitReached: false,
      error: undefined,
    });
  };

  return {
    store,
    chat,
    subscribe: (listener) => store.subscribe(listener),
    getSnapshot: () => store.getState(),
    loadTools,
    hydrate() {
      if (hydrated || !storage) return;
      hydrated = true;
      const loaded = storage.load(threadKey);
      if (loaded instanceof Promise) void loaded.then(applyStored);
      else applyStored(loaded);
    },
    async send(text) {
      const trimmed = text.trim();
      if (!trimmed) return;
      if (
        isBusy(chat.status) ||
        running.size > 0 ||
        Object.keys(store.getState().approvals).length
      ) {
        await stop();
      }
      store.setState({ stepLimitReached: false });
      await chat.sendMessage({ text: trimmed });
    },
    stop,
    async regenerate() {
      if (isBusy(chat.status)) await stop();
      if (chat.messages.length === 0) return;
      store.setState({ stepLimitReached: false });
      await chat.regenerate();
    },
    async editLast(text) {
      const trimmed = text.trim();
      const lastUser = [...chat.messages].reverse().find((message) => message.role === 'user');
      if (!trimmed || !lastUser) return;
      await stop();
      store.setState({ stepLimitReached: false });
      await chat.sendMessage({ text: trimmed, messageId: lastUser.id });
    },
    clear: reset,
    async newThread() {
      await reset();
      store.setState({ threadId: randomId(), alwaysAllow: {} });
    },
    approve(toolCallId, { always = false } = {}) {
      const pending = store.getState().approvals[toolCallId];
      if (!pending) return;
      const tool = toolsByName.get(pending.toolName);
      store.setState((state) => {
        const { [toolCallId]: _done, ...approvals } = state.approvals;
        return {
          approvals,
          alwaysAllow: always
            ? { ...state.alwaysAllow, [pending.toolName]: true }
            : state.alwaysAllow,
        };
      });
      if (!tool) {
        addOutput(toolCallId, pending.toolName, {
          errorText: `Unknown tool "${pending.toolName}".`,
        });
        return;
      }
      void execute(toolCallId, tool, pending.input);
    },
    reject(toolCallId, reason) {
      const pending = store.getState().approvals[toolCallId];
      if (!pending) return;
      store.setState((state) => {
        const { [toolCallId]: _done, ...approvals } = state.approvals;
        return {
          approvals,
          calls: { ...state.calls, [toolCallId]: { phase: 'denied', endedAt: Date.now() } },
        };
      });
      recordRejection(pending);
      addOutput(toolCallId, pending.toolName, {
        errorText: reason ? `${DENIAL_TEXT} Reason: ${reason}` : DENIAL_TEXT,
      });
    },
    setPanelOpen(open) {
      store.setState({ panelOpen: open });
    },
    dismissError() {
      chat.clearError();
    },
    destroy() {
      // safe to call twice and to keep using afterwards (React StrictMode remounts)
      for (const controller of running.values()) controller.abort();
      running.clear();
      void chat.stop();
      if (!options.client && client) {
        void Promise.resolve(client.close?.()).catch(() => undefined);
        client = undefined;
      }
    },
  };
}
