/**
 * The `[security]` table of the config: the taint policy, where the key
 * that seals agents' private keys comes from, and the signed-manifest policy.
 *
 * @module
 */
import { z } from "zod";
import { PublicKeyText } from "./identity.ts";

/** The `[security]` table. */
export const SecurityConfig = z.strictObject({
  /**
   * Taint policy: with `approve`, a turn that took in outside content
   * (fetched pages, search results, MCP results, other agents' messages)
   * waits for a person's approval before a high-risk sink (shell_exec,
   * file writes, a request with data to a new host, spawning with
   * capabilities, publishing); `off` only records the taint.
   */
  taint: z.enum(["approve", "off"]).default("approve"),
  /**
   * An environment variable holding the secret that seals agents' private
   * keys (at least 16 characters). Unset: a random key in
   * `<data-dir>/identity.key`, created with mode 0600.
   */
  key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name")
    .optional(),
  /** Refuse unsigned manifests at spawn and unsigned patches at edit (top-level agents). */
  require_signed_manifests: z.boolean().default(false),
  /** Public keys (base64url, as `talon key create` prints them) trusted to sign manifests. */
  manifest_keys: z.array(PublicKeyText).max(64).default([]),
});
/** The `[security]` table. */
export type SecurityConfig = z.infer<typeof SecurityConfig>;
