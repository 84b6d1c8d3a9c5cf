import assert from "node:assert/strict";
import { serveWeb } from "../../../fakes/web_server.ts";
import { withKernel } from "../../fixtures.ts";
import { auditOf, callTools } from "../fixtures.ts";

const LOCAL = '[tools.web]\nallow_hosts = ["127.0.0.1"]\n';

Deno.test("web_fetch returns status, final URL, content type and text of an allowed local page", async () => {
  await using server = serveWeb((req) =>
    new URL(req.url).pathname === "/old"
      ? new Response(null, { status: 302, headers: { location: "/page" } })
      : new Response("<h1>hi</h1>", { headers: { "content-type": "text/html" } })
  );
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: { tools: ["web_fetch"], capabilities: ["net_connect:127.0.0.1"] },
      calls: [{ name: "web_fetch", args: { url: `${server.origin}/old` } }],
    });
    assert.equal(
      ends[0]!.data.output,
      `200 ${server.origin}/page\ncontent-type: text/html\n\n<h1>hi</h1>`,
    );
  }, { config: LOCAL });
});

Deno.test("web_fetch checks net_connect again on every redirect", async () => {
  await using inner = serveWeb(() => new Response("inner"), "127.0.0.2");
  await using outer = serveWeb(() =>
    new Response(null, { status: 302, headers: { location: `${inner.origin}/` } })
  );
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: { tools: ["web_fetch"], capabilities: [`net_connect:127.0.0.1:${outer.port}`] },
      calls: [{ name: "web_fetch", args: { url: `${outer.origin}/` } }],
    });
    assert.equal(ends[0]!.data.ok, false);
    assert.match(
      ends[0]!.data.output,
      new RegExp(
        `needs net_connect:127\\.0\\.0\\.2:${inner.port}, which agent "caller" does not hold`,
      ),
    );
    assert.deepEqual(inner.hits, []);
  }, { config: '[tools.web]\nallow_hosts = ["127.0.0.1", "127.0.0.2"]\n' });
});

Deno.test("an agent granted only net_connect:* cannot read a file or reach 169.254.169.254", async () => {
  await withKernel(async (kernel, dir) => {
    const { result, ends, agentId } = await callTools(kernel, dir, {
      manifest: { tools: ["file_read", "web_fetch"], capabilities: ["net_connect:*"] },
      before: async (id) => {
        await Deno.mkdir(`${dir}/workspaces/${id}`, { recursive: true });
        await Deno.writeTextFile(`${dir}/workspaces/${id}/mine.txt`, "x");
      },
      calls: [
        { name: "file_read", args: { path: "mine.txt" } },
        { name: "web_fetch", args: { url: "http://169.254.169.254/latest/meta-data/" } },
        { name: "web_fetch", args: { url: "http://metadata.test/computeMetadata/v1/" } },
        { name: "web_fetch", args: { url: "http://[::ffff:169.254.169.254]/" } },
      ],
    });
    assert.equal(result.status, "completed");
    assert.equal(ends[0]!.data.output.includes("needs file_read"), true);
    for (const end of ends.slice(1)) {
      assert.equal(end.data.ok, false);
      assert.match(end.data.output, /cloud metadata address; only public hosts are fetched/);
    }
    const denied = auditOf(kernel, "capability.denied").filter((r) => r.agent_id === agentId);
    assert.deepEqual(denied.map((r) => r.detail?.tool), ["file_read"]);
  }, {
    boot: {
      resolver: (name) =>
        Promise.resolve(name === "metadata.test" ? ["169.254.169.254"] : ["203.0.113.9"]),
    },
  });
});

Deno.test("web_search asks a local SearXNG-style API through the guard and returns its results", async () => {
  await using api = serveWeb(() =>
    Response.json({
      results: [
        { title: "Deno", url: "https://deno.com/", content: "A runtime" },
        { title: "Talon", url: "https://talon.local/", content: "An agent OS" },
      ],
    })
  );
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: { tools: ["web_search"], capabilities: ["net_connect:127.0.0.1"] },
      calls: [{ name: "web_search", args: { query: "agent os", max_results: 1 } }],
    });
    assert.deepEqual(JSON.parse(ends[0]!.data.output), {
      query: "agent os",
      results: [{ title: "Deno", url: "https://deno.com/", snippet: "A runtime" }],
    });
    assert.deepEqual(api.hits, ["/searx/search?q=agent+os&format=json"]);
  }, {
    config: `${LOCAL}[tools.web_search]\nprovider = "searxng"\nurl = "${api.origin}/searx"\n`,
  });
});

Deno.test("web_search sends a Tavily-style request with the key from api_key_env, never showing it", async () => {
  await using api = serveWeb(() =>
    Response.json({ results: [{ title: "t", url: "https://x.test/", content: "c" }] })
  );
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: { tools: ["web_search"], capabilities: [`net_connect:127.0.0.1:${api.port}`] },
      calls: [{ name: "web_search", args: { query: "q" } }],
    });
    assert.equal(JSON.parse(ends[0]!.data.output).results.length, 1);
    const req = api.requests[0]!;
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/search");
    assert.equal(req.headers.get("authorization"), "Bearer tvly-test-key");
    assert.deepEqual(JSON.parse(req.body), { query: "q", max_results: 5 });
    const audit = JSON.stringify(auditOf(kernel));
    assert.ok(!audit.includes("tvly-test-key"));
  }, {
    config:
      `${LOCAL}[tools.web_search]\nprovider = "tavily"\nurl = "${api.origin}"\napi_key_env = "TAVILY_KEY"\n`,
    boot: { env: (k) => (k === "TAVILY_KEY" ? "tvly-test-key" : undefined) },
  });
});

Deno.test("web_search without a configured provider fails saying how to configure one", async () => {
  await withKernel(async (kernel, dir) => {
    const { result, ends } = await callTools(kernel, dir, {
      manifest: { tools: ["web_search"] },
      calls: [{ name: "web_search", args: { query: "anything" } }],
    });
    assert.equal(result.status, "completed");
    assert.equal(ends[0]!.data.ok, false);
    assert.match(
      ends[0]!.data.output,
      /web_search has no search provider: set \[tools\.web_search\] provider \(searxng, brave or tavily\)/,
    );
  });
});

Deno.test("web_search refuses to run when api_key_env names an unset variable", async () => {
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: { tools: ["web_search"], capabilities: ["net_connect:*"] },
      calls: [{ name: "web_search", args: { query: "anything" } }],
    });
    assert.match(ends[0]!.data.output, /the variable BRAVE_KEY \(api_key_env\) is not set/);
  }, { config: '[tools.web_search]\nprovider = "brave"\napi_key_env = "BRAVE_KEY"\n' });
});
