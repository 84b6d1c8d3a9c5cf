/**
 * LLM drivers and provider entries.
 *
 * @module
 */
export {
  type ChatChunk,
  type ChatRequest,
  CONTINUE_PROMPT,
  type EmbedRequest,
  estimateTokens,
  type LlmDriver,
  type PromptMessage,
  type ToolDefinition,
} from "./driver.ts";
export {
  createOfflineDriver,
  echoReply,
  loadOfflineScript,
  OFFLINE_ECHO_MODEL,
  OfflineScript,
} from "./offline.ts";
export { type DriverFactory, type ProviderInfo, ProviderRegistry } from "./providers.ts";
