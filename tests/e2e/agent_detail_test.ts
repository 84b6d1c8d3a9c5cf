import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { writeScript } from "../kernel/fixtures.ts";
import { type BrowserFixture, browserTest } from "./browser_fixtures.ts";

const HOSTILE = `</script><script>alert(1)</script><!--"'&<>`;
const WORDS = Array.from({ length: 30 }, (_, i) => `w${i + 1}`).join(" ");

/** A scripted agent (slow words, a system_time call, a hostile tool output), created over the API. */
async function scriptedAgent(f: BrowserFixture, dir: string, name: string): Promise<string> {
  const script = await writeScript(dir, {
    turns: [
      {
        match: "^time",
        steps: [
          { tool_calls: [{ name: "system_time", args: { timezone: "UTC" } }] },
          // 250 ms a word (7.5 s a turn): a page reload on a loaded box re-attaches mid-turn.
          { text: WORDS, delay_ms: 250 },
        ],
      },
      { match: "^slow", steps: [{ text: `${WORDS} ${WORDS} ${WORDS}`, delay_ms: 150 }] },
      {
        match: "^hostile",
        steps: [
          { tool_calls: [{ name: "memory_store", args: { key: HOSTILE, text: HOSTILE } }] },
          { text: `said ${HOSTILE}` },
        ],
      },
      { match: ".", steps: [{ text: "ok" }] },
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
  }, {
    name,
    description: `watches ${HOSTILE}`,
    model: `script:${script}`,
    capabilities: ["memory_read", "memory_write"],
  });
  assert.equal(status, 201);
  return name;
}

async function openAgent(f: BrowserFixture, name: string): Promise<void> {
  await f.page.goto(`${f.url}/agents/${name}`);
  await f.page.locator(".chat[data-live]").waitFor();
}

function lastAgentText(page: Page) {
  return page.locator(".turn").last().locator(".msg-agent .msg-text").last();
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/** Polls the streaming text until it has at least `words` words; returns every distinct value seen. */
async function watchTokens(page: Page, words: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 400; i++) {
    const text = ((await lastAgentText(page).textContent().catch(() => null)) ?? "").trim();
    if (text !== seen.at(-1) && text !== "") seen.push(text);
    if (text.split(" ").length >= words) return seen;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`the stream did not reach ${words} words; saw ${JSON.stringify(seen.at(-1))}`);
}

function assertInOrder(seen: string[]): void {
  assert.ok(seen.length >= 3, `tokens arrived over time (${seen.length} snapshots)`);
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i]!.startsWith(seen[i - 1]!), `"${seen[i]}" continues "${seen[i - 1]}"`);
  }
  assert.ok(WORDS.startsWith(seen.at(-1)!.trim()), "the words are the script's, in order");
}

async function withScripts(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "talon-e2e-scripts-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

browserTest(
  "agent page: tokens stream in order, a tool card shows args and result, reload re-attaches",
  (f) =>
    withScripts(async (dir) => {
      const name = await scriptedAgent(f, dir, "scout");
      await openAgent(f, name);
      await f.screenshots("agent-detail-empty");

      await send(f.page, "time please");
      const card = f.page.locator('details.tool-card[data-tool="system_time"]').last();
      await card.waitFor();
      const seen = await watchTokens(f.page, 6);
      await f.screenshots("agent-detail-streaming");
      await card.locator("summary").click();
      assert.match(await card.locator(".tool-args").innerText(), /"timezone": "UTC"/);
      assert.match(await card.locator(".tool-output").innerText(), /\d{4}-\d\d-\d\dT/);
      assert.equal(await card.locator(".tool-state").innerText(), "done");
      await f.page.locator('.turn[data-status="completed"]').waitFor({ timeout: 60_000 });
      assert.equal(await lastAgentText(f.page).innerText(), WORDS);
      assertInOrder(seen);

      // A second turn, and a reload in the middle of it: the page re-attaches and follows it live.
      await send(f.page, "time again");
      await watchTokens(f.page, 4);
      await f.page.reload();
      await f.page.locator(".chat[data-live]").waitFor();
      const live = f.page.locator('.turn[data-status="running"]');
      await live.waitFor();
      assert.equal(await live.locator(".msg-user .msg-text").innerText(), "time again");
      const after = await watchTokens(f.page, 20);
      assertInOrder(after);
      await f.page.locator('.turn[data-status="completed"]').last().waitFor({ timeout: 60_000 });
      assert.equal(await lastAgentText(f.page).innerText(), WORDS);
      assert.equal(
        await f.page.locator(".msg-user .msg-text", { hasText: "time again" }).count(),
        1,
        "the re-attached turn replaced its stored part: the input shows once",
      );

      // Hostile strings from the agent's description, the user and a tool stay text.
      await send(f.page, `hostile ${HOSTILE}`);
      await f.page.locator('details.tool-card[data-tool="memory_store"]').waitFor();
      await f.page.locator('.turn[data-status="completed"]').last().waitFor();
      await f.page.locator('details.tool-card[data-tool="memory_store"] summary').click();
      assert.equal(
        await f.page.locator('details.tool-card[data-tool="memory_store"] .tool-output')
          .innerText(),
        `remembered "${HOSTILE}"`,
      );
      assert.equal(await lastAgentText(f.page).innerText(), `said ${HOSTILE}`);
      assert.match(await f.page.locator(".page-header").innerText(), /watches <\/script>/);
      await f.page.reload();
      await f.page.locator(".chat[data-live]").waitFor();
      assert.equal(await f.page.locator("script").count(), 1, "only the boot script");
      await f.screenshots("agent-detail");
      await f.checkA11y();
      assert.deepEqual(f.dialogs, [], "no alert() ran");
      assert.deepEqual(f.consoleErrors, []);
    }),
);

browserTest(
  "agent page: stop keeps the partial answer, pause refuses messages, edit errors inline, kill confirms",
  (f) =>
    withScripts(async (dir) => {
      const name = await scriptedAgent(f, dir, "runner");
      await openAgent(f, name);

      await send(f.page, "slow story");
      await watchTokens(f.page, 5);
      await f.page.getByRole("button", { name: "Stop" }).click();
      const stopped = f.page.locator('.turn[data-status="stopped"]');
      await stopped.waitFor();
      assert.match(await stopped.locator(".msg-agent .msg-who").innerText(), /stopped/);
      const partial = await lastAgentText(f.page).innerText();
      assert.ok(partial.length > 0 && partial.split(" ").length < 90, "a partial answer");
      await f.page.reload();
      await f.page.locator(".chat[data-live]").waitFor();
      assert.equal(
        await f.page.locator('.turn[data-status="stopped"] .msg-text').last().innerText(),
        partial,
      );

      // Pause: the badge changes without a reload and a message is refused with the server's reason.
      await f.page.getByRole("button", { name: "Pause" }).click();
      await f.page.locator('.agent-controls [data-state="paused"]').waitFor();
      await send(f.page, "are you there?");
      const error = f.page.locator("#chat-error");
      await error.waitFor();
      assert.match(await error.innerText(), /paused/);
      assert.equal(
        await f.page.getByLabel("Message", { exact: true }).inputValue(),
        "are you there?",
      );
      await f.page.getByRole("button", { name: "Resume" }).click();
      await f.page.locator('.agent-controls [data-state="running"]').waitFor();

      // Edit: a bad field is flagged in place, the typed values stay, a good one saves.
      await f.page.getByLabel("Capabilities").fill("memory_read\nfly_to_moon");
      await f.page.getByLabel("Tokens per hour").fill("many");
      await f.page.getByRole("button", { name: "Save changes" }).click();
      await f.page.locator("#edit-capabilities-error").waitFor();
      assert.match(await f.page.locator("#edit-capabilities-error").innerText(), /line 2/);
      assert.match(
        await f.page.locator("#edit-max_tokens_per_hour-error").innerText(),
        /must be a number/,
      );
      assert.equal(await f.page.getByLabel("Tokens per hour").inputValue(), "many");
      await f.screenshots("agent-detail-edit-errors");
      await f.page.getByLabel("Capabilities").fill("memory_read\nmemory_write");
      await f.page.getByLabel("Tokens per hour").fill("50000");
      await f.page.getByRole("button", { name: "Save changes" }).click();
      await f.page.getByRole("status").filter({ hasText: "Saved" }).waitFor();

      // Kill: a confirmation dialog first; cancelling keeps the agent.
      await f.page.getByRole("button", { name: "Kill" }).click();
      const dialog = f.page.getByRole("dialog", { name: `Kill ${name}?` });
      await dialog.waitFor();
      await f.checkA11y();
      await dialog.getByRole("button", { name: "Cancel" }).click();
      assert.equal(await f.page.locator('.agent-controls [data-state="running"]').count(), 1);
      await f.page.getByRole("button", { name: "Kill" }).click();
      await dialog.getByRole("button", { name: "Kill agent" }).click();
      await f.page.locator('.agent-controls [data-state="killed"]').waitFor();
      assert.equal(await f.page.getByRole("button", { name: "Send" }).isDisabled(), true);
      await f.page.reload();
      await f.page.locator('[data-state="killed"]').waitFor();
      assert.equal(await f.page.getByRole("button", { name: "Kill" }).count(), 0);
      assert.deepEqual(f.dialogs, []);
      const unexpected = f.consoleErrors.filter((m) => !/status of 409 \(Conflict\)/.test(m));
      assert.deepEqual(unexpected, []);
    }),
);
