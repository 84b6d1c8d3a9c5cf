/**
 * Skills and tools as the API and CLI show them, and the SKILL.md front matter.
 *
 * @module
 */
import { z } from "zod";
import { Capability } from "./agent_manifest.ts";

/** Skill names: they prefix tool names (`<skill>_<export>`), so no '-'. */
export const SKILL_NAME_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/** One parameter of a skill tool, as SKILL.md declares it. */
export const SkillToolParameter = z.strictObject({
  type: z.enum(["string", "number", "integer", "boolean", "array", "object"]),
  description: z.string().max(2000).default(""),
  required: z.boolean().default(true),
});

/** The front matter of a SKILL.md. */
export const SkillManifest = z.strictObject({
  name: z.string().regex(
    SKILL_NAME_PATTERN,
    "must start with a lowercase letter and use only lowercase letters, digits or '_' (at most 32)",
  ),
  description: z.string().min(1).max(2000),
  version: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, "must be a semantic version"),
  requires: z.strictObject({
    bins: z.array(z.string().min(1).max(100)).max(32).default([]),
    env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).max(32).default([]),
  }).default({ bins: [], env: [] }),
  capabilities: z.array(Capability).max(32).default([]),
  config: z.record(
    z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
    z.strictObject({
      description: z.string().max(2000).default(""),
      default: z.string().max(10_000).optional(),
    }),
  ).default({}),
  /** SHA-256 (hex) of plugin.wasm; required when there is one. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits").optional(),
  /** Host functions the plugin may call. */
  host_functions: z.array(z.enum(["kv_get", "kv_set", "net_fetch", "log"])).default([]),
  limits: z.strictObject({
    fuel: z.number().int().positive().optional(),
    memory_pages: z.number().int().positive().max(65_536).optional(),
    timeout_ms: z.number().int().positive().max(3_600_000).optional(),
  }).default({}),
  /** Descriptions and parameters of the plugin's exports, by export name. */
  tools: z.record(
    z.string().regex(/^[a-z][a-z0-9_]{0,30}$/),
    z.strictObject({
      description: z.string().min(1).max(2000),
      parameters: z.record(z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/), SkillToolParameter)
        .default({}),
    }),
  ).default({}),
});
/** A validated SKILL.md front matter. */
export type SkillManifest = z.infer<typeof SkillManifest>;

/** A skill as the API and CLI show it. */
export const SkillView = z.object({
  name: z.string(),
  description: z.string(),
  version: z.string(),
  source: z.enum(["bundled", "installed"]),
  status: z.enum(["ready", "refused"]),
  /** Why it was refused. */
  reason: z.string().optional(),
  capabilities: z.array(z.string()),
  host_functions: z.array(z.string()),
  tools: z.array(z.string()),
  sha256: z.string().nullable(),
  requires: z.object({ bins: z.array(z.string()), env: z.array(z.string()) }),
  /** The Markdown body injected into the prompt of agents that attach the skill. */
  prompt: z.string(),
});
/** A skill view. */
export type SkillView = z.infer<typeof SkillView>;

/** `GET /api/skills`. */
export const SkillList = z.object({ skills: z.array(SkillView) });
/** A list of skills. */
export type SkillList = z.infer<typeof SkillList>;

/** `DELETE /api/skills/{name}` response. */
export const SkillRemoved = z.object({ removed: z.string() });
/** The removed skill's name. */
export type SkillRemoved = z.infer<typeof SkillRemoved>;

/** `POST /api/skills`: install the skill in a directory on the server's machine. */
export const SkillInstallBody = z.strictObject({ dir: z.string().min(1).max(4096) });

/** A tool as the API and CLI show it. */
export const ToolView = z.object({
  name: z.string(),
  description: z.string(),
  risk: z.enum(["low", "medium", "high"]),
  /** Capabilities every call needs; null when they depend on the arguments. */
  capabilities: z.array(z.string()).nullable(),
  needs_approval: z.boolean(),
  source: z.string(),
  parameters: z.record(z.string(), z.unknown()),
});
/** A tool view. */
export type ToolView = z.infer<typeof ToolView>;

/** `GET /api/tools`. */
export const ToolList = z.object({ tools: z.array(ToolView) });
/** A list of tools. */
export type ToolList = z.infer<typeof ToolList>;
