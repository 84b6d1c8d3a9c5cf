import assert from "node:assert/strict";
import { settle } from "../kernel/fixtures.ts";
import {
  type ApiFixture,
  call,
  fetchPage as fetchShared,
  type PageReply,
  sessionCookie,
  withApi,
} from "./http_fixtures.ts";

const HOSTILE = `</script><script>alert(1)</script><img src=x onerror=alert(2)>"'&`;
const PAGES = ["/", "/usage", "/audit", "/settings", "/skills"];
type Role = "viewer" | "operator" | "admin";

/** A page request; forms carry our own Origin, as the pages' forms do. */
function fetchPage(
  f: ApiFixture,
  path: string,
  init: { cookie?: string; form?: Record<string, string> } = {},
): Promise<PageReply> {
  return fetchShared(f, path, { ...init, origin: init.form ? f.server.url : undefined });
}

/** Forms that change something (every POST form but sign-out). */
function mutatingForms(html: string): string[] {
  return [...html.matchAll(/<form[^>]*method="post"[^>]*>/g)].map((m) => m[0])
    .filter((tag) => !tag.includes('action="/logout"'));
}

/** Values of the inputs named `name`. */
function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  return tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined;
}

async function withActivity(
  fn: (f: ApiFixture, agent: { id: string; name: string }) => Promise<void>,
): Promise<void> {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "scout", description: HOSTILE });
    await settle(f.kernel.agents.send("scout", "hello there").result, "a turn");
    await fn(f, agent);
  });
}

Deno.test("every operations page renders for a viewer with the kernel's real data", async () => {
  await withActivity(async (f, agent) => {
    const viewer = await sessionCookie(f, "viewer");
    const pages = new Map<string, string>();
    for (const path of PAGES) {
      const reply = await fetchPage(f, path, { cookie: viewer });
      assert.equal(reply.status, 200, `${path}: ${reply.text.slice(0, 300)}`);
      pages.set(path, reply.text);
    }
    const home = pages.get("/")!;
    assert.match(
      home,
      /<a href="\/agents\?state=running"><span class="stat-label"><span class="badge badge-ok">running<\/span><\/span><span class="stat-value">1<\/span>/,
    );
    assert.match(home, /Recent events/);
    assert.match(home, new RegExp(`href="/agents/${agent.id}"[^>]*>scout</a>`));
    assert.match(home, /turn started: hello there/);
    assert.ok(!home.includes('class="badge badge-muted">token<'), "token deltas stay out");
    assert.match(home, /Offline driver\./);
    assert.match(home, /Last 24 hours/);
    assert.match(home, /schema|Schema/);

    const usage = pages.get("/usage")!;
    assert.match(
      usage,
      /<svg class="chart chart-bars" role="img" aria-labelledby="usage-agent-title usage-agent-desc"/,
    );
    assert.match(usage, /<title id="usage-agent-title">Tokens by agent<\/title>/);
    assert.match(
      usage,
      /<desc id="usage-agent-desc">1 entries, [\d,]+ tokens in total; highest scout/,
    );
    assert.match(usage, /<caption class="visually-hidden">Tokens by model \(table\)<\/caption>/);
    assert.match(usage, /role="img" aria-labelledby="usage-day-title usage-day-desc"/);
    assert.match(usage, /no cap/);

    const audit = pages.get("/audit")!;
    assert.match(audit, /<code>agent\.spawn<\/code>/);
    assert.match(audit, /<code>agent\.message<\/code>/);
    assert.match(audit, /Verify chain/);

    const settings = pages.get("/settings")!;
    assert.match(
      settings,
      /<strong>offline<\/strong> <span class="badge badge-info">default<\/span>/,
    );
    assert.match(settings, /set OPENAI_API_KEY/);
    assert.ok(settings.includes(f.dir), "the data dir is shown");
    assert.match(settings, /Only an admin can see and manage API tokens/);

    const skills = pages.get("/skills")!;
    assert.match(skills, /<strong>textstats<\/strong>/);
    assert.match(skills, /badge badge-ok">loaded</);
    assert.match(skills, /<code>system_time<\/code>/);
    assert.match(skills, /<td\s*>builtin<\/td>/);
  });
});

Deno.test("viewers and operators get no budget form or token controls; admins do", async () => {
  await withApi(async (f) => {
    for (const role of ["viewer", "operator"] as const) {
      const cookie = await sessionCookie(f, role);
      for (const path of PAGES) {
        const reply = await fetchPage(f, path, { cookie });
        assert.deepEqual(mutatingForms(reply.text), [], `${role} on ${path}`);
        assert.ok(!reply.text.includes("Create token"), `${role} on ${path}`);
        assert.ok(!reply.text.includes("Save budget"), `${role} on ${path}`);
      }
      const posted = await fetchPage(f, "/usage", { cookie, form: { usd_per_day: "1" } });
      assert.equal(posted.status, 403, role);
      const token = await fetchPage(f, "/settings", {
        cookie,
        form: { intent: "create", name: "x", role: "admin" },
      });
      assert.equal(token.status, 403, role);
    }
    const admin = await sessionCookie(f, "admin");
    const usage = await fetchPage(f, "/usage", { cookie: admin });
    assert.match(usage.text, /<form method="post" action="\/usage"/);
    assert.match(usage.text, /Save budget/);
    const settings = await fetchPage(f, "/settings", { cookie: admin });
    assert.match(settings.text, /Create token/);
    assert.match(settings.text, /aria-label="Revoke a"/);
  });
});

Deno.test("the budget form POST shows each error inline, keeps what was typed, and changes nothing", async () => {
  await withApi(async (f) => {
    const admin = await sessionCookie(f, "admin");
    const bad = await fetchPage(f, "/usage", {
      cookie: admin,
      form: { usd_per_hour: "-5", usd_per_day: "lots", usd_per_month: "12.5" },
    });
    assert.equal(bad.status, 400);
    assert.equal(inputValue(bad.text, "usd_per_hour"), "-5");
    assert.equal(inputValue(bad.text, "usd_per_day"), "lots");
    assert.equal(inputValue(bad.text, "usd_per_month"), "12.5");
    assert.match(bad.text, /id="budget-usd_per_hour-error" class="field-error">Too small/);
    assert.match(bad.text, /id="budget-usd_per_day-error" class="field-error">enter an amount/);
    assert.ok(!bad.text.includes("budget-usd_per_month-error"));
    assert.match(bad.text, /id="budget-usd_per_day"[^>]*aria-invalid="true"/);
    assert.deepEqual(f.kernel.budgetReport().global.caps, {});

    const good = await fetchPage(f, "/usage", {
      cookie: admin,
      form: { usd_per_hour: "", usd_per_day: "3", usd_per_month: "40" },
    });
    assert.equal(good.status, 200);
    assert.match(good.text, /Budget saved\./);
    assert.deepEqual(f.kernel.budgetReport().global.caps, { usd_per_day: 3, usd_per_month: 40 });
    assert.equal(inputValue(good.text, "usd_per_day"), "3");
    assert.match(good.text, /\$0\.00 of \$3\.00 \(0%\)/);
    const audit = f.kernel.audit.list({ action: "budget.set" });
    assert.equal(audit.entries.length, 1);
    assert.match(audit.entries[0]!.actor, /^token:/);
  });
});

Deno.test("a token created with the settings form is shown once and never again", async () => {
  await withApi(async (f) => {
    const admin = await sessionCookie(f, "admin");
    const bad = await fetchPage(f, "/settings", {
      cookie: admin,
      form: { intent: "create", name: "  ", role: "operator" },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /id="token-name-error" class="field-error">give the token a name/);
    assert.match(
      bad.text,
      /&quot;role&quot;:&quot;operator&quot;/,
      "the chosen role is kept in the island's props",
    );

    const made = await fetchPage(f, "/settings", {
      cookie: admin,
      form: { intent: "create", name: "ci-bot", role: "operator" },
    });
    assert.equal(made.status, 201);
    assert.equal(made.headers.get("cache-control"), "no-store");
    const token = /<code class="new-token-value" id="new-token-value">(tln_[^<]+)<\/code>/
      .exec(made.text)?.[1];
    assert.ok(token, "the new token is in the page");
    const works = await call(f, "GET", "/api/status", { token });
    assert.equal(works.status, 200);

    const again = await fetchPage(f, "/settings", { cookie: admin });
    assert.equal(again.status, 200);
    assert.match(again.text, />ci-bot</);
    assert.ok(!again.text.includes(token), "a reload never shows the token");
    assert.ok(!again.text.includes(token.slice(-20)), "not even its secret part");

    const id = f.kernel.tokens.list().find((t) => t.name === "ci-bot")!.id;
    const confirm = await fetchPage(f, `/settings?revoke=${id}`, { cookie: admin });
    assert.match(confirm.text, /Revoke ci-bot\?/);
    const revoked = await fetchPage(f, "/settings", {
      cookie: admin,
      form: { intent: "revoke", id },
    });
    assert.equal(revoked.status, 303);
    assert.equal(revoked.headers.get("location"), "/settings#tokens");
    assert.equal((await call(f, "GET", "/api/status", { token })).status, 401);
    const after = await fetchPage(f, "/settings", { cookie: admin });
    assert.match(after.text, /badge badge-muted">revoked</);
  });
});

Deno.test("hostile agent descriptions, messages, token names and audit details render inert", async () => {
  await withActivity(async (f, agent) => {
    await settle(f.kernel.agents.send("scout", HOSTILE).result, "a hostile turn");
    f.kernel.audit.append({
      action: "tool.call",
      actor: "system",
      agent_id: agent.id,
      detail: { tool: "web_fetch", output: HOSTILE },
    });
    f.kernel.agents.kill("scout", { reason: HOSTILE });
    await f.kernel.tokens.create({ actor: "test", role: "viewer", name: HOSTILE });
    const admin = await sessionCookie(f, "admin");
    for (const path of PAGES) {
      const reply = await fetchPage(f, path, { cookie: admin });
      assert.equal(reply.status, 200, path);
      assert.ok(!reply.text.includes("<script>alert(1)"), `${path} has a live script tag`);
      assert.ok(!reply.text.includes("<img src=x"), `${path} has a live img tag`);
    }
    const home = await fetchPage(f, "/", { cookie: admin });
    assert.match(home.text, /&lt;script>alert\(1\)&lt;\/script>|&lt;script&gt;alert\(1\)/);
    const audit = await fetchPage(f, "/audit", { cookie: admin });
    assert.match(audit.text, /alert\(1\)/, "the hostile detail is shown, escaped");
    const settings = await fetchPage(f, "/settings", { cookie: admin });
    assert.match(settings.text, /alert\(1\)/, "the hostile token name is shown, escaped");
  });
});

Deno.test("/audit filters by agent and action, pages with before, and ?verify=1 shows the result", async () => {
  await withActivity(async (f, agent) => {
    for (let i = 0; i < 55; i++) {
      f.kernel.audit.append({ action: "tool.call", actor: "system", detail: { i } });
    }
    const viewer = await sessionCookie(f, "viewer");
    const byAgent = await fetchPage(f, "/audit?agent=scout", { cookie: viewer });
    assert.match(byAgent.text, /<code>agent\.spawn<\/code>/);
    assert.ok(!byAgent.text.includes("<code>tool.call</code>"), "other agents' entries left out");
    assert.match(byAgent.text, /<input id="agent" name="agent" type="search" value="scout"/);

    const calls = await fetchPage(f, "/audit?action=tool.call", { cookie: viewer });
    assert.equal([...calls.text.matchAll(/<code>tool\.call<\/code>/g)].length, 50);
    const older = /href="(\/audit\?action=tool.call&amp;before=\d+)"/.exec(calls.text)?.[1];
    assert.ok(older, "a link to older entries keeps the filter");
    const page2 = await fetchPage(f, older.replaceAll("&amp;", "&"), { cookie: viewer });
    assert.equal([...page2.text.matchAll(/<code>tool\.call<\/code>/g)].length, 5);
    assert.match(page2.text, /&quot;live&quot;:false/);

    const bad = await fetchPage(f, "/audit?action=nope", { cookie: viewer });
    assert.equal(bad.status, 200);
    assert.match(bad.text, /These filters do not work/);

    const verified = await fetchPage(f, "/audit?verify=1", { cookie: viewer });
    const head = f.kernel.audit.verify().head!;
    assert.match(verified.text, new RegExp(`Audit chain intact: ${head.id} entries`));
    assert.ok(verified.text.includes(head.hash));
    void agent;
  });
});
