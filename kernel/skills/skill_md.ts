/**
 * SKILL.md: YAML front matter between `---` lines (the manifest), then a
 * Markdown body that is injected into the prompt of agents that attach the
 * skill.
 *
 * @module
 */
import { parse as parseYaml } from "yaml";
import { TalonError } from "../errors.ts";
import { describeIssues, SkillManifest } from "../types.ts";

/** A parsed SKILL.md. */
export interface SkillDocument {
  manifest: SkillManifest;
  /** The Markdown body, trimmed. */
  body: string;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Parses a SKILL.md; throws `invalid_manifest` saying what is wrong. */
export function parseSkillMd(text: string, where = "SKILL.md"): SkillDocument {
  const match = FRONT_MATTER.exec(text);
  if (!match) {
    throw new TalonError(
      "invalid_manifest",
      `${where} must start with YAML front matter between two "---" lines`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(match[1]!);
  } catch (cause) {
    throw new TalonError(
      "invalid_manifest",
      `${where}: the front matter is not valid YAML: ${(cause as Error).message.split("\n")[0]}`,
      { cause },
    );
  }
  const parsed = SkillManifest.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new TalonError("invalid_manifest", `${where}: ${describeIssues(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return { manifest: parsed.data, body: match[2]!.trim() };
}

/** Returns `text` (a SKILL.md) with its front matter's `sha256` set to `sha256`. */
export function setSkillSha256(text: string, sha256: string): string {
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new TypeError("SKILL.md has no front matter");
  const lines = match[1]!.split(/\r?\n/).filter((l) => !/^sha256\s*:/.test(l));
  lines.push(`sha256: "${sha256}"`);
  return `---\n${lines.join("\n")}\n---\n${match[2]}`;
}
