/**
 * Skills bundled with Talon, embedded as assets so the binary needs nothing
 * from the source tree at run time. Their plugins are built, instrumented
 * for fuel and hashed by `deno task build`, which also writes each SKILL.md's
 * front matter parsed (`front_matter.json`), so loading one needs no YAML parser.
 *
 * @module
 */
import textstatsMd from "../../skills/textstats/SKILL.md" with { type: "text" };
import textstatsWasm from "../../skills/textstats/plugin.wasm" with { type: "bytes" };
import csvjsonMd from "../../skills/csvjson/SKILL.md" with { type: "text" };
import csvjsonWasm from "../../skills/csvjson/plugin.wasm" with { type: "bytes" };
import extractMd from "../../skills/extract/SKILL.md" with { type: "text" };
import extractWasm from "../../skills/extract/plugin.wasm" with { type: "bytes" };
import textstatsFront from "../../skills/textstats/front_matter.json" with { type: "json" };
import csvjsonFront from "../../skills/csvjson/front_matter.json" with { type: "json" };
import extractFront from "../../skills/extract/front_matter.json" with { type: "json" };
import type { SkillPackage } from "./skill_check.ts";

/** The bundled skills. */
export const BUNDLED_SKILLS: readonly SkillPackage[] = [
  {
    skillMd: textstatsMd,
    frontMatter: textstatsFront,
    wasm: textstatsWasm,
    source: "bundled",
    where: "skills/textstats",
  },
  {
    skillMd: csvjsonMd,
    frontMatter: csvjsonFront,
    wasm: csvjsonWasm,
    source: "bundled",
    where: "skills/csvjson",
  },
  {
    skillMd: extractMd,
    frontMatter: extractFront,
    wasm: extractWasm,
    source: "bundled",
    where: "skills/extract",
  },
];
