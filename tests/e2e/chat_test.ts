/// <reference lib="dom" />
/// <reference lib="deno.ns" />
// (page.evaluate callbacks run in the browser.)
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { writeScript } from "../kernel/fixtures.ts";
import { type BrowserFixture, browserTest } from "./browser_fixtures.ts";

const CODE = 'const greeting = "<b>hi</b>";\nconsole.log(greeting);';

/** A markdown-rich reply with hostile bits that must stay inert. */
const RICH = [
  "## Plan for **today**",
  "Here is what I found, with `inline code` and a [link](https://example.com/docs).",
  "- first item\n- second item with *emphasis*\n  - nested",
  "1. step one\n2. step two",
  "| name | count |\n|:-----|------:|\n| apples | 3 |\n| pears | 12 |",
  "```ts\n" + CODE + "\n```",
  "> quoted advice",
  'Hostile: <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> ' +
  "<!-- hidden --> [bad](javascript:window.pwned=3) ![pixel](https://tracker.example/p.png)",
].join("\n\n");

const WORDS = Array.from({ length: 40 }, (_, i) => `w${i + 1}`).join(" ");

async function scriptedAgent(f: BrowserFixture, dir: string, name: string): Promise<void> {
  const script = await writeScript(dir, {
    turns: [
      {
        match: "^rich",
        steps: [
          { tool_calls: [{ name: "system_time", args: { timezone: "UTC" } }] },
          { text: RICH, delay_ms: 5 },
        ],
      },
      // A second a word (40 s): Stop and kill -9 land mid-reply however loaded the box.
      { match: "^slow", steps: [{ text: WORDS, delay_ms: 1000 }] },
      { match: ".", steps: [{ text: "ok, **noted**." }] },
    ],
  }, `${name}.json`);
  await f.signIn();
  const status = await f.page.evaluate(async (body) => {
    const res = await fetch("/api/agents", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return res.status;
  }, { name, model: `script:${script}` });
  assert.equal(status, 201);
  await f.page.goto(`${f.url}/agents/${name}`);
  await f.page.locator(".chat[data-live]").waitFor();
}

async function withScripts(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "talon-e2e-chat-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function box(page: Page) {
  return page.getByLabel("Message", { exact: true });
}

/** The text of a facts entry ("Last active") of the agent panel. */
function fact(page: Page, label: string): Promise<string> {
  return page.locator("[data-live-section=facts] dt", { hasText: label })
    .locator("xpath=following-sibling::dd[1]").innerText();
}

/** innerHTML of the last agent markdown block, as the server renders the page now. */
function serverMarkdown(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const html = await (await fetch(location.pathname)).text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    return [...doc.querySelectorAll(".msg-agent .md")].at(-1)?.innerHTML ?? "";
  });
}

browserTest(
  "chat: Enter sends a markdown reply that renders the same live and from the server, stays inert, copies code and refreshes the facts",
  (f) =>
    withScripts(async (dir) => {
      await f.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: f.url });
      await scriptedAgent(f, dir, "writer");
      assert.equal(await fact(f.page, "Last active"), "never");
      const usageBefore = await f.page.locator("[data-live-section=usage]").innerText();

      // Shift+Enter adds a line; Enter sends.
      await box(f.page).click();
      await f.page.keyboard.type("rich please");
      await f.page.keyboard.press("Shift+Enter");
      await f.page.keyboard.type("with markdown");
      assert.equal(await box(f.page).inputValue(), "rich please\nwith markdown");
      assert.equal(await f.page.locator(".turn").count(), 0, "Shift+Enter did not send");
      await f.page.keyboard.press("Enter");
      const turn = f.page.locator('.turn[data-status="completed"]').last();
      await turn.waitFor({ timeout: 15_000 });
      assert.equal(await box(f.page).inputValue(), "", "the box empties once sent");
      assert.equal(
        await turn.locator(".msg-user .msg-text").innerText(),
        "rich please\nwith markdown",
      );

      // Rendered, not raw: heading, bold, lists, table, code block, link.
      const md = turn.locator(".msg-agent .md").last();
      assert.equal(await md.locator("h4").innerText(), "Plan for today");
      assert.equal(await md.locator("h4 strong").innerText(), "today");
      assert.equal(await md.locator(":scope > ul > li").count(), 2);
      assert.equal(await md.locator("ol > li").count(), 2);
      assert.equal(await md.locator("table td.align-right").first().innerText(), "3");
      assert.equal(await md.locator("pre code").innerText(), CODE);
      assert.equal(
        await md.getByRole("link", { name: "link" }).getAttribute("rel"),
        "noopener noreferrer nofollow",
      );
      assert.doesNotMatch(await md.innerText(), /\*\*|```/);

      // Hostile markdown is inert: no script, image, handler, script URL or comment.
      const inert = await f.page.evaluate(() => {
        const t = document.querySelector(".transcript")!;
        const comments = document.createTreeWalker(t, NodeFilter.SHOW_COMMENT);
        return {
          pwned: (window as unknown as { pwned?: number }).pwned ?? null,
          scripts: t.querySelectorAll("script, img, style, iframe").length,
          handlers: [...t.querySelectorAll("*")].filter((e) =>
            [...e.attributes].some((a) => a.name.startsWith("on"))
          ).length,
          scriptUrls: t.querySelectorAll('a[href^="javascript" i], a[href^="data" i]').length,
          comments: comments.nextNode() === null ? 0 : 1,
        };
      });
      assert.deepEqual(inert, { pwned: null, scripts: 0, handlers: 0, scriptUrls: 0, comments: 0 });
      assert.match(await md.innerText(), /<script>window\.pwned = 1<\/script>/);
      assert.equal(
        await md.getByRole("link", { name: "Image: pixel" }).getAttribute("href"),
        "https://tracker.example/p.png",
      );

      // The island's streamed DOM is the server's DOM for the same reply.
      const live = await md.innerHTML();
      assert.equal(await serverMarkdown(f.page), live);

      // Copy puts the code on the clipboard.
      await md.getByRole("button", { name: "Copy" }).click();
      await md.getByRole("button", { name: "Copied" }).waitFor();
      assert.equal(
        await f.page.evaluate(() =>
          navigator.clipboard.readText()
        ),
        CODE,
      );

      // Live facts: Last active, usage and audit update without a reload.
      await f.page.waitForFunction(() => {
        const dd = [...document.querySelectorAll("[data-live-section=facts] dt")]
          .find((dt) => dt.textContent === "Last active")?.nextElementSibling;
        return dd && dd.textContent !== "never";
      });
      assert.match(await fact(f.page, "Last active"), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      assert.notEqual(await f.page.locator("[data-live-section=usage]").innerText(), usageBefore);
      await f.page.locator("[data-live-section=audit] code", { hasText: "tool.call" }).first()
        .waitFor();

      // Screenshots with the reply and its tool card open, then axe.
      await turn.locator('details.tool-card[data-tool="system_time"] summary').click();
      await md.locator(".code-block").scrollIntoViewIfNeeded();
      await f.screenshots("chat-markdown");
      await f.checkA11y();
      await f.page.reload();
      await f.page.locator(".chat[data-live]").waitFor();
      assert.equal(await f.page.locator(".msg-agent .md").last().innerHTML(), live);
      assert.deepEqual(f.dialogs, []);
      assert.deepEqual(f.consoleErrors, []);
    }),
);

browserTest(
  "chat: Send becomes Stop while streaming, Stop keeps the partial, a failed send keeps its text, and a crash mid-reply keeps the streamed part marked interrupted",
  (f) =>
    withScripts(async (dir) => {
      await scriptedAgent(f, dir, "talker");
      const send = f.page.getByRole("button", { name: "Send" });
      const stop = f.page.getByRole("button", { name: "Stop" });

      await box(f.page).fill("slow story");
      await box(f.page).press("Control+Enter");
      await stop.waitFor();
      assert.equal(await send.count(), 0, "Send became Stop");
      await f.page.locator(".msg-agent .md").last().filter({ hasText: "w3" }).waitFor();
      await stop.click();
      const stopped = f.page.locator('.turn[data-status="stopped"]');
      await stopped.waitFor();
      await send.waitFor();
      const partial = await stopped.locator(".msg-agent .md").innerText();
      assert.match(partial, /^w1 w2 w3/);
      assert.ok(!partial.includes("w40"), "a partial answer");
      assert.match(await stopped.locator(".msg-cut").innerText(), /stopped/);

      // A send that cannot reach the server keeps the text and says why next to it.
      await f.page.route("**/message/stream", (route) => route.abort());
      await box(f.page).fill("please keep me");
      await box(f.page).press("Enter");
      const error = f.page.locator("#chat-error");
      await error.waitFor();
      assert.match(await error.innerText(), /did not answer/);
      assert.equal(await box(f.page).inputValue(), "please keep me");
      assert.equal(await box(f.page).getAttribute("aria-invalid"), "true");
      await f.page.unroute("**/message/stream");

      // The overview's no-JavaScript note is gone once its feed runs.
      await f.page.goto(`${f.url}/`);
      await f.page.locator(".feed-status", { hasText: "Live" }).waitFor();

      // kill -9 while a reply streams; after a restart the streamed part is kept, marked.
      await f.page.goto(`${f.url}/agents/talker`);
      await f.page.locator(".chat[data-live]").waitFor();
      await box(f.page).fill("slow again");
      await box(f.page).press("Enter");
      // Wait on this turn's own text: the last turn is the stopped one until the server
      // answers the send, and that one may hold w4 too when Stop landed late.
      const again = f.page.locator(".turn", { hasText: "slow again" });
      await again.locator(".md").filter({ hasText: "w4" }).waitFor();
      // Deltas are stored within 200 ms, or at once when something reads the event log (the
      // overview does): read it first, so the kill comes after w1..w4 are on disk however
      // loaded the machine is. A kill inside that window may lose them, as documented.
      assert.equal((await f.page.request.get(`${f.url}/`)).status(), 200);
      await f.crashAndRestart();
      await f.page.goto(`${f.url}/agents/talker`);
      await f.page.locator(".chat[data-live]").waitFor();
      const cut = f.page.locator('.turn[data-status="interrupted"]');
      await cut.waitFor();
      assert.match(await cut.locator(".msg-user").innerText(), /slow again/);
      assert.match(await cut.locator(".msg-agent .msg-who").innerText(), /interrupted/);
      assert.match(await cut.locator(".md").innerText(), /^w1 w2 w3 w4/);
      assert.match(await cut.locator(".msg-cut").innerText(), /Talon stopped/);
      await f.screenshots("chat-interrupted");
      assert.deepEqual(f.dialogs, []);
      // The aborted send, and the streams the kill cut, fail to load; nothing else may.
      const unexpected = f.consoleErrors.filter((m) =>
        !/ERR_FAILED|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET/
          .test(m)
      );
      assert.deepEqual(unexpected, []);
    }),
);
