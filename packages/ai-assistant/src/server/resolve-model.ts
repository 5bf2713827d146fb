import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import {
  createOffline,
  danishLexicon,
  englishLexicon,
  OFFLINE_MODEL_ID,
  OFFLINE_PROVIDER,
  type OfflineProviderSettings,
  tekupDemoLexicon,
} from '@tekup/offline-provider';
import type { LanguageModel } from 'ai';

/** Environment variables, as `process.env` holds them. */
export type ModelEnv = Record<string, string | undefined>;

/** Which model answers, and how the UI should label it. */
export interface ModelInfo {
  id: string;
  provider: string;
  /** True for the built-in offline model (no LLM behind it). */
  offline: boolean;
}

/** A model with its label. */
export interface ResolvedModel extends ModelInfo {
  model: LanguageModel;
}

/** The default OpenAI model when `OPENAI_MODEL` is not set. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

/** Options of {@link createOfflineModel}: the offline provider's settings. */
export type OfflineModelOptions = OfflineProviderSettings;

/**
 * Creates the assistant's offline model: `@tekup/offline-provider` reading English and Danish
 * and knowing the Tekup demo fleet's domain. Deterministic, no network, no key.
 *
 * @example
 * ```ts
 * const model = createOfflineModel({ now: () => new Date('2026-11-24T10:00:00Z') });
 * ```
 */
export function createOfflineModel(options: OfflineModelOptions = {}): LanguageModelV4 {
  return createOffline({
    lexicon: [englishLexicon, danishLexicon, tekupDemoLexicon],
    ...options,
  }).languageModel(OFFLINE_MODEL_ID);
}

/** `process.env` where the runtime has one (Node, Next.js edge), else an empty object. */
export function defaultEnv(): ModelEnv {
  const runtime = globalThis as { process?: { env?: ModelEnv } };
  return runtime.process?.env ?? {};
}

/** Labels a model the host passed in. */
export function describeModel(model: LanguageModel): ModelInfo {
  if (typeof model === 'string') return { id: model, provider: 'gateway', offline: false };
  return {
    id: model.modelId,
    provider: model.provider,
    offline: model.provider === OFFLINE_PROVIDER,
  };
}

/**
 * Picks the model from the environment: OpenAI when `OPENAI_API_KEY` is set (`OPENAI_MODEL`,
 * default `gpt-4o-mini`); with `OPENAI_BASE_URL` too, any OpenAI-compatible server (Ollama,
 * vLLM, LM Studio) through the chat-completions API; otherwise the offline model.
 *
 * @example
 * ```ts
 * const { model, offline } = resolveModel(process.env);
 * ```
 */
export function resolveModel(env: ModelEnv = defaultEnv()): ResolvedModel {
  const apiKey = env.OPENAI_API_KEY?.trim();
  if (apiKey) {
    const id = env.OPENAI_MODEL?.trim() || DEFAULT_OPENAI_MODEL;
    const baseURL = env.OPENAI_BASE_URL?.trim();
    if (baseURL) {
      const provider = createOpenAI({ apiKey, baseURL });
      return { model: provider.chat(id), id, provider: 'openai-compatible', offline: false };
    }
    const provider = createOpenAI({ apiKey });
    return { model: provider(id), id, provider: 'openai', offline: false };
  }
  const model = createOfflineModel();
  return { model, id: model.modelId, provider: model.provider, offline: true };
}
