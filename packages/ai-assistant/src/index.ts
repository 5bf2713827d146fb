/**
 * @module @tekup/ai-assistant
 * The `<AIAssistant>` React component, its provider and hooks, and the framework-free
 * controller underneath. Server code lives at `@tekup/ai-assistant/server`.
 */
export {
  type AssistantController,
  type AssistantControllerOptions,
  type AssistantState,
  type ChatFactory,
  type ChatHandle,
  createAssistantController,
  DENIAL_TEXT,
  type PendingApproval,
  type ServerFailure,
  type ToolCallActivity,
} from './core/controller';
export {
  AssistantError,
  type AssistantErrorCode,
  describeError,
  type ErrorDescription,
} from './core/errors';
export {
  createLocalStorageThreadStorage,
  createMemoryThreadStorage,
  type ThreadStorage,
} from './core/storage';
export { type ToolResultView, toolResultData, viewOf } from './core/tool-output';
export type { HistoryLimits } from './core/trim';
export {
  type ApprovalPolicy,
  type AssistantMessage,
  type AssistantMessageMetadata,
  type GatewayClient,
  type GatewayTool,
  needsApproval,
  type ToolAnnotations,
  type ToolCallResult,
  type ToolSpec,
  toToolSpecs,
} from './core/types';
export { AIAssistant, type AIAssistantProps } from './react/ai-assistant';
export { AssistantProvider, type AssistantProviderProps } from './react/assistant-provider';
export { AssistantView, type AssistantViewProps, type QuickAction } from './react/assistant-view';
export {
  type ServerHealth,
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
