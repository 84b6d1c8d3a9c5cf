/**
 * File tools, jailed to the calling agent's workspace
 * (`<data-dir>/workspaces/<agent-id>/`, see `PathJail`): `file_read` and
 * `file_list` need `file_read`, `file_write` needs `file_write`. Reads are
 * capped at `tools.files.max_read_bytes` and return text only.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { z } from "zod";
import { TalonError } from "../../errors.ts";
import { PathJail } from "../../sandbox/mod.ts";
import { defineTool, type Tool } from "../define.ts";

/** What the file tools need. */
export interface FileToolsDeps {
  /** Folder holding one workspace per agent (`<data-dir>/workspaces`). */
  workspaces: string;
  /** `tools.files.max_read_bytes`. */
  maxReadBytes: number;
  /** `tools.files.max_write_bytes`. */
  maxWriteBytes: number;
}

/** Entries `file_list` returns at most. */
const MAX_LIST_ENTRIES = 1000;

/** The jail of `agentId`'s workspace, created on first use. */
export function workspaceJail(workspaces: string, agentId: string): Promise<PathJail> {
  if (!/^[A-Za-z0-9_-]+$/.test(agentId)) throw new TypeError(`bad agent id "${agentId}"`);
  return PathJail.open(join(workspaces, agentId));
}

const PathArg = z.string().min(1).max(4096).describe("path relative to your workspace");

/** Creates `file_read`, `file_write` and `file_list`. */
export function fileTools(deps: FileToolsDeps): Tool[] {
  const jailOf = (agentId: string) => workspaceJail(deps.workspaces, agentId);
  const fileRead = defineTool({
    name: "file_read",
    description:
      "Reads a UTF-8 text file from your workspace. Large files are cut at a limit; use offset to read further.",
    input: z.strictObject({
      path: PathArg,
      offset: z.number().int().min(0).default(0).describe("byte offset to start at"),
    }),
    capabilities: ["file_read"],
    risk: "low",
    handler: async ({ path, offset }, ctx) => {
      const target = await (await jailOf(ctx.agent.id)).resolve(path, "read");
      const size = target.info!.size;
      const file = await Deno.open(target.real, { read: true });
      try {
        if (!(await file.stat()).isFile) throw new TalonError("path_denied", `"${path}" changed`);
        await file.seek(offset, Deno.SeekMode.Start);
        const buffer = new Uint8Array(Math.min(deps.maxReadBytes, Math.max(0, size - offset)));
        let filled = 0;
        while (filled < buffer.length) {
          const n = await file.read(buffer.subarray(filled));
          if (n === null) break;
          filled += n;
        }
        const bytes = buffer.subarray(0, filled);
        if (bytes.includes(0)) {
          throw new TalonError(
            "invalid_input",
            `"${path}" is a binary file (${size} bytes); file_read returns text only`,
          );
        }
        const text = new TextDecoder().decode(bytes);
        const end = offset + filled;
        return end < size
          ? `${text}\n[file_read: bytes ${offset}-${end} of ${size}; call again with offset ${end} for more]`
          : text;
      } finally {
        file.close();
      }
    },
  });
  const fileWrite = defineTool({
    name: "file_write",
    description:
      "Writes text to a file in your workspace, creating it and its folders; replaces the file unless append is true.",
    input: z.strictObject({
      path: PathArg,
      content: z.string().max(deps.maxWriteBytes).describe("the text to write"),
      append: z.boolean().default(false).describe("add to the end instead of replacing"),
    }),
    capabilities: ["file_write"],
    risk: "medium",
    taintSink: true,
    handler: async ({ path, content, append }, ctx) => {
      const target = await (await jailOf(ctx.agent.id)).resolve(path, "write");
      const bytes = new TextEncoder().encode(content);
      if (bytes.length > deps.maxWriteBytes) {
        throw new TalonError(
          "invalid_input",
          `content is ${bytes.length} bytes; the limit is ${deps.maxWriteBytes} (tools.files.max_write_bytes)`,
        );
      }
      await Deno.mkdir(dirname(target.real), { recursive: true, mode: 0o700 });
      await Deno.writeFile(target.real, bytes, { append, mode: 0o600 });
      return `${append ? "appended" : "wrote"} ${bytes.length} bytes to ${target.relative}`;
    },
  });
  const fileList = defineTool({
    name: "file_list",
    description:
      "Lists a folder of your workspace (the workspace itself by default): name, type and size of each entry.",
    input: z.strictObject({
      path: PathArg.default("."),
      recursive: z.boolean().default(false).describe("also list sub-folders"),
    }),
    capabilities: ["file_read"],
    risk: "low",
    handler: async ({ path, recursive }, ctx) => {
      const jail = await jailOf(ctx.agent.id);
      const target = await jail.resolve(path, "list");
      if (!target.info!.isDirectory) {
        return JSON.stringify({ entries: [entryOf(target.relative, target.info!)] });
      }
      const entries: Record<string, unknown>[] = [];
      const walk = async (dir: string, prefix: string): Promise<boolean> => {
        const names: Deno.DirEntry[] = [];
        for await (const e of Deno.readDir(dir)) names.push(e);
        names.sort((a, b) => (a.name < b.name ? -1 : 1));
        for (const e of names) {
          if (entries.length >= MAX_LIST_ENTRIES) return false;
          const rel = prefix === "." ? e.name : `${prefix}/${e.name}`;
          const info = await Deno.lstat(join(dir, e.name));
          entries.push(entryOf(rel, info));
          if (recursive && info.isDirectory && !(await walk(join(dir, e.name), rel))) return false;
        }
        return true;
      };
      const complete = await walk(target.real, target.relative);
      return JSON.stringify({
        entries,
        ...(complete ? {} : { truncated: `stopped at ${MAX_LIST_ENTRIES} entries` }),
      });
    },
  });
  return [fileRead, fileWrite, fileList];
}

function entryOf(path: string, info: Deno.FileInfo): Record<string, unknown> {
  const type = info.isSymlink
    ? "symlink"
    : info.isDirectory
    ? "dir"
    : info.isFile
    ? "file"
    : "other";
  return type === "file" ? { path, type, size: info.size } : { path, type };
}
