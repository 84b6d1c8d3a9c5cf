/**
 * Child-process probe for permissions_test.ts, run under exactly the
 * permission flags of `deno task start` with the working directory holding
 * `./data`. It boots the real kernel on `./data`, then tries what the process
 * layer must stop (reading outside the data dir, spawning a process) and what
 * it must allow (file tools inside the workspace), checks that shell_exec
 * waits for an approval (rejected here), and calls the shell_exec handler,
 * which must fail saying which flag is missing. Prints one JSON
 * object: what happened to each attempt.
 *
 * @module
 */
import { bootKernel } from "../../kernel/boot.ts";
import { createLogger } from "../../kernel/log.ts";

const [outsideFile] = Deno.args;
const report: Record<string, string> = {};

async function attempt(name: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    const value = await fn();
    report[name] = `ok: ${typeof value === "string" ? value : JSON.stringify(value)}`;
  } catch (error) {
    const e = error as Error & { code?: string };
    report[name] = `${e.name}${e.code ? `(${e.code})` : ""}: ${e.message}`;
  }
}

const kernel = await bootKernel({
  dataDir: "./data",
  log: createLogger("error", { sink: () => {} }),
});
try {
  await attempt("read_outside", () => Deno.readTextFile(outsideFile!));
  await attempt("run_process", () => new Deno.Command("true").output());
  await attempt("write_outside", () => Deno.writeTextFile(`${outsideFile!}.new`, "escaped"));
  await attempt("env_other", () => Promise.resolve(Deno.env.get("HOME")));
  const agent = kernel.agents.spawn({
    name: "probe",
    capabilities: ["file_read", "file_write", "shell_exec", "net_connect:*"],
    tools: ["file_write", "file_read", "shell_exec", "web_fetch"],
  });
  const ctx = {
    agent,
    turnId: "probe",
    callId: "probe",
    signal: new AbortController().signal,
    chain: [agent.id],
  };
  const call = async (name: string, args: Record<string, unknown>) => {
    const outcome = await kernel.tools.execute({ id: name, name, args }, ctx);
    if (!outcome.ok) throw Object.assign(new Error(outcome.output), { code: outcome.error_code });
    return outcome.output;
  };
  await attempt("file_write", () => call("file_write", { path: "a.txt", content: "inside" }));
  await attempt("file_read", () => call("file_read", { path: "a.txt" }));
  await attempt("file_read_outside", () => call("file_read", { path: outsideFile! }));
  await attempt(
    "web_fetch_metadata",
    () => call("web_fetch", { url: "http://169.254.169.254/latest/meta-data/" }),
  );
  await attempt("shell_exec_gate", () => {
    // The gate records the request before the call waits on it; reject it at once.
    const waiting = call("shell_exec", { command: "true" });
    const [request] = kernel.approvals.list({ status: "pending" });
    if (request) kernel.approvals.reject(request.id, { actor: "probe", reason: "probe" });
    return waiting;
  });
  const shell = kernel.tools.get("shell_exec")!;
  await attempt(
    "shell_exec_handler",
    () => Promise.resolve(shell.handler(shell.input.parse({ command: "true" }), ctx)),
  );
} finally {
  await kernel.close();
}
console.log(JSON.stringify(report));
