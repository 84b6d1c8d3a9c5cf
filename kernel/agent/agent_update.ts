/**
 * Editing an agent: the patch is merged into its manifest and the result is
 * checked exactly as a spawn would be (tools exist, capabilities fit under
 * the parent's or `max_capabilities`, the provider can serve requests). Two
 * more rules: `version` only goes up (rollback protection), and an agent
 * cannot drop a capability one of its live children still holds. Reserved
 * values (reserved_fields.ts) the agent was stored with stay; new ones are
 * refused. The change applies from the agent's next turn.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import { missingCapabilities } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import type { AgentPatch, AgentView } from "../types.ts";
import { resolveManifest } from "./spawn_manifest.ts";
import type { AgentRegistryDeps } from "./registry.ts";

/** Applies `patch` to `agent` in one transaction, audited as `agent.update`. */
export function updateAgent(
  deps: AgentRegistryDeps,
  agent: AgentView,
  options: { patch: AgentPatch; actor?: string; internal?: boolean },
): AgentView {
  const { db, config, providers } = deps;
  if (agent.state === "killed") {
    throw new TalonError(
      "illegal_transition",
      `agent "${agent.name}" is killed and cannot be edited; spawn a new one`,
    );
  }
  const admitted = deps.manifests?.patch(agent, options.patch, {
    internal: options.internal === true,
    actor: options.actor ?? "system",
  });
  const patch = admitted ? admitted.value : options.patch;
  const merged: Record<string, unknown> = { ...agent.manifest };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  // A new provider without a new model gets that provider's default model.
  if (patch.provider !== undefined && patch.model === undefined) delete merged.model;
  if (patch.version !== undefined && compareVersions(patch.version, agent.manifest.version) < 0) {
    throw new TalonError(
      "illegal_transition",
      `version ${patch.version} is older than agent "${agent.name}"'s ${agent.manifest.version}; manifest versions only go up`,
      { fields: { version: `must not be older than ${agent.manifest.version}` } },
    );
  }
  const parent = agent.parent_id === null ? undefined : store.getAgent(db, agent.parent_id);
  const resolved = resolveManifest(merged, {
    config,
    providers,
    parent,
    toolNames: deps.toolNames,
    skills: deps.skills,
    mcpServers: deps.mcpServers,
    before: agent.manifest,
  });
  let announce: (() => void) | undefined;
  const updated = store.transaction(db, () => {
    for (const childId of store.descendantIds(db, agent.id)) {
      const child = store.getAgent(db, childId);
      if (!child || child.state === "killed" || child.parent_id !== agent.id) continue;
      const lost = missingCapabilities(resolved.capabilities, child.capabilities);
      if (lost.length > 0) {
        throw new TalonError(
          "capability_exceeded",
          `child agent "${child.name}" holds ${
            lost.join(", ")
          }, which "${agent.name}" would no longer have; kill the child or keep the capability`,
          {
            details: { missing: lost, child: child.id },
            fields: { capabilities: `child "${child.name}" holds ${lost.join(", ")}` },
          },
        );
      }
    }
    store.updateAgentManifest(db, agent.id, {
      manifest: resolved,
      provider: resolved.provider,
      model: resolved.model,
    });
    admitted?.commit();
    deps.audit.append({
      action: "agent.update",
      actor: options.actor ?? "system",
      agent_id: agent.id,
      detail: {
        fields: Object.keys(patch).sort(),
        version: resolved.version,
        provider: resolved.provider,
        model: resolved.model,
        capabilities: resolved.capabilities,
      },
    });
    const actor = options.actor ?? "system";
    announce = deps.schedules?.reconcile(agent.id, resolved, {
      actor,
      byAgent: actor.startsWith("agent:"),
    });
    return store.getAgent(db, agent.id)!;
  });
  announce?.();
  return updated;
}

/** Orders `major.minor.patch` versions; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const match = /^(\d+)\.(\d+)\.(\d+)(?:-([^+]*))?/.exec(v);
    if (!match) throw new RangeError(`"${v}" is not a semantic version`);
    return { nums: match.slice(1, 4).map(Number), pre: match[4] };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}
