import assert from "node:assert/strict";
import { serveWeb } from "../../fakes/web_server.ts";
import { withKernel, writeScript } from "../fixtures.ts";
import { CHROMIUM, FFMPEG, FFPROBE, skipWithout } from "../tools/builtins/binaries.ts";
import { runsSettled } from "./hand_fixtures.ts";

Deno.test({
  name:
    "browser Hand: fills and submits a local form in Chromium; no POST before approval, one after",
  ignore: skipWithout([CHROMIUM], "apt-get install chromium"),
  fn: async () => {
    await using site = serveWeb((req) =>
      req.method === "POST"
        ? new Response("<title>Sent</title><p>Thanks, we got it.</p>", {
          headers: { "content-type": "text/html" },
        })
        : new Response(
          `<title>Status form</title><form id="status" method="post" action="/status">
<label for="team">Team</label><input id="team" name="team">
<label for="note">Note</label><textarea id="note" name="note"></textarea>
<button>Send</button></form>`,
          { headers: { "content-type": "text/html" } },
        )
    );
    const url = `${site.origin}/form`;
    await withKernel(async (kernel, dir) => {
      const call = (name: string, args: Record<string, unknown>) => ({
        tool_calls: [{ name, args }],
      });
      const script = await writeScript(dir, {
        turns: [{
          match: ".*",
          steps: [
            call("browser_open", { url }),
            call("browser_fill", { selector: "#team", value: "Platform" }),
            call("browser_fill", { selector: "#note", value: "All green this week." }),
            call("browser_submit", { selector: "#status", page_url: url }),
            call("browser_screenshot", { path: "screens/sent.png" }),
            call("report_write", {
              title: "Weekly status sent",
              body: "Filled the status form and submitted it after approval.",
              sources: [{ url }],
            }),
            { text: "done" },
          ],
        }],
      });
      const instance = kernel.hands.activate("browser", {
        settings: { task: "Send the weekly status", start_url: url, form_values: "Team: Platform" },
        model: `script:${script}`,
      });
      const approvals = kernel.bus.subscribe({ types: ["approval"] });
      const postsWhenAsked: number[] = [];
      const approving = (async () => {
        for await (const event of approvals) {
          if (event.type === "gap") continue;
          const data = event.data as { id: string; status: string; tool: string };
          if (data.status !== "pending") continue;
          assert.equal(data.tool, "browser_submit");
          postsWhenAsked.push(site.requests.filter((r) => r.method === "POST").length);
          kernel.approvals.approve(data.id, { actor: "test" });
          return;
        }
      })();
      kernel.hands.run("browser");
      const runs = await runsSettled(kernel, "browser", 1);
      await approving;
      approvals.close();
      assert.deepEqual(runs.map((r) => r.outcome), ["ok"]);
      assert.deepEqual(postsWhenAsked, [0], "no POST before the approval");
      const posts = site.requests.filter((r) => r.method === "POST");
      assert.equal(posts.length, 1, "exactly one POST after it");
      assert.equal(posts[0]!.body, "team=Platform&note=All+green+this+week.");
      const png = await Deno.readFile(`${dir}/workspaces/${instance.agent_id}/screens/sent.png`);
      assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      const [report] = kernel.reports.list({ instance: "browser" });
      assert.equal(report?.title, "Weekly status sent");
    }, { config: `[tools.web]\nallow_hosts = ["127.0.0.1:${site.port}"]\n` });
  },
});

Deno.test({
  name: "clip Hand: cuts a 1 s 64×64 testsrc video per its plan into clips ffprobe reads back",
  ignore: skipWithout([FFMPEG, FFPROBE], "apt-get install ffmpeg"),
  fn: async () => {
    await withKernel(async (kernel, dir) => {
      const script = await writeScript(dir, {
        turns: [{
          match: ".*",
          steps: [
            {
              tool_calls: [{
                name: "video_clip",
                args: {
                  input: "talk.mp4",
                  clips: [
                    { start: 0, end: 0.5, output: "clips/01-start.mp4" },
                    { start: 0.5, end: 1, output: "clips/02-end.mp4" },
                  ],
                },
              }],
            },
            { tool_calls: [{ name: "memory_store", args: { key: "clip.count", text: "2" } }] },
            {
              tool_calls: [{
                name: "report_write",
                args: { title: "Clips of talk.mp4", body: "| clip | start | end |\n|---|---|---|" },
              }],
            },
            { text: "done" },
          ],
        }],
      });
      const instance = kernel.hands.activate("clip", {
        settings: { video: "talk.mp4", brief: "two halves" },
        model: `script:${script}`,
      });
      const ws = `${dir}/workspaces/${instance.agent_id}`;
      await Deno.mkdir(ws, { recursive: true });
      const made = await new Deno.Command(FFMPEG, {
        args: ["-loglevel", "error", "-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=25"]
          .concat(["-pix_fmt", "yuv420p", `${ws}/talk.mp4`]),
        stdin: "null",
      }).output();
      assert.equal(made.code, 0, new TextDecoder().decode(made.stderr));
      kernel.hands.run("clip");
      const runs = await runsSettled(kernel, "clip", 1);
      assert.deepEqual(runs.map((r) => r.outcome), ["ok"]);
      for (const name of ["01-start.mp4", "02-end.mp4"]) {
        const out = await new Deno.Command(FFPROBE, {
          args: ["-v", "error", "-print_format", "json", "-show_streams", `${ws}/clips/${name}`],
          stdin: "null",
        }).output();
        assert.equal(out.code, 0, `${name}: ${new TextDecoder().decode(out.stderr)}`);
        const video = JSON.parse(new TextDecoder().decode(out.stdout)).streams[0];
        assert.deepEqual([video.codec_type, video.width, video.height], ["video", 64, 64], name);
      }
      const metrics = kernel.hands.instance("clip").metrics;
      assert.equal(metrics.find((m) => m.memory_key === "clip.count")?.display, "2");
      assert.equal(kernel.reports.list({ instance: "clip" }).length, 1);
    });
  },
});
