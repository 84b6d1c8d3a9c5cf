/**
 * Child-process probe for media_permissions_test.ts, run under the flags of
 * `deno task start` or `deno task start:hands` in a directory holding
 * `./data` (with `./data/source.mp4`). Boots the kernel, opens the URL given
 * as the first argument with `browser_open`, and cuts `source.mp4` with
 * `video_clip`; prints one JSON object: what happened to each.
 *
 * @module
 */
import { bootKernel } from "../../kernel/boot.ts";
import { createLogger } from "../../kernel/log.ts";

const [url] = Deno.args;
const report: Record<string, string> = {};
const kernel = await bootKernel({
  dataDir: "./data",
  log: createLogger("error", { sink: () => {} }),
});
try {
  report.playwright_loaded_at_boot = String(kernel.browsers.size > 0);
  const agent = kernel.agents.spawn({
    name: "probe",
    capabilities: [
      "browser_control",
      "media_process",
      "file_read",
      "file_write",
      `net_connect:${new URL(url!).host}`,
    ],
    tools: ["browser_open", "video_clip"],
  });
  await Deno.mkdir(`./data/workspaces/${agent.id}`, { recursive: true });
  await Deno.copyFile("./data/source.mp4", `./data/workspaces/${agent.id}/source.mp4`);
  const ctx = {
    agent,
    turnId: "probe",
    callId: "probe",
    signal: new AbortController().signal,
    chain: [agent.id],
  };
  for (
    const [name, args] of [
      ["browser_open", { url }],
      ["video_clip", { input: "source.mp4", clips: [{ start: 0, end: 0.5, output: "c.mp4" }] }],
    ] as const
  ) {
    const outcome = await kernel.tools.execute({ id: name, name, args }, ctx);
    report[name] = `${outcome.ok ? "ok" : outcome.error_code}: ${outcome.output}`;
  }
} finally {
  await kernel.close();
}
console.log(JSON.stringify(report));
