/**
 * SKILL.md: YAML front matter between `---` lines (the manifest), then a
 * Markdown body that is injected into the prompt of agents that attach the
 * skill.
 *
 * The YAML parser (`yaml`, CommonJS: ~60 ms and ~4 MB to load) is not on the
 * boot path: bundled skills carry their front matter parsed at build time
 * (`front_matter.json` beside each SKILL.md, written by `deno task build`), and
 * {@link loadSkillParser} loads the parser before anything reads an installed
 * skill (the kernel's boot when the data dir has one, and every install).
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import { describeIssues, SkillManifest } from "../types.ts";

/** A parsed SKILL.md. */
export interface SkillDocument {
  manifest: SkillManifest;
  /** The Markdown body, trimmed. */
  body: string;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

let parseYaml: ((text: string) => unknown) | undefined;

/** Loads the YAML parser that SKILL.md front matter without a parsed copy needs. */
export async function loadSkillParser(): Promise<void> {
  parseYaml ??= (await import("yaml")).parse;
}

/** Whether {@link loadSkillParser} has run (tests). */
export function skillParserLoaded(): boolean {
  return parseYaml !== undefined;
}

/**
 * Parses a SKILL.md; throws `invalid_manifest` saying what is wrong.
 * `frontMatter` is the front matter already parsed (bundled skills, at build
 * time); without it the YAML parser must be loaded ({@link loadSkillParser}).
 */
export function parseSkillMd(
  text: string,
  where = "SKILL.md",
  options: { frontMatter?: unknown } = {},
): SkillDocument {
  const match = FRONT_MATTER.exec(text);
  if (!match) {
    throw new TalonError(
      "invalid_manifest",
      `${where} must start with YAML front matter between two "---" lines`,
    );
  }
  let raw: unknown = options.frontMatter;
  if (raw === undefined && !parseYaml) {
    throw new TypeError(
      `${where}: the YAML parser is not loaded; await loadSkillParser() before reading an installed skill`,
    );
  }
  try {
    raw ??= parseYaml!(match[1]!);
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
