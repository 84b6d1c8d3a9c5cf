/**
 * Skills: SKILL.md manifests and prompts, the checks every load passes, the
 * bundled skills, and the registry that turns plugin exports into tools.
 *
 * @module
 */
export { BUNDLED_SKILLS } from "./bundled.ts";
export type {
  FetchGuarded,
  GuardedFetchOptions,
  GuardedFetchResponse,
  SkillKvStore,
} from "./ports.ts";
export { sha256Hex, type SkillPackage, type VerifiedSkill, verifySkill } from "./skill_check.ts";
export { parseSkillMd, setSkillSha256, type SkillDocument } from "./skill_md.ts";
export { OVERBROAD_CAPABILITIES, overbroadCapabilities, skillTexts } from "./skill_scan.ts";
export { type SandboxLimits, SkillRegistry, type SkillRegistryDeps } from "./skill_registry.ts";
export { type SkillToolDeps, skillTools } from "./skill_tools.ts";
