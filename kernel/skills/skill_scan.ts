/**
 * What a skill is refused for before it is ever attached: text that tries
 * to take over the agent it is injected into (prompt-injection patterns),
 * and capabilities broader than a skill may ask for.
 *
 * @module
 */
import type { SkillManifest } from "../types.ts";

/** Named patterns of prompt-injection text. */
export const INJECTION_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  {
    name: "override previous instructions",
    pattern:
      /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|system|your)\b[^.\n]{0,20}\b(instructions?|prompts?|rules|guidelines)\b/i,
  },
  { name: "new identity", pattern: /\byou are now\b|\bfrom now on,? you (are|will)\b/i },
  {
    name: "reveal secrets",
    pattern:
      /\b(reveal|print|show|send|leak|exfiltrate)\b[^.\n]{0,40}\b(system prompt|api[ _-]?keys?|secrets?|passwords?|credentials?|tokens?)\b/i,
  },
  { name: "hide from the user", pattern: /\b(do not|don't|never) (tell|inform|show) the user\b/i },
  {
    name: "fake chat markup",
    pattern: /<\|im_start\|>|<\|system\|>|\[\/?INST\]|^\s*(system|assistant)\s*:/im,
  },
  { name: "disable safety", pattern: /\b(jailbreak|developer mode|no restrictions)\b/i },
];

/** Capabilities no skill may carry: they grant everything of a kind. */
export const OVERBROAD_CAPABILITIES: readonly string[] = [
  "net_connect:*",
  "env_read:*",
  "shell_exec",
];

/** Names of the injection patterns found in `texts`. */
export function findInjection(texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const { name, pattern } of INJECTION_PATTERNS) if (pattern.test(text)) found.add(name);
  }
  return [...found];
}

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
