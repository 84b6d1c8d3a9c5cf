/**
 * Provider entries (built-in `openai`, `anthropic`, `offline`, plus the
 * config's `[providers.<name>]`) and the drivers that serve them. Keys are
 * read from the environment only, never stored or returned.
 *
 * @module
 */
import type { EnvReader } from "../config.ts";
import type { ProviderConfig, TalonConfig } from "../types.ts";
import { TalonError } from "../errors.ts";
import type { ProviderKind, ProviderView } from "../types.ts";
import { ModelCatalog } from "./catalog.ts";
import type { LlmDriver } from "./driver.ts";
import { createOfflineDriver, OFFLINE_ECHO_MODEL } from "./offline.ts";
import { lazyDriver } from "./lazy_driver.ts";
import { type RetryPolicy, retryPolicyFromConfig } from "./retry.ts";

/** A resolved entry; whether it is the default is decided once all are known. */
type Entry = Omit<ProviderView, "default">;

const BUILT_IN: Record<string, ProviderConfig & { default_model: string }> = {
  openai: {
    kind: "openai",
    api_key_env: "OPENAI_API_KEY",
    default_model: "gpt-4o-mini",
  },
  anthropic: {
    kind: "anthropic",
    api_key_env: "ANTHROPIC_API_KEY",
    default_model: "claude-3-5-haiku-latest",
  },
  offline: { kind: "offline", default_model: OFFLINE_ECHO_MODEL },
};

const BASE_URL_ENV: Record<string, string> = {
  openai: "OPENAI_BASE_URL",
  anthropic: "ANTHROPIC_BASE_URL",
};

/** Creates drivers by provider kind. */
export type DriverFactory = (entry: ProviderView, apiKey: string | undefined) => LlmDriver;

/** Resolves provider entries and hands out their drivers. */
export class ProviderRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #drivers = new Map<string, LlmDriver>();
  readonly #factories: Record<ProviderKind, DriverFactory>;
  readonly #env: EnvReader;
  readonly #defaultName: string | undefined;
  /** Prices, context windows and aliases (built-in table merged with `[models]`). */
  readonly catalog: ModelCatalog;
  /** Retries and backoff for LLM calls (config `[llm]`). */
  readonly retryPolicy: RetryPolicy;

  /** Resolves every entry; `invalid_config` when `[models]` aliases collide. */
  constructor(config: TalonConfig, env: EnvReader) {
    this.#env = env;
    this.catalog = ModelCatalog.fromConfig(config);
    this.retryPolicy = retryPolicyFromConfig(config.llm);
    const offline = createOfflineDriver({ defaultScript: config.offline.script });
    const timeoutMs = config.llm.request_timeout_ms;
    this.#factories = {
      offline: () => offline,
      openai: (entry, apiKey) =>
        lazyDriver(
          "openai",
          async () =>
            (await import("./openai.ts")).createOpenAiDriver(entry, { apiKey, timeoutMs }),
          { embeddings: true },
        ),
      anthropic: (entry, apiKey) =>
        lazyDriver(
          "anthropic",
          async () =>
            (await import("./anthropic.ts")).createAnthropicDriver(entry, { apiKey, timeoutMs }),
          { embeddings: false },
        ),
    };
    const all = { ...BUILT_IN, ...config.providers };
    for (const [name, entry] of Object.entries(all)) {
      const kind = entry.kind;
      const builtIn = BUILT_IN[name]?.kind === kind ? BUILT_IN[name] : undefined;
      const keyEnv = entry.api_key_env ?? builtIn?.api_key_env ?? null;
      const baseUrl = entry.base_url ??
        (builtIn && BASE_URL_ENV[name] ? env(BASE_URL_ENV[name]) : undefined) ??
        null;
      this.#entries.set(name, {
        name,
        kind,
        base_url: baseUrl,
        api_key_env: keyEnv,
        default_model: entry.default_model ?? builtIn?.default_model ??
          BUILT_IN[kind]!.default_model,
        configured: kind === "offline" ||
          (keyEnv !== null ? !!env(keyEnv) : !builtIn && entry.base_url !== undefined),
        supported: this.#factories[kind] !== undefined,
      });
    }
    this.#defaultName = this.#pickDefault(config.default_provider);
  }

  #pickDefault(wanted: string | undefined): string {
    if (wanted !== undefined) {
      this.get(wanted);
      return wanted;
    }
    for (const name of ["openai", "anthropic"]) {
      const entry = this.#entries.get(name)!;
      if (entry.configured && entry.supported) return name;
    }
    return "offline";
  }

  /** The provider used when a manifest names none. */
  get defaultProvider(): ProviderView {
    return this.get(this.#defaultName!);
  }

  /** Every provider entry, as `GET /api/providers` lists them. */
  list(): ProviderView[] {
    return [...this.#entries.values()].map((entry) => this.#view(entry));
  }

  #view(entry: Entry): ProviderView {
    return { ...entry, default: entry.name === this.#defaultName };
  }

  /** The entry named `name`; `invalid_manifest` when there is none. */
  get(name: string): ProviderView {
    const entry = this.#entries.get(name);
    if (!entry) {
      throw new TalonError(
        "invalid_manifest",
        `unknown provider "${name}"; use one of ${
          [...this.#entries.keys()].join(", ")
        } or add [providers.${name}] to config.toml`,
        { details: { provider: name } },
      );
    }
    return this.#view(entry);
  }

  /** Checks that `name` can serve requests now; explains what to set if not. */
  assertUsable(name: string): ProviderView {
    const entry = this.get(name);
    if (!entry.configured) {
      throw new TalonError(
        "provider_unavailable",
        entry.api_key_env
          ? `provider "${name}" needs an API key in the environment variable ${entry.api_key_env}; set it and restart Talon`
          : `provider "${name}" has neither api_key_env nor base_url; set one of them in [providers.${name}]`,
        { details: { provider: name } },
      );
    }
    return entry;
  }

  /** The driver for provider `name` (created once). */
  driver(name: string): LlmDriver {
    const cached = this.#drivers.get(name);
    if (cached) return cached;
    const entry = this.assertUsable(name);
    const factory = this.#factories[entry.kind];
    const driver = factory(
      entry,
      entry.api_key_env ? this.#env(entry.api_key_env) : undefined,
    );
    this.#drivers.set(name, driver);
    return driver;
  }
}
