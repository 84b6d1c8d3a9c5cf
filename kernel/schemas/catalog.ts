/**
 * The model catalog and provider entries, as the API lists them, and what
 * the spawn form offers (built from the same views).
 *
 * @module
 */
import { z } from "zod";
import { SkillView, ToolView } from "./skill.ts";

/** Provider kinds: the drivers this build has (`[providers.<name>] kind`). */
export const ProviderKind = z.enum(["openai", "anthropic", "offline"]);
/** A provider kind. */
export type ProviderKind = z.infer<typeof ProviderKind>;

/** A model catalog entry, as `GET /api/models` shows it. */
export const ModelView = z.object({
  id: z.string(),
  /** Other names for the same model (dated snapshots, `-latest` forms). */
  aliases: z.array(z.string()),
  /** Provider kind that serves it, when built in. */
  provider: ProviderKind.optional(),
  /** USD per million input tokens. */
  input_usd_per_mtok: z.number().optional(),
  /** USD per million output tokens. */
  output_usd_per_mtok: z.number().optional(),
  context_window: z.number().int().optional(),
});
/** A model as the catalog knows it. */
export type ModelView = z.infer<typeof ModelView>;
/** `GET /api/models` response. */
export const ModelList = z.object({ models: z.array(ModelView) });
/** The model catalog. */
export type ModelList = z.infer<typeof ModelList>;

/** A provider entry, as `GET /api/providers` shows it: never a key. */
export const ProviderView = z.object({
  name: z.string(),
  kind: ProviderKind,
  base_url: z.string().nullable(),
  api_key_env: z.string().nullable(),
  default_model: z.string(),
  /**
   * A key is set (always true for offline, and for a config entry with a
   * `base_url` and no `api_key_env`: a local server that needs no key).
   */
  configured: z.boolean(),
  /** This build has a driver for the kind. */
  supported: z.boolean(),
  /** The provider used when a manifest names none. */
  default: z.boolean(),
});
/** A provider entry. */
export type ProviderView = z.infer<typeof ProviderView>;
/** `GET /api/providers` response. */
export const ProviderList = z.object({ providers: z.array(ProviderView) });
/** Every provider entry. */
export type ProviderList = z.infer<typeof ProviderList>;

/** What the spawn form offers, gathered on the server from the kernel (island props). */
export const SpawnCatalog = z.object({
  /** Supported provider entries. */
  providers: z.array(
    ProviderView.pick({
      name: true,
      kind: true,
      default_model: true,
      configured: true,
      default: true,
    }),
  ),
  /** Catalog models; `provider` is the provider kind that serves them. */
  models: z.array(ModelView.pick({ id: true, provider: true })),
  /** The plain capabilities and whether `max_capabilities` allows each. */
  capabilities: z.array(z.object({ name: z.string(), allowed: z.boolean() })),
  /** `net_connect:` grants in `max_capabilities` (empty: none allowed). */
  netGrants: z.array(z.string()),
  /** `env_read:` grants in `max_capabilities` (empty: none allowed). */
  envGrants: z.array(z.string()),
  /** Built-in and MCP tools (skill tools come with their skill). */
  tools: z.array(ToolView.pick({ name: true, description: true, risk: true, capabilities: true })),
  /** Skills, and whether each can be attached. */
  skills: z.array(
    SkillView.pick({ name: true, description: true, reason: true }).extend({ ready: z.boolean() }),
  ),
});
/** The spawn form's choices. */
export type SpawnCatalog = z.infer<typeof SpawnCatalog>;
