/**
 * What spawning checks before anything is written: the manifest parses, it
 * asks for nothing that is not built yet (reserved_fields.ts), its skills
 * and tools exist, its parent is alive, its capabilities fit under the
 * parent's (or `max_capabilities`), and its provider can serve requests.
 * Each refusal about one field names it in `fields` (`tools.1`,
 * `capabilities.2`, `provider`). A child's `require_approval` includes its
 * parent's. The result is the manifest as stored: provider and canonical
 * model filled in.
 *
 * @module
 */
import type { TalonConfig } from "../types.ts";
import { type FieldErrors, TalonError } from "../errors.ts";
import type { ProviderRegistry } from "../llm/mod.ts";
import { missingCapabilities } from "../security/mod.ts";
import { AgentManifest, type AgentView, parseOrRefuse } from "../types.ts";
import { assertSupported } from "./reserved_fields.ts";

/** Rethrows `error`; a `TalonError` without fields comes back with `fields`. */
function withFields(error: unknown, fields: FieldErrors): never {
  if (!(error instanceof TalonError) || error.fields) throw error;
  throw new TalonError(error.code, error.message, { cause: error, details: error.details, fields });
}

/** Runs `check`; a `TalonError` it throws without fields is rethrown naming `field`. */
function atField<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    return withFields(error, { [field]: (error as Error).message });
  }
}

/** Paths `<field>.<i>` of the entries of `list` that are in `bad`, each with `message(entry)`. */
function entryFields(
  field: string,
  list: readonly string[],
  bad: readonly string[],
  message: (entry: string) => string,
): FieldErrors {
  const fields: FieldErrors = {};
  list.forEach((entry, i) => {
    if (bad.includes(entry)) fields[`${field}.${i}`] = message(entry);
  });
  return fields;
}

/** Validates a spawn request; throws the `TalonError` that says what to fix. */
export function resolveManifest(
  input: unknown,
  deps: {
    config: TalonConfig;
    providers: ProviderRegistry;
    parent?: AgentView;
    toolNames?: { assertKnown(names: readonly string[]): void };
    skills?: { attach(names: readonly string[]): void };
    /** The configured MCP servers a manifest's `mcp_servers` may name. */
    mcpServers?: { has(name: string): boolean; list(): { name: string }[] };
    /** The agent's manifest before an edit: reserved values it already has stay allowed. */
    before?: AgentManifest;
  },
): AgentManifest & { provider: string; model: string } {
  const manifest = parseOrRefuse(AgentManifest, input, {
    code: "invalid_manifest",
    prefix: "invalid manifest",
  });
  assertSupported(manifest, deps.before);
  // Skills first: their tools (`<skill>_<export>`) may be named in `tools`.
  if (manifest.skills.length > 0) {
    const { skills } = deps;
    if (!skills) {
      throw new TalonError("invalid_manifest", "skills are not available in this kernel", {
        fields: { skills: "skills are not available in this kernel" },
      });
    }
    manifest.skills.forEach((name, i) => atField(`skills.${i}`, () => skills.attach([name])));
  }
  const unknownServers = manifest.mcp_servers.filter((n) =>
    !deps.mcpServers?.has(n) && !deps.before?.mcp_servers.includes(n)
  );
  if (unknownServers.length > 0) {
    const known = deps.mcpServers?.list().map((s) => s.name).join(", ") || "(none)";
    throw new TalonError(
      "invalid_manifest",
      `agent "${manifest.name}" names unknown MCP servers: ${
        unknownServers.join(", ")
      }; configured: ${known}`,
      {
        details: { unknown: unknownServers },
        fields: entryFields(
          "mcp_servers",
          manifest.mcp_servers,
          unknownServers,
          (n) => `unknown MCP server "${n}"; configured: ${known}`,
        ),
      },
    );
  }
  const { tools } = manifest;
  if (tools !== undefined) {
    try {
      deps.toolNames?.assertKnown(tools);
    } catch (error) {
      const unknown = error instanceof TalonError ? error.details?.unknown : undefined;
      withFields(
        error,
        Array.isArray(unknown)
          ? entryFields("tools", tools, unknown, (name) => `unknown tool "${name}"`)
          : { tools: (error as Error).message },
      );
    }
  }
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
      { fields: { parent: `"${parent.name}" is killed` } },
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
      {
        details: { missing },
        fields: entryFields(
          "capabilities",
          manifest.capabilities,
          missing,
          (c) =>
            parent
              ? `parent "${parent.name}" does not hold ${c}`
              : `${c} is beyond max_capabilities`,
        ),
      },
    );
  }
  const provider = manifest.provider ?? providers.defaultProvider.name;
  const entry = atField("provider", () => providers.assertUsable(provider));
  return {
    ...manifest,
    provider,
    model: providers.catalog.canonical(manifest.model ?? entry.default_model),
  };
}
