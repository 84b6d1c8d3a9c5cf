/**
 * Helpers for tool tests: reading the kernel's audit chain, and a way to
 * make a real agent of a real kernel call tools through an offline script.
 *
 * @module
 */
import type { Kernel } from "../../../kernel/kernel.ts";
import type { AuditRecord } from "../../../kernel/tools/mod.ts";
import type { AgentManifestInput, TalonEvent, TurnResult } from "../../../kernel/types.ts";
import { collect, settle, writeScript } from "../fixtures.ts";

/** The kernel's audit entries (optionally of one action), oldest first. */
export function auditOf(kernel: Kernel, action?: string): AuditRecord[] {
  return kernel.audit.list({ limit: 500, ...(action ? { action: action as never } : {}) })
    .entries.reverse()
    .map((e) => ({ action: e.action, actor: e.actor, agent_id: e.agent_id, detail: e.detail }));
}

/** A scripted tool call. */
export interface ScriptedCall {
  name: string;
  args?: Record<string, unknown>;
}

/** What one scripted turn did. */
export interface ToolTurn {
  result: TurnResult;
  /** `tool_end` events of the turn, in call order. */
  ends: TalonEvent<"tool_end">[];
  agentId: string;
}

let scripts = 0;

/**
 * Spawns an agent (manifest `manifest`, name `caller` unless given) whose
 * offline script makes `calls` in one step and then answers "done", sends it
 * a message and returns the turn's result and tool outputs.
 */
export async function callTools(
  kernel: Kernel,
  dir: string,
  options: {
    calls: ScriptedCall[];
    manifest?: Partial<AgentManifestInput>;
    /** Runs after the spawn, before the message (e.g. to fill the workspace). */
    before?: (agentId: string) => Promise<void> | void;
  },
): Promise<ToolTurn> {
  const script = await writeScript(dir, {
    turns: [{
      match: ".",
      steps: [
        { tool_calls: options.calls.map((c) => ({ name: c.name, args: c.args ?? {} })) },
        { text: "done" },
      ],
    }],
  }, `tools-${++scripts}.json`);
  const agent = kernel.agents.spawn({
    name: "caller",
    ...options.manifest,
    model: `script:${script}`,
  });
  await options.before?.(agent.id);
  const handle = kernel.agents.send(agent.id, "go");
  // A guard against a hung turn, not a timing: a loaded 2-core box can take seconds here.
  const events = await settle(collect(handle.events()), "turn events", 60_000);
  const result = await handle.result;
  // tool_end events arrive as calls finish; list them in the order the model asked.
  const order = events.filter((e) => e.type === "tool_start")
    .map((e) => (e as TalonEvent<"tool_start">).data.call_id);
  const ends = (events.filter((e) => e.type === "tool_end") as TalonEvent<"tool_end">[])
    .sort((a, b) => order.indexOf(a.data.call_id) - order.indexOf(b.data.call_id));
  return { result, ends, agentId: agent.id };
}

/** The `tool.call` audit details, oldest first. */
export function toolCalls(kernel: Kernel): Record<string, unknown>[] {
  return auditOf(kernel, "tool.call").map((r) => r.detail ?? {});
}
