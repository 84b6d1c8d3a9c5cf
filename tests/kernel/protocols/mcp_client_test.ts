import assert from "node:assert/strict";
import { type Clock, systemClock } from "../../../kernel/clock.ts";
import type { Kernel } from "../../../kernel/kernel.ts";
import * as store from "../../../kernel/store/mod.ts";
import type { AgentView, ToolCall } from "../../../kernel/types.ts";
import { boot, settle, talonError, withTempDir, writeScript } from "../fixtures.ts";
import { denoServer, envWith, EVERYTHING, FAKE_SERVER, FILESYSTEM } from "./mcp_fixtures.ts";

let calls = 0;

/** The system clock, but a test can stop it and later move it on. */
class HeldClock implements Clock {
  #held: number | undefined;
  #skew = 0;
  now(): number {
    return this.#held ?? Date.now() + this.#skew;
  }
  setTimeout(fn: () => void, ms: number) {
    return systemClock.setTimeout(fn, ms);
  }
  clearTimeout(timer: ReturnType<Clock["setTimeout"]>): void {
    systemClock.clearTimeout(timer);
  }
  /** Stops the time where it is. */
  hold(): void {
    this.#held = this.now();
  }
  /** Lets the time run again, `ms` after where it was held. */
  release(ms: number): void {
    if (this.#held === undefined) return;
    this.#skew = this.#held + ms - Date.now();
    this.#held = undefined;
  }
}

/** One call through the kernel's tool gate, as the agent loop makes it. */
async function call(kernel: Kernel, agent: AgentView, name: string, args: Record<string, unknown>) {
  await kernel.tools.prepareTools(agent, AbortSignal.timeout(60_000));
  const toolCall: ToolCall = { id: `c${++calls}`, name, args };
  return await kernel.tools.execute(toolCall, {
    agent,
    turnId: `t${calls}`,
    signal: new AbortController().signal,
    chain: [agent.id],
  });
}

Deno.test("Talon's MCP client uses npm's reference servers and an SDK-built server under its own gate", async (t) => {
  await withTempDir(async (dir) => {
    const files = `${dir}/files`;
    await Deno.mkdir(files);
    await Deno.writeTextFile(`${files}/hello.txt`, "hello from the temp dir");
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      [
        `max_capabilities = ["mcp:*", "memory_read"]`,
        `[approvals]`,
        `require = ["mcp_everything_get_sum"]`,
        denoServer("everything", [EVERYTHING, "stdio"], {
          env: ["TALON_VISIBLE"],
          timeoutS: 3,
        }),
        denoServer("fs", [FILESYSTEM, files]),
        denoServer("fake", [FAKE_SERVER]),
        denoServer("evil", [FAKE_SERVER, "--evil"]),
      ].join("\n"),
    );
    const clock = new HeldClock();
    const kernel = await boot(dir, {
      env: envWith({ TALON_VISIBLE: "shown-value", TALON_HIDDEN: "hidden-value" }),
      clock,
    });
    try {
      const user = kernel.agents.spawn({
        name: "user",
        capabilities: ["mcp:*"],
        mcp_servers: ["everything", "fs", "fake", "evil"],
      });

      await t.step("spawn refuses an unknown server, naming the field", () => {
        assert.throws(
          () => kernel.agents.spawn({ name: "bad", mcp_servers: ["fs", "nope"] }),
          (error) => {
            talonError("invalid_manifest", /unknown MCP servers: nope/)(error);
            assert.deepEqual(Object.keys((error as { fields: object }).fields), ["mcp_servers.1"]);
            return true;
          },
        );
      });

      await t.step("the reference servers' tools join as mcp_<server>_<tool>", async () => {
        await kernel.tools.prepareTools(user, AbortSignal.timeout(120_000));
        const names = kernel.tools.definitions(user).map((d) => d.name);
        for (
          const name of [
            "mcp_everything_echo",
            "mcp_everything_get_sum",
            "mcp_everything_get_env",
            "mcp_everything_trigger_long_running_operation",
            "mcp_fs_read_text_file",
            "mcp_fake_add_numbers",
          ]
        ) assert.ok(names.includes(name), `${name} in ${names.join(", ")}`);
        const echo = kernel.tools.definitions(user).find((d) => d.name === "mcp_everything_echo")!;
        assert.deepEqual(echo.parameters.required, ["message"], "the server's schema, as it is");
      });

      await t.step("a call returns the server's text, marked as from outside", async () => {
        const out = await call(kernel, user, "mcp_everything_echo", { message: "ping" });
        assert.equal(out.ok, true, out.output);
        assert.match(out.output, /^\[from outside Talon: MCP server "everything", tool "echo"/);
        assert.match(out.output, /ping/);
        const summed = await call(kernel, user, "mcp_fake_add_numbers", { a: 2, b: 40 });
        assert.match(summed.output, /\n42$/, "the original name was called");
      });

      await t.step("the filesystem server reads inside its temp dir only", async () => {
        const read = await call(kernel, user, "mcp_fs_read_text_file", {
          path: `${files}/hello.txt`,
        });
        assert.equal(read.ok, true, read.output);
        assert.match(read.output, /hello from the temp dir/);
        const outside = await call(kernel, user, "mcp_fs_read_text_file", {
          path: "/etc/hostname",
        });
        assert.equal(outside.ok, false);
        assert.match(outside.output, /reported an error.*(denied|outside)/is);
      });

      await t.step("invalid arguments are refused against the server's schema", async () => {
        const out = await call(kernel, user, "mcp_everything_get_sum", { a: "two" });
        assert.equal(out.error_code, "invalid_args", out.output);
        assert.match(out.output, /invalid arguments for "mcp_everything_get_sum"/);
      });

      await t.step("the server sees only the variables its entry names", async () => {
        const out = await call(kernel, user, "mcp_everything_get_env", {});
        assert.equal(out.ok, true, out.output);
        assert.match(out.output, /TALON_VISIBLE/);
        assert.match(out.output, /shown-value/);
        assert.doesNotMatch(out.output, /TALON_HIDDEN|hidden-value/);
        // Deno's node shim adds its own PATH; Talon's is not passed on.
        assert.ok(!out.output.includes(`"PATH": ${JSON.stringify(Deno.env.get("PATH"))}`));
      });

      await t.step("a slow call hits the timeout, and the server keeps serving", async () => {
        const out = await call(kernel, user, "mcp_everything_trigger_long_running_operation", {
          duration: 60,
          steps: 2,
        });
        assert.equal(out.error_code, "timeout", out.output);
        assert.match(out.output, /did not finish within 3000 ms/);
        const echo = await call(kernel, user, "mcp_everything_echo", { message: "still here" });
        assert.equal(echo.ok, true, echo.output);
      });

      await t.step("a flagged server offers no tools until an admin allows it", () => {
        const evil = kernel.mcp.get("evil");
        assert.equal(evil.status, "flagged");
        assert.deepEqual(evil.flagged, ["override", "exfiltration"]);
        assert.ok(!kernel.tools.definitions(user).some((d) => d.name.startsWith("mcp_evil_")));
        kernel.mcp.allow("evil", { actor: "token:admin" });
        assert.ok(kernel.tools.definitions(user).some((d) => d.name === "mcp_evil_add_numbers"));
        const actions = kernel.audit.list({ limit: 100 }).entries.map((e) => e.action);
        assert.ok(actions.includes("mcp.server.flagged") && actions.includes("mcp.server.allow"));
      });

      await t.step(
        "a server that dies mid-call is a clear tool error, then it comes back",
        async () => {
          // The time stands still from the death to the next call, so the 500 ms
          // backoff cannot run out in between, however slow the box.
          clock.hold();
          const died = await call(kernel, user, "mcp_fake_die", {});
          assert.equal(died.ok, false);
          assert.match(died.output, /MCP server "fake" failed the call/);
          await settle(
            (async () => {
              while (kernel.mcp.get("fake").status !== "failed") {
                await new Promise((resolve) => setTimeout(resolve, 20));
              }
            })(),
            "the server's exit to be noticed",
          );
          const soon = await call(kernel, user, "mcp_fake_add_numbers", { a: 1, b: 1 });
          assert.equal(soon.ok, false);
          assert.match(soon.output, /MCP server "fake" is unavailable .*retries in/);
          clock.release(700);
          const back = await call(kernel, user, "mcp_fake_add_numbers", { a: 1, b: 1 });
          assert.equal(back.ok, true, back.output);
        },
      );

      await t.step("a scripted agent uses them end to end: refusal, approval, audit", async () => {
        const script = await writeScript(dir, {
          turns: [{
            match: ".",
            steps: [
              { tool_calls: [{ name: "mcp_everything_echo", args: { message: "e2e" } }] },
              { tool_calls: [{ name: "mcp_fs_list_directory", args: { path: files } }] },
              { tool_calls: [{ name: "mcp_everything_get_sum", args: { a: 2, b: 3 } }] },
              { text: "all done" },
            ],
          }],
        });
        const agent = kernel.agents.spawn({
          name: "scripted",
          model: `script:${script}`,
          capabilities: ["mcp:everything"],
          mcp_servers: ["everything", "fs"],
        });
        const handle = kernel.agents.send(agent.id, "go", { chain: [] });
        for (let i = 0; i < 1000 && !kernel.approvals.pendingForTurn(handle.turn_id); i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const pending = kernel.approvals.pendingForTurn(handle.turn_id);
        assert.ok(pending, "the gated call waits for a person");
        assert.equal(pending.tool, "mcp_everything_get_sum");
        kernel.approvals.approve(pending.id, { actor: "token:admin" });
        const result = await handle.result;
        assert.equal(result.reply, "all done");
        const ends = store.readEvents(kernel.db, 0, {
          turnId: handle.turn_id,
          types: ["tool_end"],
          limit: 10,
        }).map((e) => e.data as { name: string; ok: boolean; error_code?: string; output: string });
        assert.deepEqual(ends.map((e) => [e.name, e.ok, e.error_code ?? null]), [
          ["mcp_everything_echo", true, null],
          ["mcp_fs_list_directory", false, "capability_denied"],
          ["mcp_everything_get_sum", true, null],
        ]);
        assert.match(ends[1]!.output, /needs mcp:fs/);
        assert.match(ends[2]!.output, /5/);
        const audit = kernel.audit.list({ agent_id: agent.id, limit: 50 }).entries;
        const tools = audit.filter((e) => e.action === "tool.call").map((e) => e.detail?.tool);
        assert.deepEqual(tools.sort(), [
          "mcp_everything_echo",
          "mcp_everything_get_sum",
          "mcp_fs_list_directory",
        ]);
        assert.ok(audit.some((e) => e.action === "capability.denied"));
        assert.ok(audit.some((e) => e.action === "approval.requested"));
      });

      await t.step("servers stop when their last user goes", async () => {
        kernel.agents.kill("user");
        kernel.agents.kill("scripted");
        for (let i = 0; i < 500 && kernel.mcp.get("everything").status !== "idle"; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.equal(kernel.mcp.get("everything").status, "idle");
        assert.equal(kernel.mcp.get("fs").status, "idle");
      });
    } finally {
      await kernel.close();
    }
  });
});
