/**
 * What spawning checks before anything is written: the manifest parses, its
 * tools exist, its parent is alive, its capabilities fit under the parent's
 * (or `max_capabilities`), and its provider can serve requests. A child's
 * `require_approval` includes its parent's. The result
 * is the manifest as stored: provider and canonical model filled in.
 *
 * @module
 */
import type { TalonConfig } from "../types.ts";
import { TalonError } from "../errors.ts";
import type { ProviderRegistry } from "../llm/mod.ts";
import { missingCapabilities } from "../security/mod.ts";
import { AgentManifest, type AgentView, describeIssues } from "../types.ts";

/** Validates a spawn request; throws the `TalonError` that says what to fix. */
export function resolveManifest(
  input: unknown,
  deps: {
    config: TalonConfig;
    providers: ProviderRegistry;
    parent?: AgentView;
    toolNames?: { assertKnown(names: readonly string[]): void };
    skills?: { attach(names: readonly string[]): void };
  },
): AgentManifest & { provider: string; model: string } {
  const parsed = AgentManifest.safeParse(input);
  if (!parsed.success) {
    throw new TalonError(
      "invalid_manifest",
      `invalid manifest: ${describeIssues(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  const manifest = parsed.data;
  // Skills first: their tools (`<skill>_<export>`) may be named in `tools`.
  if (manifest.skills.length > 0) {
    if (!deps.skills) {
      throw new TalonError("invalid_manifest", "skills are not available in this kernel");
    }
    deps.skills.attach(manifest.skills);
  }
  if (manifest.tools !== undefined) deps.toolNames?.assertKnown(manifest.tools);
  const { parent, providers } = deps;
  // A child keeps its parent's approval gates: spawning cannot remove one.
  const gates = [
    ...new Set([
      ...(parent?.manifest.require_approval ?? []),
      ...(manifest.require_approval ?? []),
    ]),
  ];
  if (gates.length > 0) {
    deps.toolNames?.assertKnown(gates);
    manifest.require_approval = gates;
  }
  if (parent && parent.state === "killed") {
    throw new TalonError(
      "illegal_transition",
      `parent agent "${parent.name}" is killed; a killed agent cannot have new children`,
    );
  }
  const bound = parent ? parent.capabilities : deps.config.max_capabilities;
  const missing = missingCapabilities(bound, manifest.capabilities);
  if (missing.length > 0) {
    throw new TalonError(
      "capability_exceeded",
      parent
        ? `agent "${manifest.name}" asks for ${
          missing.join(", ")
        }, which its parent "${parent.name}" does not hold; a child gets a subset of its parent's capabilities`
        : `agent "${manifest.name}" asks for ${
          missing.join(", ")
        }, beyond max_capabilities in the config; remove them or raise max_capabilities`,
      { details: { missing } },
    );
  }
  const provider = manifest.provider ?? providers.defaultProvider.name;
  const entry = providers.assertUsable(provider);
  return {
    ...manifest,
    provider,
    model: providers.catalog.canonical(manifest.model ?? entry.default_model),
  };
}
