/**
 * Protocol surfaces over the kernel: for now the OpenAI-compatible chat
 * mappings (MCP and A2A join later).
 *
 * @module
 */
export {
  assertCompleted,
  chunkOf,
  type CompletionMeta,
  completionOf,
  conversationOf,
  modelListOf,
} from "./openai_compat.ts";
