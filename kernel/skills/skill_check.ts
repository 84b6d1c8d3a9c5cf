/**
 * Verifies a skill package before anything of it is used: SKILL.md parses,
 * the plugin's SHA-256 matches the manifest, no prompt-injection text, no
 * over-broad capability, and the plugin is fuel-instrumented, imports only
 * Extism's runtime and known host functions, and gets its memory capped.
 * Every failure is a `skill_refused` error naming the reason.
 *
 * @module
 */
import { isTalonError, TalonError } from "../errors.ts";
import {
  capMemory,
  exportedFunctions,
  HOST_FUNCTIONS,
  HOST_NAMESPACE,
  importedFunctions,
  isFuelInstrumented,
} from "../sandbox/mod.ts";
import type { SkillManifest } from "../types.ts";
import { parseSkillMd } from "./skill_md.ts";
import { scanForInjection, sha256Hex as digestHex } from "../security/mod.ts";
import { overbroadCapabilities, skillTexts } from "./skill_scan.ts";

/** The files of one skill. */
export interface SkillPackage {
  skillMd: string;
  /** SKILL.md's front matter already parsed (bundled skills: at build time). */
  frontMatter?: unknown;
  wasm?: Uint8Array<ArrayBuffer>;
  source: "bundled" | "installed";
  /** Where it came from, for messages. */
  where: string;
}

/** A skill that passed every check. */
export interface VerifiedSkill {
  manifest: SkillManifest;
  body: string;
  source: "bundled" | "installed";
  sha256: string | null;
  /** The plugin, compiled with its memory capped, when there is one. */
  plugin?: { module: WebAssembly.Module; exports: string[]; maxPages: number };
}

/** SHA-256 (hex) of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return digestHex(bytes);
}

/** Checks a package; throws `skill_refused` (or `invalid_manifest` for bad SKILL.md). */
export function verifySkill(
  pkg: SkillPackage,
  limits: { maxMemoryPages: number; defaultMemoryPages: number; uninstrumented?: boolean },
): VerifiedSkill {
  const { manifest, body } = parseSkillMd(pkg.skillMd, `${pkg.where}/SKILL.md`, {
    frontMatter: pkg.frontMatter,
  });
  const refused = (reason: string): TalonError =>
    new TalonError("skill_refused", `skill "${manifest.name}" refused: ${reason}`, {
      details: { skill: manifest.name, reason },
    });
  const injection = scanForInjection(skillTexts(manifest, body).join("\n\n"));
  if (injection.flagged) {
    throw refused(
      `its text looks like prompt injection (${injection.families.join(", ")}: ${
        injection.rules.join(", ")
      })`,
    );
  }
  const broad = overbroadCapabilities(manifest);
  if (broad.length > 0) {
    throw refused(`over-broad capabilities ${broad.join(", ")}; name the hosts or keys it needs`);
  }
  if (manifest.host_functions.includes("net_fetch")) {
    if (!manifest.capabilities.some((c) => c.startsWith("net_connect:"))) {
      throw refused("it is granted net_fetch but names no net_connect:<host> capability");
    }
  }
  if (!pkg.wasm) {
    if (manifest.sha256 !== undefined) {
      throw refused("its manifest has a sha256 but there is no plugin.wasm");
    }
    return { manifest, body, source: pkg.source, sha256: null };
  }
  const actual = sha256Hex(pkg.wasm);
  if (manifest.sha256 === undefined) {
    throw refused("it has a plugin.wasm but no sha256 in SKILL.md");
  }
  if (manifest.sha256 !== actual) {
    throw refused(`plugin.wasm has SHA-256 ${actual}, but SKILL.md says ${manifest.sha256}`);
  }
  const maxPages = Math.min(
    manifest.limits.memory_pages ?? limits.defaultMemoryPages,
    limits.maxMemoryPages,
  );
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(capMemory(pkg.wasm, maxPages));
  } catch (cause) {
    if (isTalonError(cause)) throw refused(cause.message);
    throw refused(`plugin.wasm is not a valid WebAssembly module: ${(cause as Error).message}`);
  }
  if (!isFuelInstrumented(module) && !limits.uninstrumented) {
    throw refused("plugin.wasm is not fuel-instrumented; install it with `talon skill install`");
  }
  const known = new Set<string>(HOST_FUNCTIONS.map((f) => `${HOST_NAMESPACE}/${f}`));
  const foreign = importedFunctions(module).filter((i) =>
    !i.startsWith("extism:host/env/") && !known.has(i)
  );
  if (foreign.length > 0) {
    throw refused(`plugin.wasm imports functions Talon does not provide: ${foreign.join(", ")}`);
  }
  const exports = exportedFunctions(module).filter((e) => /^[a-z][a-z0-9_]{0,30}$/.test(e));
  const missing = Object.keys(manifest.tools).filter((t) => !exports.includes(t));
  if (missing.length > 0) {
    throw refused(`SKILL.md describes exports the plugin lacks: ${missing.join(", ")}`);
  }
  if (exports.length === 0) throw refused("plugin.wasm exports no function");
  return {
    manifest,
    body,
    source: pkg.source,
    sha256: actual,
    plugin: { module, exports, maxPages },
  };
}
