import assert from "node:assert/strict";
import { SessionExport } from "../../kernel/types.ts";
import { settle, withTempDir, writeScript } from "../kernel/fixtures.ts";
import * as store from "../../kernel/store/mod.ts";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

/** Rows of the tables these commands could write. */
async function tableCounts(dir: string): Promise<Record<string, number>> {
  const kernel = await bootQuiet(dir);
  try {
    const counts: Record<string, number> = {};
    for (const table of ["sessions", "messages", "session_summaries", "usage", "audit_entries"]) {
      counts[table] = (kernel.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as {
        n: number;
      }).n;
    }
    counts.labelled = (kernel.db.prepare("SELECT count(*) AS n FROM sessions WHERE label <> ''")
      .get() as { n: number }).n;
    return counts;
  } finally {
    await kernel.close();
  }
}

Deno.test("talon session list|show|label|switch|export and talon compact, in-process", async () => {
  await withTempDir(async (dir) => {
    const kernel = await bootQuiet(dir);
    const agent = kernel.agents.spawn({ name: "bot" });
    for (let i = 0; i < 3; i++) {
      await settle(kernel.agents.send(agent.id, `old talk ${i}`).result, "turn");
    }
    const old = kernel.sessions.list(agent.id, { limit: 5 }).sessions[0]!.id;
    kernel.sessions.reset(agent.id);
    await settle(kernel.agents.send(agent.id, "new talk").result, "turn");
    await kernel.close();

    const list = await talon(dir, "session", "list", "bot");
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, new RegExp(`^\\s+${old}.* 6 `, "m"));
    assert.match(list.out, /^\*/m);
    const shown = await talon(dir, "session", "show", "bot", old, "--limit", "2");
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /old talk 2/);
    assert.doesNotMatch(shown.out, /old talk 0/);
    assert.equal((await talon(dir, "session", "label", "bot", old, "the old one")).code, 0);
    const switched = await talon(dir, "session", "switch", "bot", old);
    assert.equal(switched.code, 0, switched.err);
    const current = await talon(dir, "session", "show", "bot", "--json");
    assert.equal(JSON.parse(current.out).session.label, "the old one");

    const exported = await talon(dir, "session", "export", "bot");
    assert.equal(SessionExport.parse(JSON.parse(exported.out)).messages.length, 6);
    const mdFile = `${dir}/out.md`;
    const md = await talon(dir, "session", "export", "bot", old, "--format", "md", "-o", mdFile);
    assert.equal(md.code, 0, md.err);
    assert.match(await Deno.readTextFile(mdFile), /^# Session of bot — the old one/);

    const compact = await talon(dir, "compact", "bot", "--json");
    assert.equal(compact.code, 0, compact.err);
    assert.equal(JSON.parse(compact.out).compacted, true);
  });
});

Deno.test("session, compact, backup and restore commands refuse bad input and write nothing", async () => {
  await withTempDir(async (dir) => {
    const kernel = await bootQuiet(dir);
    kernel.agents.spawn({ name: "bot" });
    await kernel.close();
    const before = await tableCounts(dir);
    await Deno.writeTextFile(`${dir}/taken.db`, "already here");
    await Deno.writeTextFile(`${dir}/garbage.db`, "this is not a database at all");
    const cases: [string[], number, RegExp][] = [
      [["session", "switch", "bot", "not-a-uuid"], 2, /not a session id/],
      [["session", "show", "bot", "42"], 2, /not a session id/],
      [["session", "export", "bot", "--format", "pdf"], 2, /--format must be json or md/],
      [["session", "show", "bot", "--limit", "0"], 2, /--limit/],
      [["session", "label", "bot", crypto.randomUUID(), "x".repeat(201)], 2, /at most 200/],
      [["session", "list", "ghost"], 1, /ghost/],
      [["session", "switch", "bot", crypto.randomUUID()], 1, /has no session/],
      [["compact", "ghost"], 1, /ghost/],
      [["backup", `${dir}/taken.db`], 2, /already exists/],
      [["restore", `${dir}/garbage.db`], 2, /not a readable SQLite database|not a SQLite/],
      [["restore", `${dir}/missing.db`], 2, /cannot read/],
      [["session", "list"], 2, /missing <agent>/],
    ];
    for (const [args, code, message] of cases) {
      const r = await talon(dir, ...args);
      assert.equal(r.code, code, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, message, args.join(" "));
    }
    assert.equal(await Deno.readTextFile(`${dir}/taken.db`), "already here");
    assert.deepEqual(await tableCounts(dir), before, "nothing was written");
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.ok(!names.some((n) => n.includes("replaced") || n.includes("restore")), `${names}`);
  });
});

Deno.test("a backup taken through the server while a turn streams restores whole (round trip)", async () => {
  await withTempDir(async (dir) => {
    const script = await writeScript(dir, {
      // 500 ms a word: the backup (a CLI process, slow to start on a loaded box) runs mid-turn.
      turns: [{ match: "slow", steps: [{ text: "one two three four five six", delay_ms: 500 }] }, {
        match: ".",
        steps: [{ text: "done" }],
      }],
    });
    const kernel = await bootQuiet(dir);
    const stop = await serveDataDir(kernel, dir);
    const file = `${dir}/snap.db`;
    let turnId = "";
    try {
      const agent = kernel.agents.spawn({ name: "bot", model: `script:${script}` });
      await settle(kernel.agents.send(agent.id, "remember this first").result, "turn");
      const streaming = kernel.agents.send(agent.id, "slow answer please");
      turnId = streaming.turn_id;
      for await (const event of streaming.events()) if (event.type === "token") break;
      const backup = await talon(dir, "backup", file);
      assert.equal(backup.code, 0, backup.err);
      assert.match(backup.out, /Backed up the database to/);
      assert.equal((await settle(streaming.result, "slow turn")).status, "completed");
      assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
      const refused = await talon(dir, "restore", file);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /stop it, then run `talon restore` again/);
      await settle(kernel.agents.send(agent.id, "after the backup").result, "later turn");
    } finally {
      await stop();
    }
    const restored = await talon(dir, "restore", file, "--json");
    assert.equal(restored.code, 0, restored.err);
    const report = JSON.parse(restored.out);
    assert.equal(report.agents, 1);
    assert.match(report.replaced, /talon\.db\.replaced-/);
    await Deno.stat(report.replaced);

    const again = await bootQuiet(dir);
    try {
      const messages = again.agents.session("bot", { limit: 50 }).messages.map((m) => m.text);
      assert.ok(messages.includes("remember this first"));
      assert.ok(messages.includes("slow answer please"), "the streaming turn's message");
      assert.ok(!messages.includes("after the backup"), "later messages are not in the backup");
      const turn = again.db.prepare("SELECT status FROM turns WHERE id = ?").get(turnId) as {
        status: string;
      };
      assert.equal(turn.status, "interrupted", "the turn in flight is never re-run");
      assert.equal(again.audit.verify().ok, true);
    } finally {
      await again.close();
    }
    // And the replaced database is a whole one: restoring it brings the later turn back.
    const back = await talon(dir, "restore", report.replaced);
    assert.equal(back.code, 0, back.err);
    const last = await bootQuiet(dir);
    try {
      const texts = last.agents.session("bot", { limit: 50 }).messages.map((m) => m.text);
      assert.ok(texts.includes("after the backup"));
    } finally {
      await last.close();
    }
  });
});

Deno.test("talon session show says how a turn ended that a crash cut off before any answer", async () => {
  await withTempDir(async (dir) => {
    const kernel = await bootQuiet(dir);
    const agent = kernel.agents.spawn({ name: "bot" });
    // A turn left running with nothing stored, as a kill -9 leaves it.
    store.transaction(kernel.db, () => {
      store.insertTurn(kernel.db, { id: "t-cut", agentId: agent.id, input: "slow again" });
      store.startTurn(kernel.db, "t-cut");
    });
    await kernel.close();

    const shown = await talon(dir, "session", "show", "bot");
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /user \(turn interrupted\): slow again$/m);
  });
});
