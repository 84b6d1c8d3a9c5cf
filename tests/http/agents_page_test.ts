import assert from "node:assert/strict";
import { type ApiFixture, fetchPage, login, type PageReply, withApi } from "./http_fixtures.ts";

const HOSTILE = `</script><script>alert(1)</script><img src=x onerror=alert(2)>"'&`;

/** A browser-like request with a session cookie (and Origin on POSTs). */
function browse(
  f: ApiFixture,
  session: string,
  path: string,
  body?: URLSearchParams | FormData,
): Promise<PageReply> {
  return fetchPage(f, path, {
    cookie: `talon_session=${session}`,
    form: body,
    origin: body ? f.server.url : undefined,
  });
}

function form(fields: Record<string, string | string[]>): URLSearchParams {
  const params = new URLSearchParams({ kind: "form" });
  for (const [key, value] of Object.entries(fields)) {
    for (const v of [value].flat()) params.append(key, v);
  }
  return params;
}

/** The HTML of the `<tbody>` of the agents table ("" when there is none). */
function tableBody(html: string): string {
  return /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
}

/** Agent names linked from the table, in page order. */
function namesIn(html: string): string[] {
  return [...tableBody(html).matchAll(/<a href="\/agents\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

function errorOf(html: string, id: string): string | undefined {
  return new RegExp(`<p id="${id}-error" class="field-error">([^<]*)</p>`).exec(html)?.[1];
}

Deno.test("/agents lists agents with hostile descriptions escaped, linking to /agents/{id}", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "evil", description: HOSTILE });
    const session = await login(f, f.tokens.viewer);
    const reply = await browse(f, session, "/agents");
    assert.equal(reply.status, 200);
    const body = tableBody(reply.text);
    assert.match(body, new RegExp(`<a href="/agents/${agent.id}">evil</a>`));
    assert.ok(body.includes("&lt;/script>&lt;script>alert(1)&lt;/script>&lt;img src=x"), body);
    assert.match(body, /offline\/echo/);
    assert.match(body, /\$0\.00/);
    assert.ok(!reply.text.includes("<script>alert(1)"), "no live script");
    assert.ok(!reply.text.includes("<img src=x"), "no live img");
  });
});

Deno.test("/agents with no agents shows the empty state with how to spawn", async () => {
  await withApi(async (f) => {
    const reply = await browse(f, await login(f, f.tokens.operator), "/agents");
    assert.equal(reply.status, 200);
    assert.match(reply.text, /No agents yet/);
    assert.match(reply.text, /talon agent spawn --name my-agent/);
    assert.equal(tableBody(reply.text), "");
  });
});

Deno.test("/agents filters by state and searches name and description through the query", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "alpha", description: "Weather reports" });
    f.kernel.agents.spawn({ name: "beta", description: "news" });
    const gamma = f.kernel.agents.spawn({ name: "gamma-weather", description: "" });
    f.kernel.agents.kill(gamma.id);
    const session = await login(f, f.tokens.viewer);
    const names = async (query: string) => {
      const reply = await browse(f, session, `/agents${query}`);
      assert.equal(reply.status, 200, query);
      return namesIn(reply.text).sort();
    };
    assert.deepEqual(await names(""), ["alpha", "beta", "gamma-weather"]);
    assert.deepEqual(await names("?q=WEATHER"), ["alpha", "gamma-weather"]);
    assert.deepEqual(await names("?state=killed"), ["gamma-weather"]);
    assert.deepEqual(await names("?q=weather&state=killed"), ["gamma-weather"]);
    assert.deepEqual(await names("?q=nothing-like-this"), []);
    const none = await browse(f, session, "/agents?q=nothing-like-this");
    assert.match(none.text, /No agents match/);
    assert.match(
      none.text,
      /<input id="agents-q" name="q" type="search" value="nothing-like-this"/,
    );
    const bad = await browse(f, session, "/agents?state=sleeping");
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Could not list agents/);
    assert.match(bad.text, /state: /);
  });
});

Deno.test("/agents pages with limit and before", async () => {
  await withApi(async (f) => {
    for (const name of ["a1", "a2", "a3"]) f.kernel.agents.spawn({ name });
    const session = await login(f, f.tokens.viewer);
    const first = await browse(f, session, "/agents?limit=2");
    const next = /href="(\/agents\?limit=2&amp;before=[^"]+)"[^>]*>\s*Next page/.exec(first.text)
      ?.[1];
    assert.ok(next, "a next-page link");
    const second = await browse(f, session, next.replaceAll("&amp;", "&"));
    assert.doesNotMatch(second.text, /Next page/);
    assert.match(second.text, /First page/);
    const firstNames = namesIn(first.text);
    const secondNames = namesIn(second.text);
    assert.equal(firstNames.length, 2);
    assert.deepEqual([...firstNames, ...secondNames].sort(), ["a1", "a2", "a3"]);
  });
});

Deno.test("GET /api/agents?q= finds text in names and descriptions", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "alpha", description: "Weather" });
    f.kernel.agents.spawn({ name: "beta" });
    const res = await fetch(`${f.server.url}/api/agents?q=weath`, {
      headers: { authorization: `Bearer ${f.tokens.viewer}` },
    });
    const body = await res.json();
    assert.deepEqual(body.agents.map((a: { name: string }) => a.name), ["alpha"]);
  });
});

Deno.test("a viewer sees no spawn form and cannot POST one; an operator sees both forms", async () => {
  await withApi(async (f) => {
    const viewer = await login(f, f.tokens.viewer);
    const page = await browse(f, viewer, "/agents");
    assert.doesNotMatch(page.text, /<form[^>]*action="\/agents#spawn"/);
    assert.doesNotMatch(page.text, /Spawn from a manifest/);
    assert.doesNotMatch(page.text, /href="#spawn"/);
    const refused = await browse(f, viewer, "/agents", form({ name: "sneaky" }));
    assert.equal(refused.status, 403);
    assert.deepEqual(f.kernel.agents.list(), []);
    const operator = await browse(f, await login(f, f.tokens.operator), "/agents");
    assert.match(operator.text, /<form method="post" action="\/agents#spawn"/);
    assert.match(operator.text, /<form method="post" action="\/agents#manifest"/);
    // The vocabulary: shell_exec is beyond the default max_capabilities.
    assert.match(operator.text, /value="shell_exec"[^>]* disabled/);
    assert.match(operator.text, /not allowed by max_capabilities/);
    assert.match(operator.text, /value="file_read"(?![^>]* disabled)/);
    assert.match(operator.text, /value="system_time"/);
    assert.match(operator.text, /value="textstats"/);
    assert.match(operator.text, /<option\s+value="gpt-4o"\s*>/);
  });
});

Deno.test("a spawn form POST with a bad name answers 400 naming the field, every typed value kept", async () => {
  await withApi(async (f) => {
    const session = await login(f, f.tokens.operator);
    const reply = await browse(
      f,
      session,
      "/agents",
      form({
        name: "Bad Name!",
        description: `kept ${HOSTILE}`,
        provider: "offline",
        model: "",
        system_prompt: "Answer in haiku.\nAlways.",
        capabilities: ["file_read", "memory_read"],
        net_connect: ["api.example.com", ""],
        env_read: [""],
        tools: ["system_time", "file_read"],
        skills: ["textstats"],
        max_iterations: "7",
        max_cost_usd_per_day: "abc",
      }),
    );
    assert.equal(reply.status, 400);
    const html = reply.text;
    assert.match(errorOf(html, "spawn-name") ?? "", /must be a slug/);
    assert.match(errorOf(html, "spawn-max_cost_usd_per_day") ?? "", /enter a number/);
    assert.match(html, /id="spawn-name" name="name"[^>]*aria-invalid="true"/);
    assert.match(html, /value="Bad Name!"/);
    assert.match(html, /value="kept &lt;\/script>&lt;script>alert\(1\)/);
    assert.match(
      html,
      /<textarea id="spawn-system_prompt"[^>]*>Answer in haiku.\nAlways.<\/textarea>/,
    );
    assert.match(html, /<option\s+value="offline"\s+selected>/);
    for (const value of ["file_read", "memory_read", "system_time", "textstats"]) {
      assert.match(html, new RegExp(`value="${value}" checked`), value);
    }
    assert.doesNotMatch(html, /value="file_write" checked/);
    assert.match(html, /name="net_connect" value="api.example.com"/);
    assert.match(html, /name="max_iterations"[^>]*value="7"/);
    assert.match(html, /name="max_cost_usd_per_day"[^>]*value="abc"/);
    assert.deepEqual(f.kernel.agents.list(), []);
  });
});

Deno.test("a spawn form POST the kernel refuses shows the refusal on its field", async () => {
  await withApi(async (f) => {
    f.kernel.agents.spawn({ name: "taken" });
    const session = await login(f, f.tokens.operator);
    const taken = await browse(f, session, "/agents", form({ name: "taken", description: "d" }));
    assert.equal(taken.status, 409);
    assert.match(errorOf(taken.text, "spawn-name") ?? "", /taken/);
    assert.match(taken.text, /value="d"/);
    const beyond = await browse(
      f,
      session,
      "/agents",
      form({ name: "shelly", capabilities: ["shell_exec"] }),
    );
    assert.equal(beyond.status, 403);
    assert.match(errorOf(beyond.text, "spawn-capabilities") ?? "", /shell_exec.*max_capabilities/);
    const env = await browse(f, session, "/agents", form({ name: "envy", env_read: ["HOME"] }));
    assert.equal(env.status, 403);
    assert.match(errorOf(env.text, "spawn-env_read") ?? "", /env_read:HOME/);
    const provider = await browse(f, session, "/agents", form({ name: "oa", provider: "openai" }));
    assert.equal(provider.status, 422);
    assert.match(errorOf(provider.text, "spawn-provider") ?? "", /OPENAI_API_KEY/);
  });
});

Deno.test("a valid spawn form POST spawns the agent and redirects to its page", async () => {
  await withApi(async (f) => {
    const session = await login(f, f.tokens.operator);
    const reply = await browse(
      f,
      session,
      "/agents",
      form({
        name: "helper",
        description: "Helps",
        provider: "",
        model: "",
        system_prompt: "",
        capabilities: ["file_read"],
        net_connect: ["api.example.com", ""],
        tools: ["system_time", "file_read"],
        skills: ["textstats"],
        max_tokens_per_hour: "",
        max_cost_usd_per_day: "0.5",
        max_iterations: "7",
      }),
    );
    assert.equal(reply.status, 303);
    const [agent] = f.kernel.agents.list();
    assert.ok(agent);
    assert.equal(reply.headers.get("location"), `/agents/${agent.id}`);
    assert.equal(agent.name, "helper");
    assert.equal(agent.provider, "offline");
    assert.deepEqual(agent.capabilities, ["file_read", "net_connect:api.example.com"]);
    assert.deepEqual(agent.manifest.tools, ["system_time", "file_read"]);
    assert.deepEqual(agent.manifest.skills, ["textstats"]);
    assert.deepEqual(agent.manifest.resources, { max_cost_usd_per_day: 0.5, max_iterations: 7 });
    assert.equal(agent.manifest.system_prompt, "You are a helpful assistant.");
  });
});

Deno.test("a pasted TOML or JSON manifest, or an uploaded file, spawns and redirects", async () => {
  await withApi(async (f) => {
    const session = await login(f, f.tokens.operator);
    const toml = `name = "from-toml"\ndescription = "pasted"\ncapabilities = ["memory_read"]\n`;
    const pasted = await browse(
      f,
      session,
      "/agents",
      new URLSearchParams({ kind: "manifest", manifest: toml }),
    );
    assert.equal(pasted.status, 303);
    const agent = f.kernel.agents.get("from-toml");
    assert.equal(pasted.headers.get("location"), `/agents/${agent.id}`);
    assert.equal(agent.description, "pasted");
    const json = await browse(
      f,
      session,
      "/agents",
      new URLSearchParams({ kind: "manifest", manifest: `{"name":"from-json"}` }),
    );
    assert.equal(json.status, 303);
    f.kernel.agents.get("from-json");
    const upload = new FormData();
    upload.set("kind", "manifest");
    upload.set("manifest", "");
    upload.set("file", new File([`name = "from-file"`], "agent.toml"));
    const uploaded = await browse(f, session, "/agents", upload);
    assert.equal(uploaded.status, 303);
    f.kernel.agents.get("from-file");
  });
});

Deno.test("a bad manifest answers with the error and keeps the text", async () => {
  await withApi(async (f) => {
    const session = await login(f, f.tokens.operator);
    const text = `name = "broken\ndescription = "<b>x</b>"`;
    const reply = await browse(
      f,
      session,
      "/agents",
      new URLSearchParams({ kind: "manifest", manifest: text }),
    );
    assert.equal(reply.status, 400);
    assert.match(
      reply.text,
      /<p id="manifest-text-error" class="field-error" role="alert">not valid TOML/,
    );
    assert.ok(
      reply.text.includes(
        `>name = &quot;broken\ndescription = &quot;&lt;b>x&lt;/b>&quot;</textarea>`,
      ),
      "the text is kept, escaped",
    );
    const invalid = await browse(
      f,
      session,
      "/agents",
      new URLSearchParams({ kind: "manifest", manifest: `name = "ok"\nbogus = 1` }),
    );
    assert.equal(invalid.status, 400);
    assert.match(
      invalid.text,
      /invalid manifest: unknown field &quot;bogus&quot;|invalid manifest: unknown field "bogus"/,
    );
    assert.match(invalid.text, /bogus = 1<\/textarea>/);
    assert.deepEqual(f.kernel.agents.list(), []);
  });
});

Deno.test("the table shows each agent's spend against its daily cap and its last activity", async () => {
  await withApi(
    async (f) => {
      const agent = f.kernel.agents.spawn({
        name: "spender",
        resources: { max_cost_usd_per_day: 5 },
      });
      f.kernel.agents.spawn({ name: "idle" });
      const result = await f.kernel.agents.send(agent.id, "hello there").result;
      assert.equal(result.status, "completed");
      const spent = f.kernel.budget.agentBudget(f.kernel.agents.get(agent.id)).used.usd_last_day;
      assert.ok(spent > 0.01, `priced by the catalog: ${spent}`);
      const reply = await browse(f, await login(f, f.tokens.viewer), "/agents?q=spender");
      const body = tableBody(reply.text);
      assert.ok(body.includes(`$${spent.toFixed(2)}`), body);
      assert.match(body, /<span class="muted"> \/ \$5\.00<\/span>/);
      const active = f.kernel.agents.get(agent.id).last_active_at!;
      assert.match(
        body,
        new RegExp(
          `<time datetime="${active}" title="${active}">\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC</time>`,
        ),
      );
      const idle = await browse(f, await login(f, f.tokens.viewer), "/agents?q=idle");
      assert.match(tableBody(idle.text), /<span class="muted">never<\/span>/);
    },
    { config: `[models.echo]\ninput_usd_per_mtok = 1000\noutput_usd_per_mtok = 1000\n` },
  );
});
