/**
 * Each bundled skill's SKILL.md front matter, parsed here at build time into
 * `skills/<name>/front_matter.json` (committed), so the kernel loads a bundled
 * skill without loading the YAML parser (kernel/skills/bundled.ts).
 *
 * @module
 */
import { parse as parseYaml } from "yaml";

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---/;

/** The JSON text of `skillMd`'s front matter, parsed as YAML. */
export function frontMatterJson(skillMd: string): string {
  const match = FRONT_MATTER.exec(skillMd);
  if (!match) throw new Error("SKILL.md has no front matter");
  return JSON.stringify(parseYaml(match[1]!) ?? {}, null, 2) + "\n";
}

/** `[path of front_matter.json, its text]` for every `skills/<name>/SKILL.md`. */
export async function renderFrontMatters(skillsDir: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const entry of Deno.readDir(skillsDir)) {
    if (!entry.isDirectory || entry.name.startsWith("_")) continue;
    let md: string;
    try {
      md = await Deno.readTextFile(`${skillsDir}/${entry.name}/SKILL.md`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    out.push([`${skillsDir}/${entry.name}/front_matter.json`, frontMatterJson(md)]);
  }
  return out.sort(([a], [b]) => a.localeCompare(b));
}
