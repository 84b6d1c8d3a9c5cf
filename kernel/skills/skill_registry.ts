/**
 * The skill registry: bundled skills (embedded in the binary) and installed
 * ones (`<data-dir>/skills/<name>/`). A skill is loaded on first need — an
 * agent attaching it, a listing, an install — and every load is checked
 * (`skill_check.ts`) and its decision written to the audit chain; a refused
 * skill stays listed with its reason and cannot be attached. A loaded
 * skill's plugin exports are registered as tools `<skill>_<export>`; its
 * Markdown body goes into the system prompt of agents that attach it.
 *
 * @module
 */
import { isTalonError, TalonError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { instrumentFuel, isFuelInstrumented, WorkerPool } from "../sandbox/mod.ts";
import type { AuditChain } from "../security/mod.ts";
import type { Tool, ToolRegistry } from "../tools/mod.ts";
import type { SkillView } from "../types.ts";
import { SKILL_NAME_PATTERN } from "../types.ts";
import { BUNDLED_SKILLS } from "./bundled.ts";
import type { FetchGuarded, SkillKvStore } from "./ports.ts";
import { sha256Hex, type SkillPackage, type VerifiedSkill, verifySkill } from "./skill_check.ts";
import { loadSkillParser, parseSkillMd, setSkillSha256 } from "./skill_md.ts";
import { skillTools } from "./skill_tools.ts";

/** Limits of the sandbox (`[sandbox]` in the config). */
export interface SandboxLimits {
  workers: number;
  timeout_ms: number;
  fuel: number;
  max_fuel: number;
  memory_pages: number;
  max_memory_pages: number;
  host_reply_bytes: number;
}

/** What the registry needs. */
export interface SkillRegistryDeps {
  /** `<data-dir>/skills`. */
  dir: string;
  tools: ToolRegistry;
  audit: Pick<AuditChain, "append">;
  kv: SkillKvStore;
  log: Logger;
  limits: SandboxLimits;
  /** Network access for `net_fetch`, through the SSRF guard; unset means none. */
  fetchGuarded?: FetchGuarded;
  /** Skills in place of the bundled ones (tests). */
  bundled?: readonly SkillPackage[];
}

type Entry =
  | { status: "ready"; skill: VerifiedSkill; tools: Tool[] }
  | { status: "refused"; pkg: SkillPackage; reason: string };

/** Bundled and installed skills, loaded on first need. */
export class SkillRegistry {
  readonly #deps: SkillRegistryDeps;
  readonly #loaded = new Map<string, Entry>();
  readonly pool: WorkerPool;

  constructor(deps: SkillRegistryDeps) {
    this.#deps = deps;
    this.pool = new WorkerPool({
      maxWorkers: deps.limits.workers,
      hostReplyBytes: deps.limits.host_reply_bytes,
      log: deps.log,
    });
  }

  /** Every skill, bundled first, each loaded (and audited) if it was not yet. */
  list(): SkillView[] {
    const names = [...this.#bundled().map((p) => nameOf(p)), ...this.#installedNames()];
    return [...new Set(names)].map((name) => viewOf(this.#load(name)));
  }

  /** One skill; `not_found` when there is none by that name. */
  get(name: string): SkillView {
    return viewOf(this.#load(name));
  }

  /**
   * Loads the named skills for an agent that attaches them; throws
   * `invalid_manifest` for an unknown one and `skill_refused` for a refused one.
   */
  attach(names: readonly string[]): void {
    for (const name of new Set(names)) {
      let entry: Entry;
      try {
        entry = this.#load(name);
      } catch (error) {
        if (isTalonError(error, "not_found")) {
          throw new TalonError("invalid_manifest", `${error.message}; install it first`);
        }
        throw error;
      }
      if (entry.status === "refused") {
        throw new TalonError("skill_refused", `skill "${name}" was refused: ${entry.reason}`);
      }
    }
  }

  /** Tool names of the attached skills that are loaded. */
  toolNamesFor(names: readonly string[]): string[] {
    return names.flatMap((n) => {
      const entry = this.#loaded.get(n);
      return entry?.status === "ready" ? entry.tools.map((t) => t.name) : [];
    });
  }

  /** The prompt text of the attached skills that are loaded, or "" when none. */
  promptFor(names: readonly string[]): string {
    const parts = names.flatMap((n) => {
      const entry = this.#loaded.get(n);
      if (entry?.status !== "ready" || entry.skill.body === "") return [];
      return [`## Skill: ${n}\n\n${entry.skill.body}`];
    });
    return parts.join("\n\n");
  }

  /**
   * Installs the skill in `dir` (SKILL.md, optional plugin.wasm) into the
   * data dir: checked like any load, its plugin instrumented for fuel when it
   * is not yet. A refusal is audited and thrown; nothing is written.
   */
  async install(dir: string, actor: string): Promise<SkillView> {
    await loadSkillParser();
    const pkg = readPackage(dir, "installed");
    const name = nameOf(pkg);
    if (this.#bundled().some((p) => nameOf(p) === name)) {
      throw new TalonError("name_taken", `"${name}" is a bundled skill; pick another name`);
    }
    if (this.#installedNames().includes(name)) {
      throw new TalonError(
        "name_taken",
        `skill "${name}" is already installed; remove it first (talon skill remove ${name})`,
      );
    }
    let verified: VerifiedSkill;
    const original = pkg.wasm ? sha256Hex(pkg.wasm) : null;
    try {
      verifySkill(pkg, { ...this.#memoryLimits(), uninstrumented: true });
      if (pkg.wasm && !isFuelInstrumented(new WebAssembly.Module(pkg.wasm))) {
        pkg.wasm = await instrumentFuel(pkg.wasm);
        pkg.skillMd = setSkillSha256(pkg.skillMd, sha256Hex(pkg.wasm));
      }
      verified = verifySkill(pkg, this.#memoryLimits());
    } catch (error) {
      this.#audit(name, "skill.install", actor, { decision: "refused", reason: reasonOf(error) });
      throw error;
    }
    const target = `${this.#deps.dir}/${name}`;
    await Deno.mkdir(target, { recursive: true, mode: 0o700 });
    await Deno.writeTextFile(`${target}/SKILL.md`, pkg.skillMd);
    if (pkg.wasm) await Deno.writeFile(`${target}/plugin.wasm`, pkg.wasm);
    this.#audit(name, "skill.install", actor, {
      decision: "allowed",
      version: verified.manifest.version,
      sha256: verified.sha256,
      original_sha256: original,
    });
    this.#loaded.delete(name);
    return viewOf(this.#load(name));
  }

  /** Removes an installed skill, its tools and its stored keys. */
  async remove(name: string, actor: string): Promise<void> {
    if (this.#bundled().some((p) => nameOf(p) === name)) {
      throw new TalonError("invalid_input", `"${name}" is a bundled skill and cannot be removed`);
    }
    if (!this.#installedNames().includes(name)) {
      throw new TalonError("not_found", `no installed skill named "${name}"`);
    }
    const entry = this.#loaded.get(name);
    if (entry?.status === "ready") {
      for (const t of entry.tools) this.#deps.tools.unregister(t.name);
    }
    this.#loaded.delete(name);
    await Deno.remove(`${this.#deps.dir}/${name}`, { recursive: true });
    const keys = this.#deps.kv.clear(name);
    this.#audit(name, "skill.remove", actor, { keys_removed: keys });
  }

  /**
   * Loads what reading the installed skills needs (the YAML parser), when
   * there are any: the kernel awaits this at boot, so bundled-only data dirs
   * never load it.
   */
  async preload(): Promise<void> {
    if (this.#installedNames().length > 0) await loadSkillParser();
  }

  /** Terminates the sandbox Workers. */
  close(): void {
    this.pool.close();
  }

  #load(name: string): Entry {
    const cached = this.#loaded.get(name);
    if (cached) return cached;
    const pkg = this.#package(name);
    let entry: Entry;
    try {
      const skill = verifySkill(pkg, this.#memoryLimits());
      if (skill.manifest.name !== name) {
        throw new TalonError(
          "skill_refused",
          `skill folder "${name}" holds a SKILL.md named "${skill.manifest.name}"`,
        );
      }
      const tools = skillTools(skill, {
        pool: this.pool,
        kv: this.#deps.kv,
        fetchGuarded: this.#deps.fetchGuarded,
        log: this.#deps.log,
        limits: {
          fuel: this.#deps.limits.fuel,
          maxFuel: this.#deps.limits.max_fuel,
          timeoutMs: this.#deps.limits.timeout_ms,
        },
      });
      entry = { status: "ready", skill, tools };
    } catch (error) {
      if (!isTalonError(error, "skill_refused") && !isTalonError(error, "invalid_manifest")) {
        throw error;
      }
      entry = { status: "refused", pkg, reason: reasonOf(error) };
    }
    this.#audit(name, "skill.load", "kernel", {
      source: pkg.source,
      decision: entry.status === "ready" ? "allowed" : "refused",
      sha256: entry.status === "ready" ? entry.skill.sha256 : null,
      ...(entry.status === "refused" ? { reason: entry.reason } : {}),
    });
    if (entry.status === "ready") { for (const t of entry.tools) this.#deps.tools.register(t); }
    this.#loaded.set(name, entry);
    return entry;
  }

  #package(name: string): SkillPackage {
    const bundled = this.#bundled().find((p) => nameOf(p) === name);
    if (bundled) return bundled;
    if (SKILL_NAME_PATTERN.test(name) && this.#installedNames().includes(name)) {
      return readPackage(`${this.#deps.dir}/${name}`, "installed");
    }
    throw new TalonError("not_found", `no skill named "${name}"`);
  }

  #bundled(): readonly SkillPackage[] {
    return this.#deps.bundled ?? BUNDLED_SKILLS;
  }

  #installedNames(): string[] {
    const names: string[] = [];
    try {
      for (const e of Deno.readDirSync(this.#deps.dir)) {
        if (e.isDirectory && SKILL_NAME_PATTERN.test(e.name)) names.push(e.name);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return names.sort();
  }

  #memoryLimits(): { maxMemoryPages: number; defaultMemoryPages: number } {
    return {
      maxMemoryPages: this.#deps.limits.max_memory_pages,
      defaultMemoryPages: this.#deps.limits.memory_pages,
    };
  }

  #audit(
    name: string,
    action: "skill.load" | "skill.install" | "skill.remove",
    actor: string,
    detail: Record<string, unknown>,
  ): void {
    this.#deps.audit.append({ action, actor, detail: { skill: name, ...detail } });
  }
}

/** Reads SKILL.md and plugin.wasm (if any) from a folder. */
function readPackage(dir: string, source: "bundled" | "installed"): SkillPackage {
  let skillMd: string;
  try {
    skillMd = Deno.readTextFileSync(`${dir}/SKILL.md`);
  } catch (cause) {
    throw new TalonError(
      "invalid_input",
      `cannot read ${dir}/SKILL.md: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  let wasm: Uint8Array<ArrayBuffer> | undefined;
  try {
    wasm = Deno.readFileSync(`${dir}/plugin.wasm`);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return { skillMd, wasm, source, where: dir };
}

function nameOf(pkg: SkillPackage): string {
  return parseSkillMd(pkg.skillMd, pkg.where, { frontMatter: pkg.frontMatter }).manifest.name;
}

function reasonOf(error: unknown): string {
  if (isTalonError(error) && typeof error.details?.reason === "string") return error.details.reason;
  return error instanceof Error ? error.message : String(error);
}

function viewOf(entry: Entry): SkillView {
  if (entry.status === "ready") {
    const { manifest, body, source, sha256 } = entry.skill;
    return {
      name: manifest.name,
      description: manifest.description,
      version: manifest.version,
      source,
      status: "ready",
      capabilities: manifest.capabilities,
      host_functions: manifest.host_functions,
      tools: entry.tools.map((t) => t.name),
      sha256,
      requires: manifest.requires,
      prompt: body,
    };
  }
  let doc: ReturnType<typeof parseSkillMd> | undefined;
  try {
    doc = parseSkillMd(entry.pkg.skillMd, entry.pkg.where, { frontMatter: entry.pkg.frontMatter });
  } catch {
    doc = undefined;
  }
  return {
    name: doc?.manifest.name ?? entry.pkg.where.split("/").pop() ?? "?",
    description: doc?.manifest.description ?? "",
    version: doc?.manifest.version ?? "",
    source: entry.pkg.source,
    status: "refused",
    reason: entry.reason,
    capabilities: doc?.manifest.capabilities ?? [],
    host_functions: doc?.manifest.host_functions ?? [],
    tools: [],
    sha256: entry.pkg.wasm ? sha256Hex(entry.pkg.wasm) : null,
    requires: doc?.manifest.requires ?? { bins: [], env: [] },
    prompt: "",
  };
}
