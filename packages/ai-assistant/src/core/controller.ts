import {
  type ApprovalPolicy,
  createGatewayClient,
  type GatewayClientOptions,
  type GatewayTool,
} from '@tekup/mcp-client-web';
import { type ChatInit, lastAssistantMessageIsCompleteWithToolCalls } from 'ai';
import { createApprovals, UNANSWERED_TEXT } from './approvals';
import { type Apps, createApps } from './apps';
import { createAssistantChat } from './chat-state';
import { createChatTransport } from './chat-transport';
import { type Clock, systemClock } from './clock';
import { AssistantError, type ErrorDescription, describeError } from './errors';
import { isBusy, lastAnswerText, settleDanglingToolCalls, stepsOfLastAssistant } from './messages';
import { createServerHealthMonitor } from './server-health';
import type { AssistantState } from './state';
import { createLocalStorageThreadStorage, type ThreadStorage } from './storage';
import { createPromptCatalog } from './prompt-catalog';
import { createQuestions, type Questions } from './questions';
import { createStore } from './store';
import { createThreadPersistence } from './thread-persistence';
import { createToolCatalog } from './tool-catalog';
import { createTaskHandles } from './task-handles';
import { createToolRunner, type ReportOutcome } from './tool-runner';
import type { HistoryLimits } from './trim';
import type { AssistantGatewayClient, AssistantMessage, PromptEntry } from './types';

const STOPPED_TEXT = 'Stopped by the user before the tool finished.';

/** Options of {@link createAssistantController}. */
export interface AssistantControllerOptions {
  /** MCP servers (by gateway name) whose tools the assistant may use. */
  servers: readonly string[];
  /** Gateway base URL; required unless `client` is given. */
  gateway?: string;
  /** A ready gateway client (otherwise one is built with `createClient`). */
  client?: AssistantGatewayClient;
  /** Builds the gateway client from `gateway` and `servers`. @default createGatewayClient */
  createClient?: (
    options: Pick<
      GatewayClientOptions,
      'gateway' | 'servers' | 'fetch' | 'credentials' | 'questions'
    >,
  ) => AssistantGatewayClient;
  /**
   * Lets servers ask the assistant's model to write something during a tool call (MCP
   * sampling), after the person agrees on the call's card: `api` is the route that answers
   * (`createSamplingHandler`). Off by default: servers are told the client cannot sample.
   */
  sampling?: { api: string } | false;
  /** @default '/api/chat' */
  api?: string;
  /** fetch for the chat route, the gateway and `{gateway}/servers` (defaults to the global one at call time). */
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
  /** Time and timers (tool durations, retry windows, health polling). @default the system clock */
  clock?: Clock;
  /** Thread and chat ids. @default crypto.randomUUID */
  generateId?: () => string;
}

/** The framework-free assistant: one snapshot to subscribe to, and the actions on it. */
export interface AssistantController {
  /** Calls `listener` after every change of the snapshot. */
  subscribe(listener: () => void): () => void;
  /** The current state; a new object after every change, the same one until then. */
  getSnapshot(): AssistantState;
  /** The servers the assistant may use. */
  readonly servers: readonly string[];
  /** The controller's clock (the state's timestamps come from it). */
  now(): number;
  send(text: string): Promise<void>;
  stop(): Promise<void>;
  regenerate(): Promise<void>;
  editLast(text: string): Promise<void>;
  clear(): Promise<void>;
  newThread(): Promise<void>;
  approve(toolCallId: string, options?: { always?: boolean }): void;
  reject(toolCallId: string, reason?: string): void;
  /** Asks the server to cancel a call running as a task. */
  cancelTask(toolCallId: string): Promise<void>;
  /** Answers a server's form or link question on a call's card. */
  answerQuestion: Questions['answer'];
  /** Whether tool calls' MCP Apps can be shown (the gateway client reads resources). */
  canShowApps: Apps['canShow'];
  /** Reads the page of a tool's MCP App (`ui://` resource) through the gateway. */
  appView: Apps['view'];
  /**
   * Runs a tool call an MCP App makes from a call's card: its own server's tools only, with the
   * same approval as the model's calls.
   */
  callAppTool: Apps['callTool'];
  /** Lets the assistant's model answer a server's sampling question. */
  approveSample: Questions['approveSample'];
  declineSample: Questions['declineSample'];
  loadTools(options?: { signal?: AbortSignal; refresh?: boolean }): Promise<GatewayTool[]>;
  /** Lists the servers' prompts (once; the composer calls it when the user types `/`). */
  loadPrompts(): Promise<PromptEntry[]>;
  /** Sends what a prompt gives for `args` as the user's message. */
  sendPrompt(prompt: PromptEntry, args?: Record<string, string>): Promise<void>;
  /** Lists the tools unless they were listed in the last 5 minutes (views call it on mount). */
  refreshStaleTools(): void;
  /** For a view that shows server health: reads `{gateway}/servers` now and every 30 s until stopped. */
  watchHealth(): () => void;
  /** Reads `{gateway}/servers` now (never rejects). */
  checkHealth(): Promise<void>;
  /** Loads the stored thread when `deferHydration` is set (call it after the first render). */
  hydrate(): void;
  setPanelOpen(open: boolean): void;
  dismissError(): void;
  destroy(): void;
}

/**
 * Creates the framework-free assistant controller: chat loop, tool execution, approvals,
 * persistence and server health, behind one `subscribe`/`getSnapshot` pair.
 * @example
 * const assistant = createAssistantController({ servers: ['billy'], gateway: '/api/gateway' });
 * assistant.subscribe(() => render(assistant.getSnapshot()));
 * await assistant.send('Find invoices for Acme');
 */
export function createAssistantController(
  options: AssistantControllerOptions,
): AssistantController {
  const clock = options.clock ?? systemClock;
  const generateId =
    options.generateId ??
    (() =>
      globalThis.crypto?.randomUUID?.() ??
      `t-${clock.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
  const maxSteps = options.maxSteps ?? 8;
  const credentials = options.credentials ?? 'same-origin';
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);
  const storage =
    options.storage === false ? undefined : (options.storage ?? createLocalStorageThreadStorage());

  let client = options.client;
  const getClient = (): AssistantGatewayClient => {
    if (client) return client;
    if (!options.gateway) {
      throw new AssistantError(
        'gateway_unreachable',
        'No gateway is configured for the assistant.',
      );
    }
    const created = (options.createClient ?? createGatewayClient)({
      gateway: options.gateway,
      servers: [...options.servers],
      ...(options.fetch ? { fetch: doFetch } : {}),
      credentials,
      // Servers may ask the person during a call: forms and links always, the model on request.
      questions: { elicitation: ['form', 'url'], ...(options.sampling ? { sampling: true } : {}) },
    });
    client = created;
    // a server announcing new tools (notifications/tools/list_changed) refreshes the specs
    created.onToolsChanged?.(() => {
      if (client === created) void catalog.load({ refresh: true }).catch(() => undefined);
    });
    return created;
  };

  let chat: ReturnType<typeof createAssistantChat>['chat'];
  // Tasks a thread's calls run, kept beside the thread so a reload picks them up again.
  const tasks = createTaskHandles(
    storage === undefined ? undefined : (options.threadKey ?? 'default'),
  );
  const persistence = createThreadPersistence({
    storage,
    resumable: (toolCallId) => tasks.get(toolCallId) !== undefined,
    threadKey: options.threadKey ?? 'default',
    fallback: options.initialMessages,
    deferred: options.deferHydration === true,
    apply(messages) {
      // never overwrite a thread the user has already continued
      if (chat.messages !== pristine) return false;
      chat.messages = messages;
      resumeTasks();
      return true;
    },
  });

  const store = createStore<AssistantState>({
    messages: persistence.initialMessages,
    status: 'ready',
    error: undefined,
    tools: [],
    toolsStatus: 'idle',
    toolsError: undefined,
    toolsListedAt: undefined,
    failures: [],
    prompts: [],
    promptsStatus: 'idle',
    serverStatus: undefined,
    approvals: {},
    questions: {},
    alwaysAllow: {},
    calls: {},
    panelOpen: false,
    threadId: generateId(),
    announcement: '',
    stepLimitReached: false,
  });

  const catalog = createToolCatalog({
    store,
    clock,
    servers: options.servers,
    gateway: options.gateway,
    getClient,
  });
  const prompts = createPromptCatalog({ store, servers: options.servers, getClient });
  options.client?.onToolsChanged?.(() => {
    void catalog.load({ refresh: true }).catch(() => undefined);
  });
  const health = createServerHealthMonitor({
    store,
    clock,
    gateway: options.gateway,
    fetch: doFetch,
    credentials,
  });
  const report: ReportOutcome = (toolCallId, toolName, outcome) => {
    void chat.addToolOutput(
      'errorText' in outcome
        ? {
            tool: toolName as never,
            toolCallId,
            state: 'output-error',
            errorText: outcome.errorText,
          }
        : { tool: toolName as never, toolCallId, output: outcome.output as never },
    );
  };
  const sampling = options.sampling;
  const questions = createQuestions({
    store,
    clock,
    sample: sampling
      ? async (params, signal) => {
          const response = await doFetch(sampling.api, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...options.headers },
            credentials,
            body: JSON.stringify({ params }),
            signal,
          });
          const body = (await response.json().catch(() => undefined)) as
            | { result?: Record<string, unknown>; error?: { message?: string } }
            | undefined;
          if (!response.ok || body?.result === undefined) {
            throw new Error(
              body?.error?.message ?? `The model could not answer (HTTP ${response.status})`,
            );
          }
          return body.result;
        }
      : undefined,
  });
  const runner = createToolRunner({
    store,
    clock,
    getClient,
    report,
    answer: (toolCallId) => (question, signal) => questions.ask(toolCallId, question, signal),
    tasks,
    timeoutMs: options.toolTimeoutMs,
    gateway: options.gateway,
  });
  const approvals = createApprovals({
    store,
    clock,
    getClient,
    policy: options.requireApproval,
    runner,
    report,
    toolNamed: catalog.get,
  });

  const apps = createApps({
    store,
    getClient,
    approvals,
    answer: (hostCallId) => (question, signal) => questions.ask(hostCallId, question, signal),
    generateId,
    timeoutMs: options.toolTimeoutMs,
  });

  const onToolCall: ChatInit<AssistantMessage>['onToolCall'] = ({ toolCall }) => {
    const tool = catalog.get(toolCall.toolName);
    if (!tool) {
      report(toolCall.toolCallId, toolCall.toolName, {
        errorText: `Unknown tool "${toolCall.toolName}".`,
      });
      return;
    }
    if (approvals.hold(toolCall, tool)) return;
    // not awaited: awaiting here would hold the stream's job queue (AI SDK rule)
    void runner.run(toolCall.toolCallId, tool, toolCall.input);
  };

  const assistantChat = createAssistantChat({
    id: generateId(),
    messages: persistence.initialMessages,
    transport: createChatTransport({
      api: options.api ?? '/api/chat',
      credentials,
      headers: options.headers,
      fetch: doFetch,
      clock,
      tools: catalog.ensure,
      threadId: () => store.getState().threadId,
      historyLimits: options.historyLimits,
    }),
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
  chat = assistantChat.chat;
  const pristine = chat.messages;
  resumeTasks();

  // the chat's error is described once per error, so its `at` (retry countdowns) stays put
  let describedError: { error: Error; description: ErrorDescription } | undefined;
  assistantChat.subscribe(() => {
    const { messages, status, error } = chat;
    if (error && describedError?.error !== error) {
      describedError = { error, description: describeError(error, clock.now()) };
    }
    store.setState({ messages, status, error: error ? describedError?.description : undefined });
    persistence.save(messages, status);
  });

  /** Calls of the thread still running as tasks upstream (after a reload): followed again. */
  function resumeTasks(): void {
    if (chat === undefined) return;
    for (const message of chat.messages) {
      if (message.role !== 'assistant') continue;
      for (const part of message.parts) {
        const call = part as { toolCallId?: unknown; state?: unknown };
        if (typeof call.toolCallId !== 'string' || call.state !== 'input-available') continue;
        const handle = tasks.get(call.toolCallId);
        if (handle) void runner.resume(call.toolCallId, handle);
      }
    }
  }

  const settle = (errorText: string | ((toolCallId: string) => string)) => {
    const settled = settleDanglingToolCalls(chat.messages, errorText);
    if (settled !== chat.messages) chat.messages = settled;
  };

  const stop = async () => {
    const abandoned = approvals.abandonAll();
    const stoppedIds = [...runner.abortAll(), ...abandoned.map((item) => item.toolCallId)];
    await chat.stop();
    const unanswered = new Set(Object.keys(store.getState().approvals));
    settle((toolCallId) => (unanswered.has(toolCallId) ? UNANSWERED_TEXT : STOPPED_TEXT));
    const endedAt = clock.now();
    store.setState((state) => {
      const calls = { ...state.calls };
      for (const id of stoppedIds) calls[id] = { ...calls[id], phase: 'stopped', endedAt };
      return { approvals: {}, calls };
    });
  };

  const reset = async () => {
    await stop();
    chat.messages = [];
    chat.clearError();
    persistence.remove();
    store.setState({
      calls: {},
      approvals: {},
      announcement: '',
      stepLimitReached: false,
      error: undefined,
    });
  };

  const hasOpenWork = () =>
    isBusy(chat.status) || runner.size > 0 || Object.keys(store.getState().approvals).length > 0;

  const send = async (text: string) => {
    const trimmed = text.trim();
    if (!trimmed) return;
    if (hasOpenWork()) await stop();
    store.setState({ stepLimitReached: false });
    await chat.sendMessage({ text: trimmed });
  };

  return {
    subscribe: store.subscribe,
    getSnapshot: store.getState,
    servers: [...options.servers],
    now: () => clock.now(),
    loadTools: catalog.load,
    loadPrompts: () => prompts.load(),
    async sendPrompt(prompt, args = {}) {
      await send(await prompts.text(prompt, args));
    },
    refreshStaleTools: catalog.refreshIfStale,
    watchHealth: health.watch,
    checkHealth: health.check,
    hydrate: persistence.hydrate,
    send,
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
      store.setState({ threadId: generateId(), alwaysAllow: {} });
    },
    approve: approvals.approve,
    reject: approvals.reject,
    cancelTask: (toolCallId) => runner.cancelTask(toolCallId),
    answerQuestion: questions.answer,
    canShowApps: apps.canShow,
    appView: apps.view,
    callAppTool: apps.callTool,
    approveSample: questions.approveSample,
    declineSample: questions.declineSample,
    setPanelOpen(open) {
      store.setState({ panelOpen: open });
    },
    dismissError() {
      chat.clearError();
    },
    destroy() {
      // safe to call twice and to keep using afterwards (React StrictMode remounts)
      persistence.flush();
      // Tasks run on upstream; the thread picks them up when it is opened again.
      runner.abortAll({ keepTasks: true });
      health.stop();
      void chat.stop();
      if (!options.client && client) {
        void Promise.resolve(client.close?.()).catch(() => undefined);
        client = undefined;
      }
    },
  };
}
