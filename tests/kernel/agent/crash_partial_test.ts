import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { CUT_OFF_NOTE } from "../../../kernel/agent/agent_loop.ts";
import { unsavedText } from "../../../kernel/agent/agent_restore.ts";
import { TOKEN_FLUSH_MS } from "../../../kernel/events/mod.ts";
import { startFakeOpenAi } from "../../fakes/openai_server.ts";
import { boot, settle, withTempDir } from "../fixtures.ts";

const PARTIAL = "The answer is **forty**"; // ends outside a word: nothing held back

Deno.test("a turn cut off by a crash keeps its streamed text marked interrupted, and the next prompt says it was cut off", async () => {
  await using server = startFakeOpenAi([
    { text: ["The answer ", "is **forty**"], stall: true },
    { text: "It is 42." },
  ]);
  await withTempDir(async (root) => {
    const live = `${root}/live`;
    const crashed = `${root}/crashed`;
    for (const dir of [live, crashed]) {
      await Deno.mkdir(dir);
      await Deno.writeTextFile(
        `${dir}/config.toml`,
        `[providers.local]\nkind = "openai"\nbase_url = "${server.url}"\ndefault_model = "m1"\n`,
      );
    }
    const first = await boot(live);
    try {
      const agent = first.agents.spawn({ name: "talker", provider: "local" });
      const handle = first.agents.send(agent.id, "what is it?");
      let streamed = "";
      for await (const event of handle.events()) {
        if (event.type === "token") streamed += (event.data as { text: string }).text;
        if (streamed === PARTIAL) break;
      }
      // What a kill -9 leaves behind: the database as it is mid-stream, once the
      // bus's flush timer has stored the coalesced deltas (timers fire in order).
      await new Promise((r) => setTimeout(r, TOKEN_FLUSH_MS + 50));
      const db = new DatabaseSync(`${live}/talon.db`);
      db.exec(`VACUUM INTO '${crashed}/talon.db'`);
      db.close();
    } finally {
      await first.close();
    }

    const second = await boot(crashed);
    try {
      const page = second.agents.session("talker", { limit: 10 });
      assert.deepEqual(
        page.messages.map((m) => [m.role, m.text, m.status]),
        [["user", "what is it?", undefined], ["assistant", PARTIAL, "interrupted"]],
      );
      const turn = second.db.prepare("SELECT status, output FROM turns").get() as object;
      assert.deepEqual({ ...turn }, { status: "interrupted", output: PARTIAL });

      const next = await settle(second.agents.send("talker", "go on").result, "next turn");
      assert.equal(next.reply, "It is 42.");
      const prompt =
        (server.requests[1]!.body as { messages: { role: string; content: unknown }[] })
          .messages.filter((m) => m.role !== "system");
      assert.deepEqual(prompt.map((m) => [m.role, m.content]), [
        ["user", "what is it?"],
        ["assistant", `${PARTIAL}\n\n${CUT_OFF_NOTE.interrupted}`],
        ["user", "go on"],
      ]);
    } finally {
      await second.close();
    }
  });
});

Deno.test("unsavedText() keeps only what streamed after the turn's last stored assistant message", async () => {
  await withTempDir(async (dir) => {
    const kernel = await boot(dir);
    try {
      const scope = { agentId: null as unknown as string, turnId: "t1" };
      const publish = (type: "token" | "message", data: Record<string, string>) =>
        kernel.bus.publish(type, data as never, scope);
      assert.equal(unsavedText(kernel.db, "t1"), "", "no events, no text");
      publish("message", { role: "user", text: "hi" });
      publish("token", { text: "Let me " });
      publish("token", { text: "check." });
      publish("message", { role: "assistant", text: "Let me check." });
      publish("token", { text: "Found " });
      publish("token", { text: "it" });
      kernel.bus.publish("token", { text: "elsewhere" }, { agentId: scope.agentId, turnId: "t2" });
      assert.equal(unsavedText(kernel.db, "t1"), "Found it");
    } finally {
      await kernel.close();
    }
  });
});
