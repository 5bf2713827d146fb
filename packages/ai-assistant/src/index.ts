/**
 * @module @tekup/ai-assistant
 * The `<AIAssistant>` React component, its provider and hooks, and the framework-free
 * controller underneath. Server code lives at `@tekup/ai-assistant/server`; the tool contract
 * (`GatewayTool`, `ToolSpec`, the approval rule) is `@tekup/mcp-client-web`'s.
 */
// The tool types in this package's signatures, from the package that owns the contract.
export type { ApprovalPolicy, GatewayTool } from '@tekup/mcp-client-web';
export { DENIAL_TEXT } from './core/approvals';
export type { Clock } from './core/clock';
export {
  type AssistantController,
  type AssistantControllerOptions,
  createAssistantController,
} from './core/controller';
export {
  AssistantError,
  type AssistantErrorCode,
  describeError,
  type ErrorDescription,
} from './core/errors';
export type { ServerHealth } from './core/server-health';
export type {
  AssistantState,
  PendingApproval,
  ServerFailure,
  ServerStatusWord,
  ToolCallActivity,
} from './core/state';
export {
  createLocalStorageThreadStorage,
  createMemoryThreadStorage,
  type ThreadStorage,
} from './core/storage';
export { type ToolResultView, toolResultData, viewOf } from './core/tool-output';
export type { HistoryLimits } from './core/trim';
export type {
  AssistantGatewayClient,
  AssistantMessage,
  AssistantMessageMetadata,
  PromptEntry,
} from './core/types';
export {
  AIAssistant,
  type AIAssistantLooks,
  type AIAssistantProps,
} from './react/ai-assistant';
export {
  type AssistantControllerProps,
  AssistantProvider,
  type AssistantProviderProps,
  type AssistantSetupProps,
  type AssistantSourceProps,
} from './react/assistant-provider';
export { AssistantView, type AssistantViewProps, type QuickAction } from './react/assistant-view';
export {
  type UseAssistantResult,
  type UseAssistantToolsResult,
  useAssistant,
  useAssistantController,
  useAssistantState,
  useAssistantTools,
  useServerHealth,
} from './react/hooks';
export {
  registerToolRenderer,
  type ToolCardState,
  type ToolRenderer,
  type ToolRendererProps,
  type ToolRenderers,
} from './react/renderers';
export { ResultView } from './react/result-view';
