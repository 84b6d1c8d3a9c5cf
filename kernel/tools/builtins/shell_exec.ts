/**
 * `shell_exec`: runs one program with an argument list (argv, never a shell
 * string built from model output) in the caller's workspace, with a cleared
 * environment plus the variables `[tools.shell] env_allow` names, a time
 * limit that kills the whole process group, and capped output. Needs the
 * `shell_exec` capability and, unless `[approvals] auto_approve` names it, a
 * person's approval for every call; the process itself needs Talon started
 * with `--allow-run`.
 *
 * @module
 */
import { z } from "zod";
import type { EnvReader } from "../../config.ts";
import { runProcess } from "../../sandbox/mod.ts";
import { defineTool, type Tool } from "../define.ts";
import { workspaceJail } from "./file_tools.ts";

/** What `shell_exec` needs. */
export interface ShellExecDeps {
  /** Folder holding one workspace per agent. */
  workspaces: string;
  /** `[tools.shell] env_allow`: variables copied from Talon's environment. */
  envAllow: readonly string[];
  /** Reads Talon's environment (only permitted variables). */
  env: EnvReader;
  /** `[tools.shell] timeout_ms`: the default and the longest limit. */
  timeoutMs: number;
  /** `[tools.shell] max_output_bytes`, for stdout and stderr each. */
  maxOutputBytes: number;
}

/** PATH when `env_allow` does not bring one. */
const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

/** The environment of a command: the allowed variables Talon can read, PATH, and HOME = `home`. */
export function shellEnvironment(
  allow: readonly string[],
  env: EnvReader,
  home: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of allow) {
    const value = env(key);
    if (value !== undefined) out[key] = value;
  }
  out.PATH ??= DEFAULT_PATH;
  out.HOME = home;
  return out;
}

/** Creates `shell_exec`. */
export function shellExecTool(deps: ShellExecDeps): Tool {
  return defineTool({
    name: "shell_exec",
    description:
      "Runs one program with a list of arguments (no shell: pipes, globs and ';' are not interpreted) in your workspace and returns its exit code, stdout and stderr.",
    input: z.strictObject({
      command: z.string().min(1).max(4096).describe("the program, e.g. git or python3"),
      args: z.array(z.string().max(100_000)).max(1024).default([])
        .describe("arguments, each passed as is"),
      timeout_ms: z.number().int().min(10).max(deps.timeoutMs).optional()
        .describe(`time limit (default and maximum ${deps.timeoutMs} ms)`),
    }),
    capabilities: ["shell_exec"],
    risk: "high",
    taintSink: true,
    needsApproval: true,
    timeoutMs: deps.timeoutMs + 5_000,
    handler: async ({ command, args, timeout_ms }, ctx) => {
      const jail = await workspaceJail(deps.workspaces, ctx.agent.id);
      const result = await runProcess([command, ...args], {
        cwd: jail.root,
        env: shellEnvironment(deps.envAllow, deps.env, jail.root),
        timeoutMs: timeout_ms ?? deps.timeoutMs,
        maxOutputBytes: deps.maxOutputBytes,
        signal: ctx.signal,
      });
      return JSON.stringify({
        exit_code: result.code,
        signal: result.signal,
        timed_out: result.timedOut,
        stdout: result.stdout,
        stderr: result.stderr,
        ...(result.truncated ? { truncated: `output past ${deps.maxOutputBytes} bytes cut` } : {}),
      });
    },
  });
}
