/**
 * The model catalog: prices, context windows and aliases of well-known
 * models, merged with the config's `[models."<id>"]` entries (config wins
 * field by field; aliases add up). Budgets price usage through `cost()`;
 * offline models such as `echo` or `script:…` get prices the same way.
 *
 * @module
 */
import type { ModelConfig, TalonConfig } from "../types.ts";
import { TalonError } from "../errors.ts";
import type { ModelView, Usage } from "../types.ts";

/** One model as the catalog knows it: the API's {@link ModelView}. */
export type ModelInfo = ModelView;

/** When the built-in prices were taken from the providers' public price pages. */
export const BUILT_IN_PRICES_AS_OF = "2025-06-01";

/** Well-known models (prices as of {@link BUILT_IN_PRICES_AS_OF}; override in config). */
export const BUILT_IN_MODELS: readonly ModelInfo[] = [
  openai("gpt-4o-mini", 0.15, 0.6, 128_000, ["gpt-4o-mini-2024-07-18"]),
  openai("gpt-4o", 2.5, 10, 128_000, ["gpt-4o-2024-08-06", "gpt-4o-2024-11-20"]),
  openai("gpt-4.1", 2, 8, 1_047_576, ["gpt-4.1-2025-04-14"]),
  openai("gpt-4.1-mini", 0.4, 1.6, 1_047_576, ["gpt-4.1-mini-2025-04-14"]),
  openai("gpt-4.1-nano", 0.1, 0.4, 1_047_576, ["gpt-4.1-nano-2025-04-14"]),
  openai("o3-mini", 1.1, 4.4, 200_000, ["o3-mini-2025-01-31"]),
  openai("o4-mini", 1.1, 4.4, 200_000, ["o4-mini-2025-04-16"]),
  openai("text-embedding-3-small", 0.02, 0, 8_191, []),
  openai("text-embedding-3-large", 0.13, 0, 8_191, []),
  anthropic("claude-3-5-haiku-latest", 0.8, 4, ["claude-3-5-haiku-20241022"]),
  anthropic("claude-3-7-sonnet-latest", 3, 15, ["claude-3-7-sonnet-20250219"]),
  anthropic("claude-sonnet-4-0", 3, 15, ["claude-sonnet-4-20250514"]),
  anthropic("claude-opus-4-0", 15, 75, ["claude-opus-4-20250514"]),
];

function openai(
  id: string,
  input: number,
  output: number,
  context: number,
  aliases: string[],
): ModelInfo {
  return {
    id,
    aliases,
    provider: "openai",
    input_usd_per_mtok: input,
    output_usd_per_mtok: output,
    context_window: context,
  };
}

function anthropic(id: string, input: number, output: number, aliases: string[]): ModelInfo {
  return {
    id,
    aliases,
    provider: "anthropic",
    input_usd_per_mtok: input,
    output_usd_per_mtok: output,
    context_window: 200_000,
  };
}

/** Looks models up by id or alias and prices their usage. */
export class ModelCatalog {
  readonly #models = new Map<string, ModelInfo>();
  readonly #names = new Map<string, string>();

  /**
   * Merges the built-in table with `models` (config `[models]`). An alias
   * that is another model's id or alias is an `invalid_config` error.
   */
  constructor(
    models: Record<string, ModelConfig> = {},
    options: { builtIn?: readonly ModelInfo[] } = {},
  ) {
    for (const info of options.builtIn ?? BUILT_IN_MODELS) {
      this.#models.set(info.id, { ...info, aliases: [...info.aliases] });
    }
    for (const [id, entry] of Object.entries(models)) {
      const base = this.#models.get(id) ?? { id, aliases: [] };
      const merged: ModelInfo = { ...base, aliases: [...base.aliases] };
      if (entry.input_usd_per_mtok !== undefined) {
        merged.input_usd_per_mtok = entry.input_usd_per_mtok;
      }
      if (entry.output_usd_per_mtok !== undefined) {
        merged.output_usd_per_mtok = entry.output_usd_per_mtok;
      }
      if (entry.context_window !== undefined) merged.context_window = entry.context_window;
      for (const alias of entry.aliases ?? []) {
        if (alias !== id && !merged.aliases.includes(alias)) merged.aliases.push(alias);
      }
      this.#models.set(id, merged);
    }
    for (const info of this.#models.values()) this.#name(info.id, info.id);
    for (const info of this.#models.values()) {
      for (const alias of info.aliases) this.#name(alias, info.id);
    }
  }

  /** A catalog of the built-in table merged with `config.models`. */
  static fromConfig(config: Pick<TalonConfig, "models">): ModelCatalog {
    return new ModelCatalog(config.models);
  }

  #name(name: string, id: string): void {
    const owner = this.#names.get(name);
    if (owner !== undefined && owner !== id) {
      throw new TalonError(
        "invalid_config",
        `models: the name "${name}" would stand for both "${owner}" and "${id}"; a model id or alias may name one model only — rename or remove it in [models]`,
        { details: { path: "models", name, models: [owner, id] } },
      );
    }
    this.#names.set(name, id);
  }

  /** The model named `name` (id or alias), if known. */
  resolve(name: string): ModelInfo | undefined {
    const id = this.#names.get(name);
    const info = id === undefined ? undefined : this.#models.get(id);
    return info ? { ...info, aliases: [...info.aliases] } : undefined;
  }

  /** The id an alias stands for; any other name comes back unchanged. */
  canonical(name: string): string {
    return this.#names.get(name) ?? name;
  }

  /**
   * USD cost of `usage` on `model`; undefined when no price is known (or a
   * side with tokens has no price).
   */
  cost(model: string, usage: Usage): number | undefined {
    const info = this.resolve(model);
    if (!info) return undefined;
    const input = info.input_usd_per_mtok;
    const output = info.output_usd_per_mtok;
    if (input === undefined && output === undefined) return undefined;
    if (input === undefined && usage.input_tokens > 0) return undefined;
    if (output === undefined && usage.output_tokens > 0) return undefined;
    return (usage.input_tokens * (input ?? 0) + usage.output_tokens * (output ?? 0)) / 1_000_000;
  }

  /** Context window of `model` in tokens, if known. */
  contextWindow(model: string): number | undefined {
    return this.resolve(model)?.context_window;
  }

  /** Every model, built-in first, then those only the config names. */
  list(): ModelInfo[] {
    return [...this.#models.values()].map((m) => ({ ...m, aliases: [...m.aliases] }));
  }
}
