import { type LanguageModelV4, NoSuchModelError, type ProviderV4 } from '@ai-sdk/provider';
import { danishLexicon } from './lexicon/danish';
import { englishLexicon } from './lexicon/english';
import type { Lexicon } from './lexicon/lexicon';
import { compileVocabulary, lexiconList, type Vocabulary } from './lexicon/vocabulary';
import { createOfflineLanguageModel, OFFLINE_MODEL_ID } from './offline-language-model';

/** The ids of the offline provider's models: there is one. */
export type OfflineModelId = typeof OFFLINE_MODEL_ID;

/** Settings of {@link createOffline}. */
export interface OfflineProviderSettings {
  /**
   * The words the planner reads and writes: a lexicon, or several composed in order (later
   * ones win where they disagree). Add your fleet's domain after the languages.
   * @default [englishLexicon, danishLexicon]
   */
  lexicon?: Lexicon | readonly Lexicon[];
  /**
   * The clock for relative dates ("tomorrow", "next week"); days are UTC calendar days.
   * @default () => new Date()
   */
  now?: () => Date;
  /**
   * The language of answers: a lexicon's language code (`'en'`, `'da'`), or `'auto'` to
   * follow the user's last message.
   * @default 'auto'
   */
  locale?: 'en' | 'da' | 'auto' | (string & {});
}

/** The offline provider: call it, or its `languageModel`, with the model id. */
export interface OfflineProvider extends ProviderV4 {
  (modelId: OfflineModelId): LanguageModelV4;
  /** The offline planner model. */
  languageModel(modelId: OfflineModelId): LanguageModelV4;
}

/**
 * Creates an offline provider: a deterministic, network-free stand-in for a language model.
 * Its model ranks the offered tools against the user's last message, calls the best one with
 * arguments read from the message, and after the result arrives writes a short factual
 * answer from it; when no tool fits it says what it can do. It understands the words its
 * lexicons give it and nothing else: it is no language model.
 *
 * @example
 * ```ts
 * import { streamText } from 'ai';
 * import { createOffline, danishLexicon, englishLexicon } from '@tekup/offline-provider';
 *
 * const offline = createOffline({ lexicon: [englishLexicon, danishLexicon, myFleetLexicon] });
 * const result = streamText({ model: offline('offline-planner'), prompt, tools });
 * ```
 */
export function createOffline(settings: OfflineProviderSettings = {}): OfflineProvider {
  const lexicons = lexiconList(settings.lexicon, [englishLexicon, danishLexicon]);
  let vocabulary: Vocabulary | undefined;
  const languageModel = (modelId: OfflineModelId): LanguageModelV4 => {
    if (modelId !== OFFLINE_MODEL_ID) {
      throw new NoSuchModelError({ modelId, modelType: 'languageModel' });
    }
    vocabulary ??= compileVocabulary(lexicons);
    return createOfflineLanguageModel({
      vocabulary,
      now: settings.now ?? (() => new Date()),
      locale: settings.locale ?? 'auto',
    });
  };
  const provider = (modelId: OfflineModelId) => languageModel(modelId);
  provider.specificationVersion = 'v4' as const;
  provider.languageModel = languageModel;
  provider.embeddingModel = (modelId: string): never => {
    throw new NoSuchModelError({ modelId, modelType: 'embeddingModel' });
  };
  provider.imageModel = (modelId: string): never => {
    throw new NoSuchModelError({ modelId, modelType: 'imageModel' });
  };
  return provider;
}

/** The offline provider with the English and Danish lexicons. */
export const offline: OfflineProvider = createOffline();
