/**
 * Embeddings for memory: `[memory] embedding = "<provider>/<model>"` through
 * that provider's `LlmDriver.embed` (any OpenAI-compatible `/v1/embeddings`,
 * or the offline driver's hashed bag of words), metered and budget-checked
 * against the agent the memory belongs to, like any model call.
 *
 * @module
 */
import { estimateTokens, type ProviderRegistry } from "../llm/mod.ts";
import type { BudgetLedger } from "../scheduler/mod.ts";
import { TalonError } from "../errors.ts";
import type { AgentView } from "../types.ts";

/** Turns texts into vectors for one agent. */
export interface Embedder {
  /** `<provider>/<model>` as configured. */
  readonly spec: string;
  /** The model name vectors are recorded under. */
  readonly model: string;
  /** One vector per text, in order; metered to `agent`. */
  embed(
    agent: AgentView,
    texts: string[],
    options?: { turnId?: string | null; signal?: AbortSignal },
  ): Promise<Float32Array[]>;
}

/** The embedder for `spec`; `invalid_config` when its provider is unknown. */
export function meteredEmbedder(
  spec: string,
  deps: { providers: ProviderRegistry; ledger: BudgetLedger },
): Embedder {
  const slash = spec.indexOf("/");
  const provider = spec.slice(0, slash);
  const model = spec.slice(slash + 1);
  try {
    deps.providers.get(provider);
  } catch (cause) {
    throw new TalonError(
      "invalid_config",
      `memory.embedding names provider "${provider}", which is not configured; add [providers.${provider}] or fix the name`,
      { cause },
    );
  }
  return {
    spec,
    model,
    async embed(agent, texts, options = {}) {
      const driver = deps.providers.driver(provider);
      if (!driver.embed) {
        throw new TalonError(
          "not_supported",
          `provider "${provider}" (${driver.kind}) has no embeddings; set [memory] embedding to an OpenAI-compatible provider`,
        );
      }
      const tokens = texts.reduce((n, t) => n + estimateTokens(t), 0);
      const reservation = deps.ledger.reserve(agent, { model, promptTokens: tokens, maxTokens: 0 });
      const started = performance.now();
      let vectors: number[][];
      try {
        vectors = await driver.embed({ model, input: texts, signal: options.signal });
      } catch (error) {
        deps.ledger.release(reservation);
        throw error;
      }
      deps.ledger.settle(reservation, {
        provider,
        model,
        usage: { input_tokens: tokens, output_tokens: 0 },
        turnId: options.turnId ?? null,
        latencyMs: performance.now() - started,
      });
      if (vectors.length !== texts.length || vectors.some((v) => v.length === 0)) {
        throw new TalonError(
          "driver_error",
          `the embeddings of ${spec} came back with ${vectors.length} vectors for ${texts.length} texts`,
        );
      }
      return vectors.map((v) => Float32Array.from(v));
    },
  };
}
