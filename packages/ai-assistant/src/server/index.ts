/**
 * Server entry of `@tekup/ai-assistant`: the chat route handler, model selection from the
 * environment, the offline model and a server-side tool loop. Web APIs only (Request,
 * Response, streams), so it runs on Node and on edge runtimes.
 * @module
 */
export {
  type BeforeStreamResult,
  type ChatHandlerOptions,
  type ChatMessageMetadata,
  type ChatUsage,
  type ChatUsageEvent,
  createChatHandler,
  DEFAULT_INSTRUCTIONS,
} from './chat-handler';
export type { ChatRequestBody, ToolAnnotations, ToolSpec } from './chat-request';
export { createSamplingHandler, type SamplingHandlerOptions } from './sampling-handler';
export { type ChatErrorBody, ChatRequestError, type ChatRequestErrorCode } from './errors';
export {
  createOfflineModel,
  DEFAULT_OPENAI_MODEL,
  type ModelEnv,
  type ModelInfo,
  type OfflineModelOptions,
  type ResolvedModel,
  resolveModel,
} from './resolve-model';
export {
  rankToolsByKeywords,
  TOOL_SEARCH_NAME,
  type ToolRanker,
  type ToolSearchOptions,
} from './tool-selection';
export {
  runToolLoop,
  type ToolExecutor,
  type ToolLoopCall,
  type ToolLoopOptions,
  type ToolLoopResult,
} from './run-tool-loop';
export { OFFLINE_MODEL_ID, OFFLINE_PROVIDER } from '@tekup/offline-provider';
