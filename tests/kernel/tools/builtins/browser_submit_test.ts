import assert from "node:assert/strict";
import { serveWeb } from "../../../fakes/web_server.ts";
import { collect, settle, withKernel, writeScript } from "../../fixtures.ts";
import type { TalonEvent } from "../../../../kernel/types.ts";
import { CHROMIUM, skipWithout } from "./binaries.ts";

const ignore = skipWithout([CHROMIUM], "apt-get install chromium");

Deno.test({
  name: "an agent fills and submits a local form: no POST before the approval, exactly one after",
  ignore,
  fn: async () => {
    await using site = serveWeb((req) =>
      req.method === "POST"
        ? new Response(null, { status: 303, headers: { location: "/thanks" } })
        : new URL(req.url).pathname === "/thanks"
        ? new Response("<title>Thanks</title><p>Your message was received.</p>", {
          headers: { "content-type": "text/html" },
        })
        : new Response(
          `<title>Contact</title><form id="contact" method="post" action="/send">
<label for="email">Email</label><input id="email" name="email" type="email" required>
<label for="message">Message</label><textarea id="message" name="message"></textarea>
<button>Send</button></form>`,
          { headers: { "content-type": "text/html" } },
        )
    );
    const url = `${site.origin}/contact`;
    await withKernel(async (kernel, dir) => {
      const script = await writeScript(dir, {
        turns: [{
          match: "contact",
          steps: [
            { tool_calls: [{ name: "browser_open", args: { url } }] },
            {
              tool_calls: [{
                name: "browser_fill",
                args: { selector: "#email", value: "ada@example.com" },
              }],
            },
            {
              tool_calls: [{
                name: "browser_fill",
                args: { selector: "#message", value: "Hello from Talon" },
              }],
            },
            { tool_calls: [{ name: "browser_click", args: { selector: "button" } }] },
            {
              tool_calls: [{
                name: "browser_submit",
                args: { selector: "#contact", page_url: url },
              }],
            },
            { text: "Submitted the contact form." },
          ],
        }],
      });
      const agent = kernel.agents.spawn({
        name: "browser",
        model: `script:${script}`,
        tools: [
          "browser_open",
          "browser_read",
          "browser_fill",
          "browser_click",
          "browser_submit",
        ],
        capabilities: ["browser_control", `net_connect:127.0.0.1:${site.port}`],
      });
      const approvals = kernel.bus.subscribe({ types: ["approval"] });
      const postsAtRequest: number[] = [];
      const approving = (async () => {
        for await (const event of approvals) {
          if (event.type === "gap") continue;
          const data = event.data as { id: string; status: string; tool: string };
          if (data.status !== "pending") continue;
          assert.equal(data.tool, "browser_submit");
          postsAtRequest.push(site.requests.filter((r) => r.method === "POST").length);
          kernel.approvals.approve(data.id, { actor: "test" });
          return;
        }
      })();
      const handle = kernel.agents.send(agent.id, "Please send the contact form");
      const events = await settle(collect(handle.events()), "the turn", 60_000);
      const result = await handle.result;
      await approving;
      approvals.close();
      assert.equal(result.status, "completed");
      const ends = events.filter((e) => e.type === "tool_end") as TalonEvent<"tool_end">[];
      assert.deepEqual(ends.map((e) => [e.data.name, e.data.ok]), [
        ["browser_open", true],
        ["browser_fill", true],
        ["browser_fill", true],
        ["browser_click", false],
        ["browser_submit", true],
      ]);
      assert.match(ends[3]!.data.output, /would submit a form/);
      assert.deepEqual(postsAtRequest, [0], "no POST reached the server before the approval");
      const posts = site.requests.filter((r) => r.method === "POST");
      assert.equal(posts.length, 1, "exactly one POST after it");
      assert.equal(
        posts[0]!.body,
        new URLSearchParams({ email: "ada@example.com", message: "Hello from Talon" }).toString(),
      );
      assert.match(ends[4]!.data.output, /fields: email, message/);
      assert.match(ends[4]!.data.output, new RegExp(`url: ${site.origin}/thanks`));
      assert.match(ends[4]!.data.output, /Your message was received/);
    }, { config: `[tools.web]\nallow_hosts = ["127.0.0.1:${site.port}"]\n` });
  },
});
