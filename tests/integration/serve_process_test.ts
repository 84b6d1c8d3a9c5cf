import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runTalon, startServe } from "../talon_process.ts";

function agentStates(dataDir: string): Record<string, string> {
  const db = new DatabaseSync(`${dataDir}/talon.db`, { readOnly: true });
  try {
    const rows = db.prepare("SELECT name, state FROM agents").all() as {
      name: string;
      state: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.state]));
  } finally {
    db.close();
  }
}

Deno.test("talon serve prints the URL and a first-run login link once; health answers JSON", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = await startServe(dir);
    assert.match(first.banner, /First run: open http:\/\/127\.0\.0\.1:\d+\/login#token=tln_/);
    const token = first.banner.split("\n").find((l) => /^tln_\S+$/.test(l));
    assert.ok(token, "the token is printed alone on a line");
    const health = await fetch(`${first.url}/api/health`);
    assert.deepEqual(await health.json(), { status: "ok" });
    const denied = await fetch(`${first.url}/api/agents`);
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
    const allowed = await fetch(`${first.url}/api/agents`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(allowed.status, 200);
    await allowed.body?.cancel();
    const info = JSON.parse(await Deno.readTextFile(`${dir}/server.json`));
    assert.equal((await Deno.stat(`${dir}/server.json`)).mode! & 0o777, 0o600);
    assert.equal(info.url, first.url);
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    const stopped = await first.stop("SIGTERM");
    assert.equal(stopped.code, 0, stopped.stderr);
    await assert.rejects(Deno.stat(`${dir}/server.json`), Deno.errors.NotFound);

    const second = await startServe(dir);
    assert.doesNotMatch(second.banner, /First run|tln_/);
    assert.match(second.banner, /serving on http:\/\/127\.0\.0\.1:\d+/);
    assert.equal((await second.stop("SIGINT")).code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("talon serve refuses a non-loopback bind when no token exists", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await runTalon(["serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", dir]);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /refusing to listen on 0\.0\.0\.0 with no API token; create one first with `talon token create --role admin/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGTERM suspends running agents, the CLI acts through the server meanwhile, and a restart restores them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const server = await startServe(dir);
    const spawned = await runTalon(["agent", "spawn", "--name", "a", "--data-dir", dir]);
    assert.equal(spawned.code, 0, spawned.stderr);
    await runTalon(["agent", "spawn", "--name", "p", "--data-dir", dir]);
    await runTalon(["agent", "pause", "p", "--data-dir", dir]);
    const msg = await runTalon(["agent", "message", "a", "hi", "--data-dir", dir]);
    assert.equal(msg.code, 0, msg.stderr);
    assert.match(msg.stdout, /^Offline echo: "hi"/);
    const stopped = await server.stop("SIGTERM");
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(
      stopped.stderr,
      /"msg":"request".*"path":"\/api\/agents\/a\/message\/stream"/,
      "went through HTTP",
    );
    assert.deepEqual(agentStates(dir), { a: "suspended", p: "paused" });

    const restarted = await startServe(dir);
    const list = await runTalon(["agent", "list", "--json", "--data-dir", dir]);
    const states = Object.fromEntries(
      JSON.parse(list.stdout).map((a: { name: string; state: string }) => [a.name, a.state]),
    );
    assert.deepEqual(states, { a: "running", p: "paused" });
    await restarted.stop("SIGTERM");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kill -9 loses nothing acknowledged; the turn in flight is marked interrupted, not re-run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/slow.json`,
      JSON.stringify({
        turns: [
          // 2 s a word: the kill lands mid-turn however slow the box.
          { match: "slow", steps: [{ text: "one two three four five six", delay_ms: 2000 }] },
          { match: ".", steps: [{ text: "quick answer" }] },
        ],
      }),
    );
    const server = await startServe(dir);
    const token = server.banner.split("\n").find((l) => /^tln_\S+$/.test(l))!;
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const api = (path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method: body ? "POST" : "GET",
        headers,
        body: body ? JSON.stringify(body) : undefined,
      });
    for (const name of ["one", "two", "three"]) {
      const r = await api("/api/agents", {
        name,
        model: `script:${dir}/slow.json`,
        provider: "offline",
      });
      assert.equal(r.status, 201);
      await r.body?.cancel();
    }
    const answered = await api("/api/agents/one/message", { text: "fast please" });
    assert.equal((await answered.json()).reply, "quick answer");
    const pause = await api("/api/agents/three/pause", {});
    await pause.body?.cancel();
    const stream = await api("/api/agents/two/message/stream", { text: "slow please" });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!seen.includes("event: token")) seen += (await reader.read()).value ?? "";
    // Deltas are stored coalesced within 200 ms of streaming (README, "How token deltas are
    // persisted"); kill once the first one is on disk, as a crash any later would find it.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      const peek = new DatabaseSync(`${dir}/talon.db`, { readOnly: true });
      const stored = peek.prepare(
        `SELECT count(*) AS n FROM events WHERE type = 'token'
         AND turn_id = (SELECT id FROM turns WHERE input = 'slow please')`,
      ).get() as { n: number };
      peek.close();
      if (stored.n > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    server.child.kill("SIGKILL");
    await server.child.status;
    await reader.cancel().catch(() => {});
    await server.stop("SIGKILL");

    const db = new DatabaseSync(`${dir}/talon.db`, { readOnly: true });
    const turns = db.prepare(
      "SELECT a.name, t.status FROM turns t JOIN agents a ON a.id = t.agent_id ORDER BY a.name",
    ).all();
    const messages = db.prepare("SELECT COUNT(*) AS n FROM messages").get() as { n: number };
    db.close();
    assert.deepEqual(turns.map((t) => ({ ...t })), [{ name: "one", status: "completed" }, {
      name: "two",
      status: "running",
    }]);
    assert.equal(
      messages.n,
      3,
      "user+assistant of the finished turn and the acknowledged user message",
    );
    assert.deepEqual(agentStates(dir), { one: "running", two: "running", three: "paused" });

    const show = await runTalon(["agent", "show", "two", "--json", "--data-dir", dir]);
    assert.equal(JSON.parse(show.stdout).state, "running");
    const db2 = new DatabaseSync(`${dir}/talon.db`, { readOnly: true });
    const after = db2.prepare("SELECT status, error_code FROM turns WHERE input = 'slow please'")
      .get();
    const assistant = db2.prepare(
      "SELECT content FROM messages WHERE role = 'assistant' ORDER BY id",
    ).all() as { content: string }[];
    db2.close();
    assert.deepEqual({ ...after }, { status: "interrupted", error_code: "interrupted" });
    const [done, partial, ...rest] = assistant.map((m) => JSON.parse(m.content));
    assert.equal(done.text, "quick answer");
    assert.equal(partial.status, "interrupted", "the streamed part is kept, marked interrupted");
    assert.ok("one two three four five six".startsWith(partial.text), partial.text);
    assert.deepEqual(rest, [], "the interrupted turn was not re-run");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
