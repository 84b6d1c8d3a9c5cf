/**
 * What the spawn form offers, read from the kernel on the server: provider
 * entries and catalog models (as `GET /api/providers` and `/api/models`
 * list them), the capability vocabulary against `max_capabilities`, the
 * built-in and MCP tools (`GET /api/tools`) and the skills
 * (`GET /api/skills`).
 *
 * @module
 */
import type { Kernel } from "../../kernel/mod.ts";
import { missingCapabilities } from "../../kernel/security/mod.ts";
import { PLAIN_CAPABILITIES, type SpawnCatalog } from "../../kernel/types.ts";

/** The spawn form's choices for `kernel`. */
export function spawnCatalogOf(kernel: Kernel): SpawnCatalog {
  const max = kernel.config.max_capabilities;
  return {
    providers: kernel.providers.list().filter((p) => p.supported).map((p) => ({
      name: p.name,
      kind: p.kind,
      default_model: p.default_model,
      configured: p.configured,
      default: p.default,
    })),
    models: kernel.providers.catalog.list().map((m) => ({ id: m.id, provider: m.provider })),
    capabilities: PLAIN_CAPABILITIES.map((name) => ({
      name,
      allowed: missingCapabilities(max, [name]).length === 0,
    })),
    netGrants: max.filter((c) => c.startsWith("net_connect:")),
    envGrants: max.filter((c) => c.startsWith("env_read:")),
    tools: kernel.toolViews().filter((t) => t.source !== "skill").map((t) => ({
      name: t.name,
      description: t.description,
      risk: t.risk,
      capabilities: t.capabilities,
    })),
    skills: kernel.skills.list().map((s) => ({
      name: s.name,
      description: s.description,
      ready: s.status === "ready",
      reason: s.reason,
    })),
  } satisfies SpawnCatalog;
}
