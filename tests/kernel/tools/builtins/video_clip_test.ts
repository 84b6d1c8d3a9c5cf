import assert from "node:assert/strict";
import { clipArgs, videoClipTool } from "../../../../kernel/tools/mod.ts";
import { withKernel } from "../../fixtures.ts";
import { auditOf, callTools } from "../fixtures.ts";
import { FFMPEG, FFPROBE, skipWithout } from "./binaries.ts";

const ignore = skipWithout([FFMPEG, FFPROBE], "apt-get install ffmpeg");

/** Makes a 1 s 64×64 testsrc video at `path` with ffmpeg. */
async function makeTestVideo(path: string): Promise<void> {
  const out = await new Deno.Command(FFMPEG, {
    args: [
      "-hide_banner",
      "-loglevel",
      "error",
      "-f",
      "lavfi",
      "-i",
      "testsrc=duration=1:size=64x64:rate=25",
      "-pix_fmt",
      "yuv420p",
      path,
    ],
    stdin: "null",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

/** ffprobe's view of a file: its format's duration and its first video stream's size. */
async function probe(path: string): Promise<{ duration: number; width: number; height: number }> {
  const out = await new Deno.Command(FFPROBE, {
    args: ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
    stdin: "null",
  }).output();
  assert.equal(out.code, 0, `ffprobe ${path}: ${new TextDecoder().decode(out.stderr)}`);
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  const video = info.streams.find((s: { codec_type: string }) => s.codec_type === "video");
  return { duration: Number(info.format.duration), width: video.width, height: video.height };
}

const VIDEO_CAPS = ["media_process", "file_read", "file_write"];

Deno.test("video_clip refuses bad plans before running anything", () => {
  const tool = videoClipTool({ workspaces: "/nonexistent", ffmpeg: FFMPEG, timeoutMs: 1000 });
  const bad = [
    {},
    { input: "in.mp4", clips: [] },
    { input: "in.mp4", clips: [{ start: 0.5, end: 0.2, output: "a.mp4" }] },
    { input: "in.mp4", clips: [{ start: -1, end: 1, output: "a.mp4" }] },
    { input: "in.mp4", clips: [{ start: 0, end: 1, output: "a.exe" }] },
    {
      input: "in.mp4",
      clips: [{ start: 0, end: 1, output: "a.mp4" }, { start: 0, end: 1, output: "a.mp4" }],
    },
    { input: "in.mp4", clips: [{ start: "0", end: 1, output: "a.mp4" }] },
  ];
  for (const input of bad) {
    assert.equal(tool.input.safeParse(input).success, false, JSON.stringify(input));
  }
  assert.deepEqual(tool.capabilities, VIDEO_CAPS);
});

Deno.test("clipArgs() gives ffmpeg local files only, a start, a duration and no prompt", () => {
  const args = clipArgs({ input: "/ws/in.mp4", output: "/ws/out.mp4", start: 0.25, end: 0.75 });
  assert.deepEqual(
    args.slice(args.indexOf("-protocol_whitelist"), args.indexOf("-protocol_whitelist") + 2),
    ["-protocol_whitelist", "file"],
  );
  assert.ok(args.includes("-nostdin"));
  assert.equal(args[args.indexOf("-ss") + 1], "0.25");
  assert.equal(args[args.indexOf("-t") + 1], "0.5");
  assert.equal(args[args.indexOf("-i") + 1], "file:/ws/in.mp4");
  assert.equal(args.at(-1), "file:/ws/out.mp4");
});

Deno.test("video_clip needs media_process (and file access) to run", async () => {
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: { tools: ["video_clip"], capabilities: ["file_read", "file_write"] },
      calls: [{
        name: "video_clip",
        args: { input: "in.mp4", clips: [{ start: 0, end: 0.5, output: "a.mp4" }] },
      }],
    });
    assert.equal(ends[0]!.data.ok, false);
    assert.match(ends[0]!.data.output, /media_process/);
    assert.equal(auditOf(kernel, "capability.denied").at(-1)?.detail?.tool, "video_clip");
  });
});

Deno.test({
  name: "video_clip cuts a 1 s 64×64 testsrc video into clips ffprobe reads back",
  ignore,
  fn: async () => {
    await withKernel(async (kernel, dir) => {
      const { ends, agentId } = await callTools(kernel, dir, {
        manifest: { tools: ["video_clip"], capabilities: VIDEO_CAPS },
        before: async (id) => {
          await Deno.mkdir(`${dir}/workspaces/${id}`, { recursive: true });
          await makeTestVideo(`${dir}/workspaces/${id}/source.mp4`);
        },
        calls: [{
          name: "video_clip",
          args: {
            input: "source.mp4",
            clips: [
              { start: 0, end: 0.4, output: "clips/first.mp4" },
              { start: 0.5, end: 1, output: "clips/second.mkv" },
            ],
          },
        }],
      });
      assert.equal(ends[0]!.data.ok, true, ends[0]!.data.output);
      const result = JSON.parse(ends[0]!.data.output);
      assert.deepEqual(result.clips.map((c: { output: string }) => c.output), [
        "clips/first.mp4",
        "clips/second.mkv",
      ]);
      for (const [name, length] of [["first.mp4", 0.4], ["second.mkv", 0.5]] as const) {
        const info = await probe(`${dir}/workspaces/${agentId}/clips/${name}`);
        assert.deepEqual([info.width, info.height], [64, 64], name);
        assert.ok(Math.abs(info.duration - length) < 0.15, `${name} lasts ${info.duration} s`);
      }
    });
  },
});

Deno.test({
  name: "video_clip refuses outputs outside the workspace, existing files and a missing input",
  ignore,
  fn: async () => {
    await withKernel(async (kernel, dir) => {
      const { ends, agentId } = await callTools(kernel, dir, {
        manifest: { tools: ["video_clip"], capabilities: VIDEO_CAPS },
        before: async (id) => {
          await Deno.mkdir(`${dir}/workspaces/${id}`, { recursive: true });
          await makeTestVideo(`${dir}/workspaces/${id}/source.mp4`);
          await Deno.writeTextFile(`${dir}/workspaces/${id}/taken.mp4`, "mine");
        },
        calls: [
          {
            name: "video_clip",
            args: { input: "source.mp4", clips: [{ start: 0, end: 0.5, output: "../out.mp4" }] },
          },
          {
            name: "video_clip",
            args: { input: "source.mp4", clips: [{ start: 0, end: 0.5, output: "taken.mp4" }] },
          },
          {
            name: "video_clip",
            args: { input: "missing.mp4", clips: [{ start: 0, end: 0.5, output: "x.mp4" }] },
          },
        ],
      });
      assert.deepEqual(ends.map((e) => e.data.ok), [false, false, false]);
      assert.match(ends[0]!.data.output, /path_denied|\.\./);
      assert.match(ends[1]!.data.output, /exists; pick another name or pass overwrite/);
      assert.equal(await Deno.readTextFile(`${dir}/workspaces/${agentId}/taken.mp4`), "mine");
      await assert.rejects(Deno.stat(`${dir}/out.mp4`));
    });
  },
});
