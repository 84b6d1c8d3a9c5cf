/**
 * An MCP stdio transport with the process runner's hygiene
 * (kernel/sandbox/process_runner.ts): the server gets an argv only, a
 * cleared environment holding just the variables named in its entry, and
 * its own session and process group, which is killed with SIGKILL when the
 * transport closes. Messages are newline-delimited JSON-RPC; a line that is
 * not JSON-RPC is reported through `onerror` and skipped.
 *
 * Loaded only with the MCP SDK (kernel/protocols/mcp_session.ts).
 *
 * @module
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import { TalonError } from "../errors.ts";

/** How to start one stdio server. */
export interface StdioLaunch {
  command: string;
  args: readonly string[];
  /** The child's whole environment. */
  env: Record<string, string>;
  cwd?: string;
  /** Receives the server's stderr lines (capped). */
  onStderr?: (line: string) => void;
}

/** The longest line read from a server before it is treated as broken. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** A stdio transport over a child process in its own process group. */
export class StdioProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #launch: StdioLaunch;
  #child?: Deno.ChildProcess;
  #writer?: WritableStreamDefaultWriter<Uint8Array>;
  #closed = false;
  #ended: Promise<unknown> = Promise.resolve();

  constructor(launch: StdioLaunch) {
    this.#launch = launch;
  }

  /** The child's pid once started. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): Promise<void> {
    const { command, args, env, cwd } = this.#launch;
    try {
      this.#child = new Deno.Command(command, {
        args: [...args],
        env,
        clearEnv: true,
        cwd,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
        detached: true,
      }).spawn();
    } catch (cause) {
      if (cause instanceof Deno.errors.NotCapable) {
        throw new TalonError(
          "permission_missing",
          `starting MCP server "${command}" needs Talon to be started with Deno's --allow-run flag (e.g. --allow-run=${command})`,
          { cause },
        );
      }
      if (cause instanceof Deno.errors.NotFound) {
        throw new TalonError("not_found", `MCP server command "${command}" was not found`, {
          cause,
        });
      }
      throw cause;
    }
    this.#writer = this.#child.stdin.getWriter();
    const child = this.#child;
    this.#ended = Promise.all([
      this.#readLines(child.stdout, (line) => this.#receive(line)),
      this.#readLines(child.stderr, (line) => this.#launch.onStderr?.(line.slice(0, 2000))),
      child.status.then(() => this.#finish(), () => this.#finish()),
    ]);
    return Promise.resolve();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.#writer || this.#closed) throw new Error("the MCP server process is not running");
    await this.#writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
  }

  /** Kills the process group and resolves once the process and its pipes are gone. */
  async close(): Promise<void> {
    this.#killGroup();
    this.#finish();
    await this.#ended;
  }

  #receive(line: string): void {
    if (line.trim() === "") return;
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(JSON.parse(line));
    } catch {
      this.onerror?.(
        new Error(`the server wrote a line that is not JSON-RPC: ${line.slice(0, 200)}`),
      );
      return;
    }
    this.onmessage?.(message);
  }

  async #readLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void) {
    const decoder = new TextDecoder();
    let pending = "";
    try {
      for await (const chunk of stream) {
        pending += decoder.decode(chunk, { stream: true });
        if (pending.length > MAX_LINE_BYTES) {
          this.onerror?.(new Error("the server wrote a line longer than 16 MiB; stopping it"));
          this.#killGroup();
          return;
        }
        let at: number;
        while ((at = pending.indexOf("\n")) >= 0) {
          onLine(pending.slice(0, at).replace(/\r$/, ""));
          pending = pending.slice(at + 1);
        }
      }
    } catch {
      // the process is gone; #finish reports it
    }
  }

  #killGroup(): void {
    const pid = this.#child?.pid;
    if (pid === undefined) return;
    try {
      Deno.kill(-pid, "SIGKILL");
    } catch {
      // the group is already gone
    }
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Whatever the server left running in its group goes with it.
    this.#killGroup();
    this.#writer?.close().catch(() => {});
    this.onclose?.();
  }
}
