/**
 * `video_clip`: cuts clips out of a video in the caller's workspace, per a
 * plan of `{start, end, output}` entries, by running ffmpeg once per clip
 * with an argv (never a shell string) through the process runner: cleared
 * environment, own process group, a time limit for the whole call. Inputs
 * and outputs are jailed to the workspace; ffmpeg may read only local files
 * (`-protocol_whitelist file`), so a playlist cannot make it fetch a URL.
 *
 * Needs `media_process` (it runs a media program on workspace files) plus
 * `file_read` and `file_write`; the process needs Talon started with
 * `--allow-run=<ffmpeg>` (`[tools.video] ffmpeg`, `/usr/bin/ffmpeg` by default).
 *
 * @module
 */
import { dirname, extname } from "node:path";
import { z } from "zod";
import { TalonError } from "../../errors.ts";
import { runProcess } from "../../sandbox/mod.ts";
import { defineTool, type Tool } from "../define.ts";
import { workspaceJail } from "./file_tools.ts";

/** What `video_clip` needs. */
export interface VideoClipDeps {
  /** Folder holding one workspace per agent. */
  workspaces: string;
  /** Absolute path of ffmpeg (`[tools.video] ffmpeg`). */
  ffmpeg: string;
  /** `[tools.video] timeout_ms`: the limit of one call, every clip included. */
  timeoutMs: number;
}

/** Containers a clip can be written as. */
export const CLIP_EXTENSIONS = [".mp4", ".mkv", ".webm", ".mov"] as const;

/** Longest video position accepted, in seconds (24 hours). */
const MAX_SECONDS = 86_400;

/** Bytes of ffmpeg's stderr kept per clip. */
const MAX_STDERR = 16_384;

const Seconds = z.number().min(0).max(MAX_SECONDS);

const Clip = z.strictObject({
  start: Seconds.describe("where the clip starts, in seconds from the video's start"),
  end: Seconds.describe("where it ends, in seconds (after start)"),
  output: z.string().min(1).max(4096).refine(
    (p) => (CLIP_EXTENSIONS as readonly string[]).includes(extname(p).toLowerCase()),
    `must end in ${CLIP_EXTENSIONS.join(", ")}`,
  ).describe("the clip's file, relative to your workspace"),
}).refine((c) => c.end > c.start, { message: "end must be after start", path: ["end"] });

/** Creates `video_clip`. */
export function videoClipTool(deps: VideoClipDeps): Tool {
  return defineTool({
    name: "video_clip",
    description:
      "Cuts clips from a video in your workspace with ffmpeg: give the input file and a plan of clips (start and end in seconds, output file name). Existing files are not overwritten unless overwrite is true.",
    input: z.strictObject({
      input: z.string().min(1).max(4096).describe("the video, relative to your workspace"),
      clips: z.array(Clip).min(1).max(50).superRefine((clips, ctx) => {
        const seen = new Set<string>();
        clips.forEach((c, i) => {
          if (seen.has(c.output)) {
            ctx.addIssue({ code: "custom", path: [i, "output"], message: "used twice" });
          }
          seen.add(c.output);
        });
      }),
      overwrite: z.boolean().default(false).describe("replace output files that exist"),
    }),
    capabilities: ["media_process", "file_read", "file_write"],
    risk: "medium",
    timeoutMs: deps.timeoutMs + 5_000,
    handler: async ({ input, clips, overwrite }, ctx) => {
      const jail = await workspaceJail(deps.workspaces, ctx.agent.id);
      const source = await jail.resolve(input, "read");
      const outputs = [];
      for (const clip of clips) {
        const target = await jail.resolve(clip.output, "write");
        if (target.real === source.real) {
          throw new TalonError("invalid_input", `clip output "${clip.output}" is the input video`);
        }
        if (target.info && !overwrite) {
          throw new TalonError(
            "invalid_input",
            `"${target.relative}" exists; pick another name or pass overwrite: true`,
          );
        }
        outputs.push(target);
      }
      const deadline = Date.now() + deps.timeoutMs;
      const made: { output: string; start: number; end: number; bytes: number }[] = [];
      for (const [i, clip] of clips.entries()) {
        const target = outputs[i]!;
        await Deno.mkdir(dirname(target.real), { recursive: true, mode: 0o700 });
        const left = deadline - Date.now();
        if (left <= 0) throw timedOut(deps.timeoutMs, made.length);
        const result = await runProcess([
          deps.ffmpeg,
          ...clipArgs({
            input: source.real,
            output: target.real,
            start: clip.start,
            end: clip.end,
          }),
        ], {
          cwd: jail.root,
          env: { PATH: "/usr/bin:/bin" },
          timeoutMs: left,
          maxOutputBytes: MAX_STDERR,
          signal: ctx.signal,
        });
        if (result.timedOut) throw timedOut(deps.timeoutMs, made.length);
        if (result.code !== 0) {
          await Deno.remove(target.real).catch(() => {});
          throw new TalonError(
            "invalid_input",
            `ffmpeg failed on clip ${i + 1} (${clip.output}) after ${made.length} made: ${
              result.stderr.trim().split("\n").slice(-3).join(" ") ||
              `exit ${result.code ?? result.signal}`
            }`,
          );
        }
        const bytes = (await Deno.stat(target.real)).size;
        made.push({ output: target.relative, start: clip.start, end: clip.end, bytes });
      }
      return JSON.stringify({ input: source.relative, clips: made });
    },
  });
}

/** ffmpeg's arguments for one clip: local files only, no prompt, never overwriting by itself. */
export function clipArgs(
  clip: { input: string; output: string; start: number; end: number },
): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "error",
    "-protocol_whitelist",
    "file",
    "-ss",
    String(clip.start),
    "-i",
    `file:${clip.input}`,
    "-t",
    String(Math.round((clip.end - clip.start) * 1000) / 1000),
    "-y",
    `file:${clip.output}`,
  ];
}

function timedOut(limit: number, made: number): TalonError {
  return new TalonError(
    "invalid_input",
    `video_clip ran past its limit of ${limit} ms ([tools.video] timeout_ms) after ${made} clip(s); cut fewer or shorter clips per call`,
  );
}
