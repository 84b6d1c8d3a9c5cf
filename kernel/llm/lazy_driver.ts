/**
 * Drivers whose SDK is imported on their first call, not at boot: the
 * provider SDKs add ~100 ms of module loading and ~25 MiB to a process that
 * may never call them (no key set, or only offline agents).
 *
 * @module
 */
import type { ChatChunk, ChatRequest, EmbedRequest, LlmDriver } from "./driver.ts";

/** A driver that builds the real one with `load()` when first used. */
export function lazyDriver(
  kind: string,
  load: () => Promise<LlmDriver>,
  options: { embeddings: boolean },
): LlmDriver {
  let loaded: Promise<LlmDriver> | undefined;
  const real = (): Promise<LlmDriver> => (loaded ??= load());
  const driver: LlmDriver = {
    kind,
    async *chat(request: ChatRequest): AsyncGenerator<ChatChunk> {
      yield* (await real()).chat(request);
    },
  };
  if (options.embeddings) {
    driver.embed = async (request: EmbedRequest): Promise<number[][]> => {
      const d = await real();
      if (!d.embed) throw new TypeError(`the ${kind} driver has no embeddings`);
      return d.embed(request);
    };
  }
  return driver;
}
