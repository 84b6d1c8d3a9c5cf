/**
 * `apply_patch`: applies a unified diff (one or more files, `--- /dev/null`
 * to create, `+++ /dev/null` to delete) inside the caller's workspace. Every
 * file is patched in memory first; nothing is written unless every hunk of
 * every file applies. Needs `file_read` and `file_write`.
 *
 * @module
 */
import { dirname } from "node:path";
import { applyPatch, parsePatch, type StructuredPatch } from "diff";
import { z } from "zod";
import { TalonError } from "../../errors.ts";
import { defineTool, type Tool } from "../define.ts";
import { type FileToolsDeps, workspaceJail } from "./file_tools.ts";

const DEV_NULL = "/dev/null";

/** One file's planned change. */
interface FileChange {
  real: string;
  relative: string;
  /** New content, or undefined to delete the file. */
  content?: string;
}

/** Creates `apply_patch`. */
export function applyPatchTool(deps: FileToolsDeps): Tool {
  return defineTool({
    name: "apply_patch",
    description:
      "Applies a unified diff (as `diff -u` or `git diff` print it) to files in your workspace. All files change or none do.",
    input: z.strictObject({
      patch: z.string().min(1).max(deps.maxWriteBytes).describe("the unified diff"),
    }),
    capabilities: ["file_read", "file_write"],
    risk: "medium",
    taintSink: true,
    handler: async ({ patch }, ctx) => {
      let parsed: StructuredPatch[];
      try {
        parsed = parsePatch(patch);
      } catch (cause) {
        throw new TalonError("invalid_input", `not a unified diff: ${(cause as Error).message}`);
      }
      parsed = parsed.filter((p) => p.hunks.length > 0);
      if (parsed.length === 0) {
        throw new TalonError("invalid_input", "the patch has no hunks (lines starting with @@)");
      }
      const jail = await workspaceJail(deps.workspaces, ctx.agent.id);
      const changes: FileChange[] = [];
      for (const file of parsed) {
        const oldName = stripPrefix(file.oldFileName);
        const newName = stripPrefix(file.newFileName);
        const name = newName === DEV_NULL ? oldName : newName;
        if (name === undefined || name === DEV_NULL) {
          throw new TalonError("invalid_input", "a file in the patch has no name (--- and +++)");
        }
        const creating = oldName === DEV_NULL;
        const target = await jail.resolve(name, creating ? "write" : "read");
        if (creating && target.info) {
          throw new TalonError("invalid_input", `cannot create "${name}": it already exists`);
        }
        if (changes.some((c) => c.real === target.real)) {
          throw new TalonError("invalid_input", `"${name}" appears twice in the patch`);
        }
        const before = creating ? "" : await Deno.readTextFile(target.real);
        const after = applyPatch(before, file);
        if (after === false) {
          throw new TalonError(
            "invalid_input",
            `the patch does not apply to "${name}": its context lines differ from the file; read the file and make the patch again`,
          );
        }
        if (new TextEncoder().encode(after).length > deps.maxWriteBytes) {
          throw new TalonError(
            "invalid_input",
            `"${name}" would exceed tools.files.max_write_bytes`,
          );
        }
        changes.push({
          real: target.real,
          relative: target.relative,
          ...(newName === DEV_NULL ? {} : { content: after }),
        });
      }
      for (const change of changes) {
        if (change.content === undefined) {
          await Deno.remove(change.real);
        } else {
          await Deno.mkdir(dirname(change.real), { recursive: true, mode: 0o700 });
          await Deno.writeTextFile(change.real, change.content, { mode: 0o600 });
        }
      }
      return changes.map((c) => `${c.content === undefined ? "deleted" : "patched"} ${c.relative}`)
        .join("\n");
    },
  });
}

/** `a/x.txt` → `x.txt`; `/dev/null` stays. */
function stripPrefix(name: string | undefined): string | undefined {
  if (name === undefined || name === DEV_NULL) return name;
  return name.replace(/^[ab]\//, "");
}
