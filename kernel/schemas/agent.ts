/**
 * Agents: lifecycle states and how the API shows agents (agent_manifest.ts
 * has the manifest and the spawn and edit bodies).
 *
 * @module
 */
import { z } from "zod";
import { AgentManifest } from "./agent_manifest.ts";
import { PageQuery } from "./common.ts";

/** Lifecycle states of an agent. */
export const AgentState = z.enum([
  "created",
  "running",
  "paused",
  "suspended",
  "killed",
]);
/** A lifecycle state. */
export type AgentState = z.infer<typeof AgentState>;

/** An agent as the API, CLI and dashboard see it. */
export const AgentView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  state: AgentState,
  parent_id: z.string().nullable(),
  provider: z.string(),
  model: z.string(),
  capabilities: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  last_active_at: z.string().nullable(),
  manifest: AgentManifest,
});
/** An agent record. */
export type AgentView = z.infer<typeof AgentView>;

/** Query of `GET /api/agents`. */
export const AgentListQuery = PageQuery.extend({
  state: AgentState.optional(),
  /** Text to find in names and descriptions (case-insensitive). */
  q: z.string().trim().max(200).optional(),
});
/** Agent list options. */
export type AgentListQuery = z.infer<typeof AgentListQuery>;

/** `GET /api/status`. */
export const KernelStatus = z.object({
  version: z.string(),
  started_at: z.string(),
  schema_version: z.number().int(),
  data_dir: z.string(),
  agents: z.record(AgentState, z.number().int()),
  default_provider: z.string(),
});
/** Kernel status. */
export type KernelStatus = z.infer<typeof KernelStatus>;

/** `GET /api/health` response: liveness, no internals. */
export const HealthStatus = z.object({ status: z.literal("ok") });
/** Liveness. */
export type HealthStatus = z.infer<typeof HealthStatus>;

/** `GET /api/agents` response. */
export const AgentList = z.object({ agents: z.array(AgentView) });
/** A page of agents. */
export type AgentList = z.infer<typeof AgentList>;

/** `POST /api/agents/purge` response. */
export const PurgeResult = z.object({ purged: z.number().int() });
/** How many killed agents were removed. */
export type PurgeResult = z.infer<typeof PurgeResult>;
