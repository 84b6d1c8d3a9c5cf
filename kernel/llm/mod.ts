/**
 * LLM drivers (OpenAI and every OpenAI-compatible server, Anthropic, offline),
 * provider entries, the model catalog, the retry/fallback policy and the one
 * mapping of provider errors to TalonError codes.
 *
 * @module
 */
export {
  type ChatChunk,
  type ChatRequest,
  COMPACT_PREVIOUS,
  COMPACT_PROMPT,
  COMPACT_TRANSCRIPT,
  CONTINUE_PROMPT,
  type DriverEntry,
  type EmbedRequest,
  estimateTokens,
  type LlmDriver,
  type PromptMessage,
  type SdkDriverOptions,
  type ToolDefinition,
} from "./driver.ts";
export {
  createOfflineDriver,
  echoReply,
  loadOfflineScript,
  OFFLINE_ECHO_MODEL,
  OFFLINE_EMBEDDING_DIMS,
  offlineEmbedding,
  OfflineScript,
} from "./offline.ts";
// The OpenAI and Anthropic driver modules load their SDKs; they are imported
// on first use by ProviderRegistry (lazy_driver.ts), never from here.
export {
  abortableSleep,
  chatWithFallback,
  type ChatWithFallbackOptions,
  retryDelayMs,
  type RetryInfo,
  type RetryPolicy,
  retryPolicyFromConfig,
} from "./retry.ts";
export { BUILT_IN_MODELS, BUILT_IN_PRICES_AS_OF, ModelCatalog, type ModelInfo } from "./catalog.ts";
export { INVALID_ARGUMENTS_KEY } from "./tool_arguments.ts";
export { type DriverFactory, ProviderRegistry } from "./providers.ts";
