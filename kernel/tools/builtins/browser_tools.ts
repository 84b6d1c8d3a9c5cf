/**
 * The browser tools: `browser_open`, `browser_read`, `browser_click`,
 * `browser_fill`, `browser_screenshot` and `browser_submit`, on the calling
 * agent's own headless Chromium (see {@link BrowserSessions}). All need
 * `browser_control`; `browser_open` also needs `net_connect` for the URL's
 * host, and every request the page makes is filtered by the same rules.
 * `browser_screenshot` also needs `file_write` (it saves a PNG in the
 * workspace). Forms are submitted only by `browser_submit`, which always
 * waits for a person's approval; `browser_click` refuses elements that would
 * submit a form, and pages cannot send data (POST, PUT, …) outside it.
 *
 * @module
 */
import { dirname } from "node:path";
import { z } from "zod";
import { TalonError } from "../../errors.ts";
import type { SsrfGuard } from "../../security/mod.ts";
import { defineTool, type Tool } from "../define.ts";
import {
  describePage,
  fillKind,
  formFieldNames,
  onlyElement,
  requestSubmit,
  submitTarget,
  wouldSubmit,
} from "./browser_page.ts";
import type { BrowserSession, BrowserSessions } from "./browser_session.ts";
import { workspaceJail } from "./file_tools.ts";
import { dataToNewHost, netCapability, requireNetCapability } from "./web_fetch.ts";

/** What the browser tools need. */
export interface BrowserToolsDeps {
  sessions: BrowserSessions;
  /** Checks `browser_open`'s URL before the browser starts. */
  guard: SsrfGuard;
  /** Folder holding one workspace per agent. */
  workspaces: string;
  /** `[tools.browser] action_timeout_ms`. */
  actionTimeoutMs: number;
  /** `[tools.browser] max_text_chars`. */
  maxTextChars: number;
}

/** Names of the browser tools. */
export const BROWSER_TOOL_NAMES: readonly string[] = [
  "browser_open",
  "browser_read",
  "browser_click",
  "browser_fill",
  "browser_screenshot",
  "browser_submit",
];

const Selector = z.string().min(1).max(1000)
  .describe("a CSS selector of one element, as browser_read lists them (e.g. #email)");

/** Longest a submit waits for the page to start navigating. */
const SUBMIT_NAVIGATION_MS = 5_000;

/** Creates the six browser tools. */
export function browserTools(deps: BrowserToolsDeps): Tool[] {
  // Launch (up to 30 s) plus a navigation and reading the page.
  const timeoutMs = 2 * deps.actionTimeoutMs + 45_000;
  const describe = (
    session: BrowserSession,
    extra: { selector?: string; status?: number | null } = {},
  ) =>
    describePage(session.page, {
      maxChars: deps.maxTextChars,
      refused: session.takeRefusals(),
      ...extra,
    });

  const open = defineTool({
    name: "browser_open",
    description:
      "Opens an http(s) URL in your own headless browser (started on first use) and returns the page's URL, title, status, text and its links, fields and buttons with a selector for each.",
    input: z.strictObject({
      url: z.url({ protocol: /^https?$/ }).max(8192).describe("the http or https URL to open"),
    }),
    capabilities: ({ url }) => ["browser_control", netCapability(new URL(url))],
    risk: "medium",
    timeoutMs,
    outsideContent: ({ url }) => ({ label: url, host: new URL(url).hostname }),
    taintSink: ({ url }, { taint }) => dataToNewHost("browser_open", new URL(url), taint),
    handler: ({ url }, ctx) =>
      deps.sessions.exclusive(ctx.agent.id, async () => {
        const target = new URL(url);
        requireNetCapability(ctx.agent)(target);
        await deps.guard.pin(target);
        const session = await deps.sessions.open(ctx.agent);
        let status: number | null;
        try {
          status = await session.navigate(() =>
            session.page.goto(target.href, { waitUntil: "load" })
          );
        } catch (cause) {
          const refused = session.takeRefusals();
          if (refused.length > 0) {
            throw new TalonError("url_denied", `the page was not opened: ${refused.join("; ")}`, {
              cause,
            });
          }
          throw new TalonError(
            "fetch_failed",
            `cannot open ${target.href}: ${(cause as Error).message.split("\n")[0]}`,
            { cause },
          );
        }
        return await describe(session, { status });
      }),
  });

  const read = defineTool({
    name: "browser_read",
    description:
      "Reads the page open in your browser: URL, title, text (of the whole page or of one element) and its links, fields and buttons with selectors.",
    input: z.strictObject({
      selector: Selector.optional().describe("read only this element's text"),
    }),
    capabilities: ["browser_control"],
    risk: "low",
    timeoutMs,
    handler: ({ selector }, ctx) =>
      deps.sessions.exclusive(ctx.agent.id, async () => {
        const session = await deps.sessions.current(ctx.agent);
        return await describe(session, { selector });
      }),
  });

  const click = defineTool({
    name: "browser_click",
    description:
      "Clicks one element (a link, a button, a checkbox) of the page open in your browser. Elements that would submit a form are refused: use browser_submit for those.",
    input: z.strictObject({ selector: Selector }),
    capabilities: ["browser_control"],
    risk: "medium",
    timeoutMs,
    handler: ({ selector }, ctx) =>
      deps.sessions.exclusive(ctx.agent.id, async () => {
        const session = await deps.sessions.current(ctx.agent);
        const element = await onlyElement(session.page, selector);
        const submits = await wouldSubmit(element);
        if (submits !== null) {
          throw new TalonError(
            "invalid_input",
            `"${selector}" is ${submits}: clicking it would submit a form, which browser_click never does; use browser_submit, which asks a person first`,
          );
        }
        await session.navigate(async () => {
          await element.click();
          await session.page.waitForLoadState("load");
        });
        return await describe(session);
      }),
  });

  const fill = defineTool({
    name: "browser_fill",
    description:
      "Types a value into one field of the page open in your browser (text inputs and text areas; for a select, the option's value or label; for a checkbox or radio, true or false). Never submits.",
    input: z.strictObject({
      selector: Selector,
      value: z.string().max(100_000).describe("the text to enter, replacing what is there"),
    }),
    capabilities: ["browser_control"],
    risk: "medium",
    timeoutMs,
    handler: ({ selector, value }, ctx) =>
      deps.sessions.exclusive(ctx.agent.id, async () => {
        const session = await deps.sessions.current(ctx.agent);
        const element = await onlyElement(session.page, selector);
        const kind = await fillKind(element);
        if (kind === "select") {
          await element.selectOption(value);
        } else if (kind === "check") {
          if (value !== "true" && value !== "false") {
            throw new TalonError(
              "invalid_input",
              `"${selector}" is a checkbox or radio: value must be true or false`,
            );
          }
          await element.setChecked(value === "true");
        } else {
          try {
            await element.fill(value);
          } catch (cause) {
            throw new TalonError(
              "invalid_input",
              `"${selector}" cannot be filled: ${(cause as Error).message.split("\n")[0]}`,
              { cause },
            );
          }
        }
        return `filled ${selector} on ${session.page.url()}`;
      }),
  });

  const screenshot = defineTool({
    name: "browser_screenshot",
    description: "Saves a PNG screenshot of the page open in your browser into your workspace.",
    input: z.strictObject({
      path: z.string().min(1).max(4096).regex(/\.png$/i, "must end in .png")
        .describe("where to save it, relative to your workspace"),
      full_page: z.boolean().default(false).describe("the whole page, not just the viewport"),
    }),
    capabilities: ["browser_control", "file_write"],
    risk: "medium",
    timeoutMs,
    handler: ({ path, full_page }, ctx) =>
      deps.sessions.exclusive(ctx.agent.id, async () => {
        const session = await deps.sessions.current(ctx.agent);
        const target = await (await workspaceJail(deps.workspaces, ctx.agent.id)).resolve(
          path,
          "write",
        );
        const bytes = await session.page.screenshot({ fullPage: full_page, type: "png" });
        await Deno.mkdir(dirname(target.real), { recursive: true, mode: 0o700 });
        await Deno.writeFile(target.real, bytes, { mode: 0o600 });
        return `saved a ${bytes.length}-byte screenshot of ${session.page.url()} to ${target.relative}`;
      }),
  });

  const submit = defineTool({
    name: "browser_submit",
    description:
      "Submits a form of the page open in your browser (give the form or its submit button), after a person approves. The only way to submit a form; fill its fields with browser_fill first.",
    input: z.strictObject({
      selector: Selector.describe("the form, or the submit button to press"),
      page_url: z.string().min(1).max(8192)
        .describe("the URL of the page the form is on, as browser_read shows it (checked)"),
    }),
    capabilities: ["browser_control"],
    risk: "high",
    needsApproval: true,
    timeoutMs,
    handler: ({ selector, page_url }, ctx) =>
      deps.sessions.exclusive(ctx.agent.id, async () => {
        const session = await deps.sessions.current(ctx.agent);
        const page = session.page;
        if (page.url() !== page_url) {
          throw new TalonError(
            "invalid_input",
            `the browser is on ${page.url()}, not ${page_url}: nothing was submitted; read the page and ask again`,
          );
        }
        const element = await onlyElement(page, selector);
        const what = await submitTarget(element);
        if (what === "other") {
          throw new TalonError(
            "invalid_input",
            `"${selector}" is neither a form nor a button that submits one: nothing was submitted`,
          );
        }
        const fields = await formFieldNames(element);
        await session.sending(async () => {
          // Until the main frame navigates, or its navigation is stopped (a redirect the
          // session follows itself), or a while passes for forms that do not navigate.
          const navigated = Promise.race([
            page.waitForEvent("framenavigated", {
              predicate: (frame) => frame === page.mainFrame(),
              timeout: SUBMIT_NAVIGATION_MS,
            }),
            page.waitForEvent("requestfailed", {
              predicate: (r) => r.isNavigationRequest() && r.frame() === page.mainFrame(),
              timeout: SUBMIT_NAVIGATION_MS,
            }),
          ]).catch(() => undefined);
          await session.navigate(async () => {
            if (what === "form") await requestSubmit(element);
            else await element.click();
            await navigated;
            await page.waitForLoadState("load");
          });
        });
        return `submitted ${selector} (fields: ${fields.join(", ") || "none"})\n${await describe(
          session,
        )}`;
      }),
  });

  return [open, read, click, fill, screenshot, submit];
}
