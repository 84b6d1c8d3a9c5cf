import assert from "node:assert/strict";
import { browserTools } from "../../../../kernel/tools/mod.ts";
import { SsrfGuard } from "../../../../kernel/security/mod.ts";
import { serveWeb, type WebServer } from "../../../fakes/web_server.ts";
import { withKernel } from "../../fixtures.ts";
import { auditOf, callTools } from "../fixtures.ts";
import { CHROMIUM, skipWithout } from "./binaries.ts";

const ignore = skipWithout([CHROMIUM], "apt-get install chromium");

const TOOLS = [
  "browser_open",
  "browser_read",
  "browser_click",
  "browser_fill",
  "browser_screenshot",
  "browser_submit",
];

/** A page with a form, its submit elements, a plain button and a link; POST /send thanks. */
function formSite(extraBody = ""): WebServer {
  return serveWeb((req) => {
    const path = new URL(req.url).pathname;
    if (req.method === "POST" && path === "/send") {
      return new Response("<title>Thanks</title><p>Thank you, message received.</p>", {
        headers: { "content-type": "text/html" },
      });
    }
    if (path === "/about") {
      return new Response("<title>About</title><p>About this site.</p>", {
        headers: { "content-type": "text/html" },
      });
    }
    return new Response(
      `<!doctype html><title>Contact</title><h1>Contact us</h1>
<form id="contact" action="/send" method="post">
  <label for="email">Email</label><input id="email" name="email" type="email">
  <label>Message <textarea name="message"></textarea></label>
  <button id="go"><span id="go-text">Send</span></button>
  <input type="submit" id="also" value="Also send">
  <label for="go" id="go-label">send label</label>
  <button type="button" id="plain" onclick="document.title='clicked'">Plain</button>
</form>
<a id="about" href="/about">About</a>${extraBody}`,
      { headers: { "content-type": "text/html" } },
    );
  });
}

const posts = (server: WebServer) => server.requests.filter((r) => r.method !== "GET");

Deno.test("browser tools refuse bad input before any browser starts", () => {
  const [open, read, click, fill, screenshot, submit] = browserTools({
    sessions: undefined as never,
    guard: new SsrfGuard(),
    workspaces: "/nonexistent",
    actionTimeoutMs: 1000,
    maxTextChars: 1000,
  });
  for (const bad of [{}, { url: "ftp://example.com/" }, { url: "not a url" }, { url: 3 }]) {
    assert.equal(open!.input.safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.equal(read!.input.safeParse({ selector: "" }).success, false);
  assert.equal(click!.input.safeParse({}).success, false);
  assert.equal(fill!.input.safeParse({ selector: "#a" }).success, false);
  assert.equal(screenshot!.input.safeParse({ path: "shot.jpg" }).success, false);
  assert.equal(submit!.input.safeParse({ selector: "form" }).success, false);
  assert.equal(submit!.needsApproval, true);
  assert.deepEqual(
    [open, read, click, fill, screenshot, submit].map((t) => t!.needsApproval),
    [false, false, false, false, false, true],
  );
});

Deno.test("browser_open needs browser_control and net_connect for the URL's host", async () => {
  await using server = formSite();
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: { tools: TOOLS, capabilities: [`net_connect:127.0.0.1:${server.port}`] },
      calls: [{ name: "browser_open", args: { url: `${server.origin}/` } }],
    });
    assert.equal(ends[0]!.data.ok, false);
    assert.match(ends[0]!.data.output, /browser_control/);
    const second = await callTools(kernel, dir, {
      manifest: { name: "other", tools: TOOLS, capabilities: ["browser_control"] },
      calls: [{ name: "browser_open", args: { url: `${server.origin}/` } }],
    });
    assert.equal(second.ends[0]!.data.ok, false);
    assert.match(
      second.ends[0]!.data.output,
      new RegExp(`net_connect:127\\.0\\.0\\.1:${server.port}`),
    );
    assert.equal(server.hits.length, 0);
    assert.equal(kernel.browsers.size, 0, "no browser started for a refused call");
    assert.ok(auditOf(kernel, "capability.denied").length >= 2);
  }, { config: `[tools.web]\nallow_hosts = ["127.0.0.1"]\n` });
});

Deno.test("browser_open refuses a private address the SSRF guard refuses, before starting a browser", async () => {
  await using server = formSite();
  await withKernel(async (kernel, dir) => {
    const { ends } = await callTools(kernel, dir, {
      manifest: { tools: TOOLS, capabilities: ["browser_control", "net_connect:*"] },
      calls: [
        { name: "browser_open", args: { url: `${server.origin}/` } },
        { name: "browser_open", args: { url: "http://169.254.169.254/latest/meta-data/" } },
      ],
    });
    assert.equal(ends[0]!.data.ok, false);
    assert.match(ends[0]!.data.output, /loopback address; only public hosts/);
    assert.match(ends[1]!.data.output, /cloud metadata address/);
    assert.equal(server.hits.length, 0);
    assert.equal(kernel.browsers.size, 0);
  });
});

Deno.test({
  name: "a page's requests to hosts the agent may not reach are refused, redirects included",
  ignore,
  fn: async () => {
    await using secret = serveWeb(() => new Response("secret"));
    await using server = formSite(
      `<img id="pixel" src="http://127.0.0.1:${secret.port}/pixel.png">`,
    );
    await using redirector = serveWeb(() =>
      new Response(null, { status: 302, headers: { location: `${secret.origin}/inside` } })
    );
    await withKernel(async (kernel, dir) => {
      const { ends } = await callTools(kernel, dir, {
        manifest: {
          tools: TOOLS,
          capabilities: [
            "browser_control",
            `net_connect:127.0.0.1:${server.port}`,
            `net_connect:127.0.0.1:${redirector.port}`,
            `net_connect:127.0.0.1:${secret.port}`,
          ],
        },
        calls: [
          { name: "browser_open", args: { url: `${server.origin}/` } },
          { name: "browser_open", args: { url: `${redirector.origin}/` } },
        ],
      });
      assert.equal(ends[0]!.data.ok, true, ends[0]!.data.output);
      assert.match(ends[0]!.data.output, /title: Contact/);
      assert.match(
        ends[0]!.data.output,
        new RegExp(
          `refused requests:\\n- GET http://127\\.0\\.0\\.1:${secret.port}/pixel\\.png: .*loopback`,
        ),
      );
      assert.equal(ends[1]!.data.ok, false, ends[1]!.data.output);
      assert.match(ends[1]!.data.output, /url_denied|not opened/);
      assert.equal(secret.hits.length, 0, "the guarded server was never reached");
      assert.equal(redirector.hits.length, 1);
    }, {
      config:
        `[tools.web]\nallow_hosts = ["127.0.0.1:${server.port}", "127.0.0.1:${redirector.port}"]\n`,
    });
  },
});

Deno.test({
  name:
    "browser_click refuses elements that would submit a form; browser_fill and plain clicks work",
  ignore,
  fn: async () => {
    await using server = formSite();
    await withKernel(async (kernel, dir) => {
      const { ends, agentId } = await callTools(kernel, dir, {
        manifest: {
          tools: TOOLS,
          capabilities: ["browser_control", "file_write", `net_connect:127.0.0.1:${server.port}`],
        },
        calls: [
          { name: "browser_open", args: { url: `${server.origin}/` } },
          { name: "browser_fill", args: { selector: "#email", value: "ada@example.com" } },
          { name: "browser_click", args: { selector: "#go" } },
          { name: "browser_click", args: { selector: "#go-text" } },
          { name: "browser_click", args: { selector: "#also" } },
          { name: "browser_click", args: { selector: "#go-label" } },
          { name: "browser_click", args: { selector: "#plain" } },
          { name: "browser_click", args: { selector: "button" } },
          { name: "browser_screenshot", args: { path: "shots/form.png" } },
          { name: "browser_screenshot", args: { path: "../escape.png" } },
          { name: "browser_click", args: { selector: "#about" } },
          { name: "browser_read", args: {} },
        ],
      });
      const out = ends.map((e) => [e.data.ok, e.data.output] as const);
      assert.equal(out[0]![0], true, out[0]![1]);
      assert.match(out[0]![1], /^#email · input type=email · "Email"/m);
      assert.match(out[0]![1], /^#go · button type=submit · "send label" · submits its form/m);
      assert.equal(out[1]![1], `filled #email on ${server.origin}/`);
      for (
        const [i, why] of [[2, /a button without a type/], [3, /a button without a type/], [
          4,
          /an input of type submit/,
        ], [5, /a button without a type/]] as const
      ) {
        assert.equal(out[i]![0], false, `call ${i}`);
        assert.match(out[i]![1], why);
        assert.match(out[i]![1], /use browser_submit/);
      }
      assert.equal(out[6]![0], true, out[6]![1]);
      assert.match(out[6]![1], /^title: clicked$/m);
      assert.match(out[6]![1], /value="ada@example\.com"/);
      assert.match(out[7]![1], /matches 2 elements/);
      assert.match(out[8]![1], /saved a \d+-byte screenshot .* to shots\/form\.png/);
      const png = await Deno.readFile(`${dir}/workspaces/${agentId}/shots/form.png`);
      assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      assert.equal(out[9]![0], false);
      assert.match(out[9]![1], /path_denied|outside|\.\./);
      assert.match(out[10]![1], /^title: About$/m);
      assert.match(out[11]![1], /About this site/);
      assert.deepEqual(posts(server), [], "nothing was submitted");
      assert.ok(kernel.browsers.has(agentId));
      kernel.agents.kill(agentId, { actor: "test" });
      for (let i = 0; i < 1200 && kernel.browsers.has(agentId); i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.equal(kernel.browsers.has(agentId), false, "killing the agent closed its browser");
    }, { config: `[tools.web]\nallow_hosts = ["127.0.0.1:${server.port}"]\n` });
  },
});

Deno.test({
  name: "browser_read and browser_submit without an open page say to call browser_open first",
  fn: async () => {
    await withKernel(async (kernel, dir) => {
      const { ends } = await callTools(kernel, dir, {
        manifest: { tools: TOOLS, capabilities: ["browser_control"] },
        calls: [{ name: "browser_read", args: {} }],
      });
      assert.match(ends[0]!.data.output, /no page is open: call browser_open/);
      assert.equal(kernel.browsers.size, 0);
    });
  },
});
