/**
 * The model catalog and provider entries, as the API lists them.
 *
 * @module
 */
import { z } from "zod";

/** A model catalog entry, as `GET /api/models` shows it. */
export const ModelView = z.object({
  id: z.string(),
  aliases: z.array(z.string()),
  provider: z.enum(["openai", "anthropic"]).optional(),
  input_usd_per_mtok: z.number().optional(),
  output_usd_per_mtok: z.number().optional(),
  context_window: z.number().int().optional(),
});
/** `GET /api/models` response. */
export const ModelList = z.object({ models: z.array(ModelView) });

/** A provider entry, as `GET /api/providers` shows it: never a key. */
export const ProviderView = z.object({
  name: z.string(),
  kind: z.enum(["openai", "anthropic", "offline"]),
  base_url: z.string().nullable(),
  api_key_env: z.string().nullable(),
  default_model: z.string(),
  configured: z.boolean(),
  supported: z.boolean(),
  default: z.boolean(),
});
/** `GET /api/providers` response. */
export const ProviderList = z.object({ providers: z.array(ProviderView) });
