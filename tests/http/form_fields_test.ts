import assert from "node:assert/strict";
import { type ApiFixture, fetchPage, login, type PageReply, withApi } from "./http_fixtures.ts";

/** A form POST without JavaScript, with a session cookie and Origin. */
function post(
  f: ApiFixture,
  session: string,
  path: string,
  fields: Record<string, string | string[]>,
): Promise<PageReply> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of [value].flat()) body.append(key, v);
  }
  return fetchPage(f, path, {
    cookie: `talon_session=${session}`,
    form: body,
    origin: f.server.url,
  });
}

function errorOf(html: string, id: string): string | undefined {
  return new RegExp(`<p id="${id}-error" class="field-error">([^<]*)</p>`).exec(html)?.[1];
}

Deno.test("the spawn form without JavaScript puts each kernel refusal on the field its path names", async () => {
  await withApi(async (f) => {
    const session = await login(f, f.tokens.operator);
    const cases: [Record<string, string | string[]>, number, string, RegExp][] = [
      [{ tools: ["system_time", "nope"] }, 400, "spawn-tools", /unknown tool .quot;nope.quot;/],
      [{ skills: ["no-such-skill"] }, 400, "spawn-skills", /no-such-skill/],
      [{ provider: "nope" }, 400, "spawn-provider", /unknown provider .quot;nope.quot;/],
      [
        { capabilities: ["memory_read", "shell_exec"] },
        403,
        "spawn-capabilities",
        /shell_exec is beyond max_capabilities/,
      ],
      [
        { env_read: ["HOME"], capabilities: ["memory_read"] },
        403,
        "spawn-env_read",
        /env_read:HOME is beyond max_capabilities/,
      ],
      [
        { net_connect: ["api.example.com"], capabilities: ["shell_exec"] },
        403,
        "spawn-capabilities",
        /shell_exec/,
      ],
    ];
    for (const [fields, status, id, message] of cases) {
      const what = JSON.stringify(fields);
      const reply = await post(f, session, "/agents", { kind: "form", name: "x", ...fields });
      assert.equal(reply.status, status, what);
      assert.match(errorOf(reply.text, id) ?? "", message, `${what} on ${id}`);
      assert.match(reply.text, /fix the field marked below/, what);
    }
    assert.deepEqual(f.kernel.agents.list(), []);
  });
});

Deno.test("the manifest form without JavaScript lists the refusal's field paths under the text", async () => {
  await withApi(async (f) => {
    const session = await login(f, f.tokens.operator);
    const cases: [string, number, string[]][] = [
      ['name = "m"\n[schedule]\nmode = "continuous"\n', 400, ["schedule.message", "schedule.mode"]],
      ['name = "m"\nmcp_servers = ["fs"]\n', 400, ["mcp_servers.0"]],
      ['name = "m"\nmodule = "builtin:x"\n', 422, ["module"]],
      ['name = "m"\ntools = ["nope"]\n', 400, ["tools.0"]],
      ['name = "Bad Name"\nflavour = 1\n', 400, ["name", "flavour"]],
    ];
    for (const [text, status, paths] of cases) {
      const reply = await post(f, session, "/agents", { kind: "manifest", manifest: text });
      assert.equal(reply.status, status, text);
      const list = /<ul id="manifest-fields"[^>]*>([\s\S]*?)<\/ul>/.exec(reply.text)?.[1] ?? "";
      assert.deepEqual([...list.matchAll(/<code>([^<]+)<\/code>/g)].map((m) => m[1]), paths, text);
      assert.match(reply.text, /aria-describedby="manifest-text-error manifest-fields"/);
    }
    assert.deepEqual(f.kernel.agents.list(), []);
  });
});

Deno.test("the edit form without JavaScript puts a kernel refusal on the field its path names", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "ed", capabilities: ["file_read"] });
    const session = await login(f, f.tokens.operator);
    const typed = {
      action: "edit",
      description: "",
      system_prompt: agent.manifest.system_prompt,
      model: agent.model,
      capabilities: "file_read",
      tools: "",
      max_tokens_per_hour: "",
      max_cost_usd_per_day: "",
      max_tool_calls_per_minute: "",
      max_iterations: "",
    };
    const self = `/agents/${agent.id}`;
    const reserved = await post(f, session, self, {
      ...typed,
      capabilities: "file_read\nshell_exec",
    });
    assert.equal(reserved.status, 403);
    assert.match(
      errorOf(reserved.text, "edit-capabilities") ?? "",
      /line 2: shell_exec is beyond max_capabilities/,
    );
    const tool = await post(f, session, self, { ...typed, tools: "system_time\nnope" });
    assert.equal(tool.status, 400);
    assert.match(errorOf(tool.text, "edit-tools") ?? "", /line 2: unknown tool .quot;nope.quot;/);
    assert.match(tool.text, /system_time\nnope<\/textarea>/, "typed tools kept");
    assert.deepEqual(f.kernel.agents.get(agent.id).manifest, agent.manifest, "nothing saved");
  });
});
