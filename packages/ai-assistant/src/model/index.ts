/**
 * The offline model: a deterministic, network-free AI SDK language model that plans tool
 * calls from the user's words and answers from tool results.
 * @module
 */
export {
  createOfflineModel,
  OFFLINE_MODEL_ID,
  OFFLINE_PROVIDER,
  type OfflineModelOptions,
} from './offline-model';
