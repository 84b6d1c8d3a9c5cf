/**
 * Child-process probe for approval_crash_test.ts: boots the real kernel on
 * the data dir given as its argument, makes an agent whose `file_write` is
 * gated, sends it a message, and once the call waits on a pending approval
 * prints one JSON line `{agent, turn, approval, file}` and waits to be
 * killed (SIGKILL: no graceful shutdown).
 *
 * @module
 */
import { bootKernel } from "../../kernel/boot.ts";
import { createLogger } from "../../kernel/log.ts";

const [dataDir] = Deno.args;
const kernel = await bootKernel({
  dataDir: dataDir!,
  log: createLogger("error", { sink: () => {} }),
  env: () => undefined,
});
const script = `${dataDir}/writer.json`;
await Deno.writeTextFile(
  script,
  JSON.stringify({
    turns: [{
      match: ".",
      steps: [
        { tool_calls: [{ name: "file_write", args: { path: "out.txt", content: "x" } }] },
        { text: "done" },
      ],
    }],
  }),
);
const agent = kernel.agents.spawn({
  name: "writer",
  capabilities: ["file_write"],
  tools: ["file_write"],
  model: `script:${script}`,
});
const handle = kernel.agents.send(agent.id, "write");
for (;;) {
  const request = kernel.approvals.pendingForTurn(handle.turn_id);
  if (request) {
    console.log(JSON.stringify({
      agent: agent.id,
      turn: handle.turn_id,
      approval: request.id,
      file: `${dataDir}/workspaces/${agent.id}/out.txt`,
    }));
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
}
await new Promise(() => {});
