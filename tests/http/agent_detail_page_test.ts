import assert from "node:assert/strict";
import { settle, writeScript } from "../kernel/fixtures.ts";
import {
  type ApiFixture,
  fetchPage as fetchShared,
  type PageReply,
  sessionCookie,
  withApi,
} from "./http_fixtures.ts";

const HOSTILE = `</script><script>alert(1)</script><!--"'&<>`;

/** A page request; forms carry our own Origin, as the pages' forms do. */
function fetchPage(
  f: ApiFixture,
  path: string,
  init: { cookie?: string; form?: Record<string, string> } = {},
): Promise<PageReply> {
  return fetchShared(f, path, { ...init, origin: init.form ? f.server.url : undefined });
}

/** Every `<script` in the page is the boot module, and the hostile markup is nowhere raw. */
function assertInert(html: string): void {
  for (const tag of html.match(/<script[^>]*>/g) ?? []) {
    assert.match(tag, /^<script type="module" nonce="[^"]+" src="\/static\/build\/boot-/);
  }
  assert.ok(!html.includes("<script>alert(1)"), "no raw script tag from data");
  assert.ok(!html.includes(`<!--"'`), "no raw comment opener from data");
}

async function hostileAgent(f: ApiFixture) {
  const script = await writeScript(f.dir, {
    turns: [{
      match: ".",
      steps: [
        { tool_calls: [{ name: "memory_store", args: { key: HOSTILE, text: HOSTILE } }] },
        { text: `reply ${HOSTILE}` },
      ],
    }],
  });
  const agent = f.kernel.agents.spawn({
    name: "spy",
    description: `desc ${HOSTILE}`,
    model: `script:${script}`,
    capabilities: ["memory_write", "memory_read"],
  });
  const done = await settle(f.kernel.agents.send(agent.id, `ask ${HOSTILE}`).result, "turn");
  assert.equal(done.status, "completed");
  return agent;
}

Deno.test("the agent page renders hostile description, messages and tool output as inert text", async () => {
  await withApi(async (f) => {
    const agent = await hostileAgent(f);
    for (const role of ["viewer", "operator"] as const) {
      const page = await fetchPage(f, `/agents/${agent.name}`, {
        cookie: await sessionCookie(f, role),
      });
      assert.equal(page.status, 200, role);
      assertInert(page.text);
      assert.match(page.text, /<h1>spy<\/h1>/);
      const escaped = "&lt;/script>&lt;script>alert(1)&lt;/script>&lt;!--&quot;'&amp;&lt;>";
      assert.ok(page.text.includes(`desc ${escaped}`), "description as text");
      assert.ok(page.text.includes(`ask ${escaped}`), "user message as text");
      const markdown =
        "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--&quot;'&amp;&lt;&gt;";
      assert.ok(
        page.text.includes(`<div class="msg-text md"><p>reply ${markdown}</p>`),
        "assistant reply as markdown, its raw HTML as text",
      );
      assert.ok(page.text.includes(`remembered &quot;${escaped}&quot;`), "tool output as text");
      assert.match(page.text, /<details class="tool-card" data-tool="memory_store">/);
    }
  });
});

Deno.test("a viewer sees the conversation but no send, stop, edit, pause or kill controls", async () => {
  await withApi(async (f) => {
    const agent = await hostileAgent(f);
    const viewer = await fetchPage(f, `/agents/${agent.id}`, {
      cookie: await sessionCookie(f, "viewer"),
    });
    assert.equal(viewer.status, 200);
    assert.match(viewer.text, /data-island="AgentChat"/);
    assert.match(viewer.text, /class="badge badge-ok">running</);
    for (
      const control of [
        /name="action"/,
        /data-island="AgentControls"/,
        /AgentEditForm/,
        /<textarea/,
      ]
    ) {
      assert.doesNotMatch(viewer.text, control);
    }
    const operator = await fetchPage(f, `/agents/${agent.id}`, {
      cookie: await sessionCookie(f, "operator"),
    });
    for (const value of ["message", "pause", "kill", "edit"]) {
      assert.match(operator.text, new RegExp(`name="action" value="${value}"`), value);
    }
    // The server enforces it too.
    const post = await fetchPage(f, `/agents/${agent.id}`, {
      cookie: await sessionCookie(f, "viewer"),
      form: { action: "pause" },
    });
    assert.equal(post.status, 403);
    assert.equal(f.kernel.agents.get(agent.id).state, "running");
  });
});

Deno.test("an unknown agent answers a 404 page that links back to the list", async () => {
  await withApi(async (f) => {
    const page = await fetchPage(f, "/agents/nobody", { cookie: await sessionCookie(f, "viewer") });
    assert.equal(page.status, 404);
    assert.match(page.text, /Agent not found/);
    assert.match(page.text, /No agent has the id or name &quot;nobody&quot;|"nobody"/);
    assert.match(page.text, /href="\/agents"/);
  });
});

Deno.test("the edit form POST with bad fields answers 400 with inline errors and the typed values kept", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "ed", description: "before" });
    const cookie = await sessionCookie(f, "operator");
    const typed = {
      action: "edit",
      description: `after ${HOSTILE}`,
      system_prompt: "Be brief.",
      model: agent.model,
      capabilities: "file_read\nbogus_cap",
      tools: "",
      max_tokens_per_hour: "lots",
      max_cost_usd_per_day: "0.5",
      max_tool_calls_per_minute: "",
      max_iterations: "",
    };
    const bad = await fetchPage(f, `/agents/${agent.id}`, { cookie, form: typed });
    assert.equal(bad.status, 400);
    assertInert(bad.text);
    assert.match(
      bad.text,
      /id="edit-capabilities-error" class="field-error">line 2: unknown capability/,
    );
    assert.match(
      bad.text,
      /id="edit-max_tokens_per_hour-error" class="field-error">must be a number/,
    );
    assert.match(bad.text, /file_read\nbogus_cap<\/textarea>/, "capabilities kept");
    assert.match(bad.text, /value="lots"/, "budget kept");
    assert.match(bad.text, /value="0.5"/);
    assert.match(bad.text, /after &lt;\/script>/, "description kept");
    assert.match(bad.text, /Be brief\.<\/textarea>/);
    assert.equal(f.kernel.agents.get(agent.id).description, "before", "nothing saved");

    const refused = await fetchPage(f, `/agents/${agent.id}`, {
      cookie,
      form: { ...typed, capabilities: "shell_exec", max_tokens_per_hour: "" },
    });
    assert.equal(refused.status, 403, "the kernel's refusal keeps the form too");
    assert.match(refused.text, /class="form-error" role="alert">[^<]*shell_exec/);
    assert.match(refused.text, /shell_exec<\/textarea>/);

    const good = await fetchPage(f, `/agents/${agent.id}`, {
      cookie,
      form: { ...typed, capabilities: "file_read", max_tokens_per_hour: "5000" },
    });
    assert.equal(good.status, 303);
    assert.equal(good.location, `/agents/${agent.id}?saved=1#edit`);
    const saved = f.kernel.agents.get(agent.id);
    assert.equal(saved.description, `after ${HOSTILE}`);
    assert.deepEqual(saved.capabilities, ["file_read"]);
    assert.deepEqual(saved.manifest.resources, {
      max_tokens_per_hour: 5000,
      max_cost_usd_per_day: 0.5,
    });
    const entry = f.kernel.audit.list({ agent_id: agent.id, action: "agent.update" }).entries[0];
    assert.deepEqual(entry?.detail.fields, [
      "capabilities",
      "description",
      "resources",
      "system_prompt",
    ]);

    const same = await fetchPage(f, `/agents/${agent.id}`, {
      cookie,
      form: { ...typed, capabilities: "file_read", max_tokens_per_hour: "5000" },
    });
    assert.equal(same.status, 400);
    assert.match(same.text, /Nothing changed/);
  });
});

Deno.test("pause, resume and kill work as form POSTs; kill asks for confirmation first", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "life" });
    const cookie = await fetchPageCookie(f);
    const post = (form: Record<string, string>) =>
      fetchPage(f, `/agents/${agent.id}`, { cookie, form });

    assert.equal((await post({ action: "pause" })).status, 303);
    assert.equal(f.kernel.agents.get(agent.id).state, "paused");
    const refused = await post({ action: "message", text: "hello <b>there</b>" });
    assert.equal(refused.status, 409);
    assert.match(refused.text, /role="alert">[^<]*paused/);
    assert.match(refused.text, /hello &lt;b>there&lt;\/b><\/textarea>/, "the draft is kept");
    assert.equal((await post({ action: "resume" })).status, 303);
    assert.equal(f.kernel.agents.get(agent.id).state, "running");
    const empty = await post({ action: "message", text: "" });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /Message must not be empty/);

    const confirm = await post({ action: "kill" });
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /Kill life\?/);
    assert.match(confirm.text, /name="confirm" value="yes"/);
    assert.equal(f.kernel.agents.get(agent.id).state, "running", "not killed before confirming");
    const killed = await post({ action: "kill", confirm: "yes" });
    assert.equal(killed.status, 303);
    assert.equal(f.kernel.agents.get(agent.id).state, "killed");
    const page = await fetchPage(f, `/agents/${agent.id}`, { cookie });
    assert.match(page.text, /data-state="killed"/);
    assert.doesNotMatch(page.text, /value="pause"|value="kill"|AgentEditForm/);
    const again = await post({ action: "resume" });
    assert.equal(again.status, 409);
    assert.match(again.text, /class="form-error" role="alert"/);
  });
});

async function fetchPageCookie(f: ApiFixture): Promise<string> {
  return await sessionCookie(f, "operator");
}

Deno.test("a message POST without JavaScript queues the turn; the answer shows in the history", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "nojs" });
    const cookie = await sessionCookie(f, "operator");
    const sent = await fetchPage(f, `/agents/${agent.id}`, {
      cookie,
      form: { action: "message", text: "ping from a form" },
    });
    assert.equal(sent.status, 303);
    assert.equal(sent.location, `/agents/${agent.id}#chat`);
    await settle(
      (async () => {
        while (f.kernel.agents.currentTurn(agent.id) !== undefined) {
          await new Promise((r) => setTimeout(r, 20));
        }
      })(),
      "turn to finish",
    );
    const page = await fetchPage(f, `/agents/${agent.id}`, { cookie });
    assert.match(page.text, /<p class="msg-text">ping from a form<\/p>/);
  });
});

Deno.test("the usage chart is an accessible SVG of this agent's days, and audit entries page back", async () => {
  await withApi(async (f) => {
    const agent = await hostileAgent(f);
    for (let i = 0; i < 16; i++) {
      f.kernel.agents.update(agent.id, { description: `edit ${i}` }, { actor: "test" });
    }
    const cookie = await sessionCookie(f, "viewer");
    const page = await fetchPage(f, `/agents/${agent.id}`, { cookie });
    assert.match(
      page.text,
      /<svg class="chart chart-columns" role="img" aria-labelledby="usage-title usage-desc"/,
    );
    assert.match(page.text, /<title id="usage-title">Tokens per day used by spy<\/title>/);
    assert.equal((page.text.match(/class="chart-bar"/g) ?? []).length, 14);
    const today = new Date().toISOString().slice(0, 10);
    assert.match(page.text, new RegExp(`<td>${today}</td><td class="num">[1-9]`));
    const rows = page.text.match(/<code>agent\.update<\/code>/g) ?? [];
    assert.equal(rows.length, 15, "one page of audit entries");
    const older = /href="(\/agents\/[^"]+\?audit_before=\d+#audit)"/.exec(page.text)?.[1];
    assert.ok(older, "an older-entries link");
    const next = await fetchPage(f, older.replaceAll("&amp;", "&"), { cookie });
    assert.match(next.text, /<code>agent\.spawn<\/code>/);
    assert.match(next.text, /Newest entries/);
  });
});

Deno.test("the history shows the newest messages first page; 'Older messages' pages back", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "talky" });
    for (let i = 1; i <= 16; i++) {
      await settle(f.kernel.agents.send(agent.id, `question ${i}`).result, `turn ${i}`);
    }
    const cookie = await sessionCookie(f, "viewer");
    const page = await fetchPage(f, `/agents/${agent.id}`, { cookie });
    assert.match(page.text, /question 16</);
    assert.doesNotMatch(page.text, /question 1</);
    const older = /href="(\?before=\d+#chat)"/.exec(page.text)?.[1];
    assert.ok(older, "an older-messages link");
    const back = await fetchPage(f, `/agents/${agent.id}${older}`, { cookie });
    assert.match(back.text, /question 1</);
    assert.doesNotMatch(back.text, /question 16</);
    assert.match(back.text, /Back to the latest messages/);
  });
});
