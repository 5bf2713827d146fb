/**
 * @module @tekup/offline-provider
 * An AI SDK provider whose model is a deterministic, network-free keyword planner: it calls
 * the offered tools from the user's words and answers from their results. Everything it
 * reads and writes comes from lexicons (English, Danish, a fleet's domain). Web-only.
 */
export { danishLexicon } from './lexicon/danish';
export { englishLexicon } from './lexicon/english';
export type {
  AmountWords,
  AnswerPhrases,
  ConceptHints,
  ConversationWords,
  DateWords,
  IdWords,
  LanguageMarkers,
  Lexicon,
  LimitWords,
  NameWords,
  ParameterWords,
  PeriodUnit,
  PeriodWhich,
  PhraseFold,
  PhrasingWords,
  QuantityWords,
  ResultFields,
  WordPattern,
} from './lexicon/lexicon';
export { tekupDemoLexicon } from './lexicon/tekup-demo';
export {
  createToolRanker,
  type RankableTool,
  type ToolRankerOptions,
} from './tool-ranker';
export { OFFLINE_MODEL_ID, OFFLINE_PROVIDER } from './offline-language-model';
export {
  createOffline,
  type OfflineModelId,
  type OfflineProvider,
  type OfflineProviderSettings,
  offline,
} from './offline-provider';
