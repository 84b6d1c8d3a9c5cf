/**
 * Skill folders for tests: a SKILL.md (with the right sha256 unless told
 * otherwise) and optionally a plugin.
 *
 * @module
 */
import { sha256Hex } from "../../../kernel/skills/mod.ts";

/** Options of {@link writeSkill}. */
export interface SkillFiles {
  name: string;
  /** Extra front matter lines (YAML). */
  front?: string;
  body?: string;
  wasm?: Uint8Array;
  /** Written instead of the plugin's real hash. */
  sha256?: string;
}

/** Writes a skill folder under `dir`; returns its path. */
export async function writeSkill(dir: string, files: SkillFiles): Promise<string> {
  const path = `${dir}/src-${files.name}`;
  await Deno.mkdir(path, { recursive: true });
  const sha = files.sha256 ?? (files.wasm ? sha256Hex(files.wasm) : undefined);
  const front = [
    `name: ${files.name}`,
    `description: test skill ${files.name}`,
    "version: 1.0.0",
    ...(sha ? [`sha256: "${sha}"`] : []),
    ...(files.front ? [files.front] : []),
  ].join("\n");
  await Deno.writeTextFile(
    `${path}/SKILL.md`,
    `---\n${front}\n---\n${files.body ?? "Be useful."}\n`,
  );
  if (files.wasm) await Deno.writeFile(`${path}/plugin.wasm`, files.wasm);
  return path;
}

/**
 * A minimal module that is not fuel-instrumented: exports `answer` (returns
 * 0) and a one-page memory; no imports.
 */
export const PLAIN_WASM: Uint8Array<ArrayBuffer> = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7f, // type: () -> i32
  0x03,
  0x02,
  0x01,
  0x00, // function 0 has type 0
  0x05,
  0x03,
  0x01,
  0x00,
  0x01, // memory: min 1
  0x07,
  0x13,
  0x02, // exports: 2
  0x06,
  0x61,
  0x6e,
  0x73,
  0x77,
  0x65,
  0x72,
  0x00,
  0x00, // "answer" func 0
  0x06,
  0x6d,
  0x65,
  0x6d,
  0x6f,
  0x72,
  0x79,
  0x02,
  0x00, // "memory" memory 0
  0x0a,
  0x06,
  0x01,
  0x04,
  0x00,
  0x41,
  0x00,
  0x0b, // code: i32.const 0
]);
