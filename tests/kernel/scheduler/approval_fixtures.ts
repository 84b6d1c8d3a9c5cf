/**
 * Helpers for approval tests: an agent whose offline script calls
 * `file_write` once and then answers, and a way to wait until its call is
 * parked on a pending approval request.
 *
 * @module
 */
import type { Kernel } from "../../../kernel/kernel.ts";
import type { TurnHandle } from "../../../kernel/agent/mod.ts";
import type { AgentManifestInput, ApprovalView } from "../../../kernel/types.ts";
import { settle, writeScript } from "../fixtures.ts";

/** `[approvals] require = ["file_write"]`, plus `extra` lines. */
export function gatedConfig(extra = ""): string {
  return `max_capabilities = ["file_write", "file_read", "agent_message", "shell_exec"]\n[approvals]\nrequire = ["file_write"]\n${extra}`;
}

let scripts = 0;

/** A spawned agent whose script calls `file_write` of `out.txt` and then says "done". */
export async function spawnWriter(
  kernel: Kernel,
  dir: string,
  manifest: Partial<AgentManifestInput> = {},
): Promise<{ id: string; name: string; file: string }> {
  const script = await writeScript(dir, {
    turns: [{
      match: ".",
      steps: [
        { tool_calls: [{ name: "file_write", args: { path: "out.txt", content: "approved!" } }] },
        { text: "done" },
      ],
    }],
  }, `writer-${++scripts}.json`);
  const agent = kernel.agents.spawn({
    name: "writer",
    capabilities: ["file_write"],
    tools: ["file_write"],
    ...manifest,
    model: `script:${script}`,
  });
  return { id: agent.id, name: agent.name, file: `${dir}/workspaces/${agent.id}/out.txt` };
}

/** Polls (every 10 ms, up to 30 s: a hang guard) until `turnId` has a pending request; returns it. */
export async function pendingOf(kernel: Kernel, turnId: string): Promise<ApprovalView> {
  const found = await settle(
    (async () => {
      for (;;) {
        const request = kernel.approvals.pendingForTurn(turnId);
        if (request) return request;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })(),
    `a pending approval of turn ${turnId}`,
    30_000,
  );
  return found;
}

/** Sends the writer a message and waits until its `file_write` waits for approval. */
export async function sendAndPark(
  kernel: Kernel,
  agentId: string,
): Promise<{ handle: TurnHandle; request: ApprovalView }> {
  const handle = kernel.agents.send(agentId, "write the file");
  return { handle, request: await pendingOf(kernel, handle.turn_id) };
}

/** True when `path` exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
