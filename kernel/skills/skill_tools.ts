/**
 * A plugin's exports as tools named `<skill>_<export>`: JSON in (validated
 * by the parameters SKILL.md declares, or any object), JSON out. Each call
 * runs in a sandbox Worker under the skill's fuel, memory and wall-clock
 * limits, and carries the skill manifest's capabilities through the tool
 * registry's checks. A plugin failure is a tool error saying what happened.
 *
 * @module
 */
import { z } from "zod";
import type { Logger } from "../log.ts";
import { capabilityCovers } from "../security/mod.ts";
import {
  type HostFunctionName,
  type HostHandler,
  WORKER_START_MS,
  type WorkerPool,
} from "../sandbox/mod.ts";
import { defineTool, type Tool } from "../tools/mod.ts";
import type { SkillManifest } from "../types.ts";
import type { FetchGuarded, SkillKvStore } from "./ports.ts";
import type { VerifiedSkill } from "./skill_check.ts";

/** What skill tools need to run. */
export interface SkillToolDeps {
  pool: WorkerPool;
  kv: SkillKvStore;
  fetchGuarded?: FetchGuarded;
  log: Logger;
  limits: { fuel: number; maxFuel: number; timeoutMs: number };
}

/** The tools of a verified skill (none for a prompt-only skill). */
export function skillTools(skill: VerifiedSkill, deps: SkillToolDeps): Tool[] {
  const plugin = skill.plugin;
  if (!plugin) return [];
  const { manifest } = skill;
  const fuel = BigInt(Math.min(manifest.limits.fuel ?? deps.limits.fuel, deps.limits.maxFuel));
  const timeoutMs = manifest.limits.timeout_ms ?? deps.limits.timeoutMs;
  return plugin.exports.map((name) => {
    const doc = manifest.tools[name];
    return defineTool({
      name: `${manifest.name}_${name}`,
      description: doc?.description ??
        `${name} of skill ${manifest.name} (${manifest.description}); JSON object in, JSON out`,
      input: doc ? inputSchema(doc.parameters) : z.record(z.string(), z.unknown()),
      capabilities: manifest.capabilities,
      risk: manifest.capabilities.length > 0 || manifest.host_functions.includes("net_fetch")
        ? "medium"
        : "low",
      // The registry's own limit stays above the watchdog's, so the watchdog reports first.
      // The watchdog starts once the Worker has loaded, and loading has its own limit
      // (slow on a busy machine), so the registry allows for both, one after the other.
      timeoutMs: WORKER_START_MS + timeoutMs + 2000,
      // What a plugin fetched comes back in its result: outside content.
      ...(manifest.host_functions.includes("net_fetch")
        ? { outsideContent: () => ({ label: `skill ${manifest.name} (net_fetch)` }) }
        : {}),
      handler: async (args, ctx) => {
        const result = await deps.pool.run(plugin.module, {
          export: name,
          input: JSON.stringify(args),
          fuel,
          grants: manifest.host_functions,
          maxPages: plugin.maxPages,
        }, { timeoutMs, signal: ctx.signal, host: hostHandler(manifest, deps, ctx.signal) });
        deps.log.debug("skill call", {
          skill: manifest.name,
          export: name,
          ok: result.ok,
          fuel_used: String(result.fuel_used),
        });
        if (!result.ok) {
          throw new Error(`skill ${manifest.name} (${name}) ${result.kind}: ${result.message}`);
        }
        return result.output;
      },
    });
  });
}

function inputSchema(
  parameters: SkillManifest["tools"][string]["parameters"],
): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, p] of Object.entries(parameters)) {
    const base = p.type === "string"
      ? z.string()
      : p.type === "number"
      ? z.number()
      : p.type === "integer"
      ? z.number().int()
      : p.type === "boolean"
      ? z.boolean()
      : p.type === "array"
      ? z.array(z.unknown())
      : z.record(z.string(), z.unknown());
    const described = p.description ? base.describe(p.description) : base;
    shape[key] = p.required ? described : described.optional();
  }
  return z.strictObject(shape);
}

const NetFetchRequest = z.strictObject({
  url: z.url(),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]).default("GET"),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
});

function hostHandler(
  manifest: SkillManifest,
  deps: SkillToolDeps,
  signal: AbortSignal,
): HostHandler {
  return async (fn: HostFunctionName, args: string[]): Promise<string | null> => {
    switch (fn) {
      case "kv_get":
        return deps.kv.get(manifest.name, args[0] ?? "") ?? null;
      case "kv_set":
        deps.kv.set(manifest.name, args[0] ?? "", args[1] ?? "");
        return null;
      case "log":
        deps.log.info("skill log", { skill: manifest.name, level: args[0], message: args[1] });
        return null;
      case "net_fetch": {
        let request;
        try {
          request = NetFetchRequest.parse(JSON.parse(args[0] ?? ""));
        } catch {
          throw new Error('net_fetch takes JSON {"url", "method"?, "headers"?, "body"?}');
        }
        const url = new URL(request.url);
        const allowed = manifest.capabilities.some((c) =>
          c.startsWith("net_connect:") && capabilityCovers(c, `net_connect:${url.host}`)
        );
        if (!allowed) {
          throw new Error(`net_fetch: ${url.host} is not among the skill's net_connect hosts`);
        }
        if (!deps.fetchGuarded) {
          throw new Error("net_fetch is unavailable: no guarded network access is configured");
        }
        const response = await deps.fetchGuarded(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal,
        });
        return JSON.stringify(response);
      }
    }
  };
}
