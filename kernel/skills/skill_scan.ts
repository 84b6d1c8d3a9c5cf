/**
 * What a skill is refused for before it is ever attached, besides
 * prompt-injection text (kernel/security/injection_scan.ts scans
 * {@link skillTexts}): capabilities broader than a skill may ask for.
 *
 * @module
 */
import type { SkillManifest } from "../types.ts";

/** Capabilities no skill may carry: they grant everything of a kind. */
export const OVERBROAD_CAPABILITIES: readonly string[] = [
  "net_connect:*",
  "env_read:*",
  "shell_exec",
];

/** The manifest's capabilities that are too broad for a skill. */
export function overbroadCapabilities(manifest: SkillManifest): string[] {
  return manifest.capabilities.filter((c) =>
    OVERBROAD_CAPABILITIES.includes(c) ||
    // A wildcard over a whole top-level domain, e.g. net_connect:*.com
    /^net_connect:\*\.[a-z0-9-]+(:\d+)?$/.test(c)
  );
}

/** Every text of a skill that reaches a model: body, descriptions, parameter docs. */
export function skillTexts(manifest: SkillManifest, body: string): string[] {
  const texts = [body, manifest.description];
  for (const tool of Object.values(manifest.tools)) {
    texts.push(tool.description, ...Object.values(tool.parameters).map((p) => p.description));
  }
  for (const c of Object.values(manifest.config)) texts.push(c.description);
  return texts;
}
