/**
 * Browser tests: a real `talon serve` on a loopback port with a temp data
 * dir, driven by Debian's Chromium through playwright-core (headless, a
 * fresh profile per test). Helpers save screenshots at 1280×800 and 390×844
 * in light and dark (git-ignored `tests/e2e/screenshots/`) and run axe
 * (`@axe-core/playwright`) expecting no serious or critical violation.
 *
 * Without `/usr/bin/chromium` the tests are skipped with a message, except
 * under `CI=true`, where they fail (`.ci/run` installs it).
 *
 * @module
 */
import AxeBuilder from "@axe-core/playwright";
import assert from "node:assert/strict";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { type ServeProcess, startServe } from "../talon_process.ts";

/** Where Debian installs Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const SCREENSHOTS = new URL("./screenshots/", import.meta.url).pathname;

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

function chromiumInstalled(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

const installed = chromiumInstalled();
const inCi = Deno.env.get("CI") === "true";
if (!installed && !inCi) {
  console.warn(
    `browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium, or run .ci/run)`,
  );
}

/** What a browser test gets. */
export interface BrowserFixture {
  talon: ServeProcess;
  /** The server's data dir (a temp dir, removed afterwards). */
  dataDir: string;
  /** Base URL of the server, e.g. `http://127.0.0.1:43123`. */
  url: string;
  /** The first-run login link `serve` printed (`…/login#token=tln_…`). */
  loginLink: string;
  /** The first-run admin token, from {@link loginLink}. */
  adminToken: string;
  /** Opens {@link loginLink} and waits for the overview: `page` is signed in as admin. */
  signIn(): Promise<void>;
  /** Calls the API with {@link adminToken}; fails the test unless the answer is 2xx. */
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  context: BrowserContext;
  /** A page of `context`; dialogs are recorded in `dialogs` and dismissed. */
  page: Page;
  dialogs: string[];
  /** Console messages reporting errors (CSP violations, failed loads, exceptions). */
  consoleErrors: string[];
  /** Saves `<name>-<w>x<h>-<light|dark>.png` of `page` in all four variants. */
  screenshots(name: string): Promise<void>;
  /** Runs axe on `page` (light and dark); fails on serious or critical violations. */
  checkA11y(): Promise<void>;
  /** Kills `serve` with SIGKILL and starts it again on the same data dir (`talon`, `url` follow). */
  crashAndRestart(): Promise<void>;
}

/** Options of a browser test. */
export interface BrowserOptions {
  /** Written to the data dir's `config.toml` before `serve` starts. */
  config?: string;
}

/** Declares a browser test: skipped without Chromium, failing in CI without it. */
export function browserTest(
  name: string,
  fn: (f: BrowserFixture) => Promise<void>,
  options: BrowserOptions = {},
): void {
  Deno.test({ name, ignore: !installed && !inCi, fn: () => withBrowser(fn, options) });
}

async function a11y(page: Page, scheme: "light" | "dark"): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target).join(", ")}`),
    [],
    `axe violations on ${page.url()} (${scheme})`,
  );
}

/** Starts Talon and Chromium, runs `fn`, then stops both and removes their dirs. */
export async function withBrowser(
  fn: (f: BrowserFixture) => Promise<void>,
  options: BrowserOptions = {},
): Promise<void> {
  if (!installed) {
    throw new Error(`${CHROMIUM} is missing; CI must install it (apt-get install -y chromium)`);
  }
  const dataDir = await Deno.makeTempDir({ prefix: "talon-e2e-" });
  const profile = await Deno.makeTempDir({ prefix: "talon-chromium-" });
  if (options.config !== undefined) {
    await Deno.writeTextFile(`${dataDir}/config.toml`, options.config);
  }
  let talon = await startServe(dataDir);
  let context: BrowserContext | undefined;
  try {
    const loginLink = /First run: open (\S+) to log in/.exec(talon.banner)?.[1];
    assert.ok(loginLink, `no first-run link in the banner:\n${talon.banner}`);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: VIEWPORTS[0],
    });
    const page = context.pages()[0] ?? await context.newPage();
    const dialogs: string[] = [];
    const consoleErrors: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    const adminToken = /token=(\S+)/.exec(loginLink)?.[1];
    assert.ok(adminToken, `no token in the login link ${loginLink}`);
    const fixture: BrowserFixture = {
      talon,
      dataDir,
      url: talon.url,
      loginLink,
      adminToken,
      async signIn() {
        await page.goto(loginLink);
        await page.waitForURL(`${fixture.url}/`);
      },
      async api<T>(method: string, path: string, body?: unknown): Promise<T> {
        const res = await fetch(`${fixture.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const json = await res.json();
        assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
        return json as T;
      },
      context,
      page,
      dialogs,
      consoleErrors,
      async screenshots(name) {
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize(viewport);
          for (const scheme of ["light", "dark"] as const) {
            await page.emulateMedia({ colorScheme: scheme });
            await page.screenshot({
              path: `${SCREENSHOTS}${name}-${viewport.width}x${viewport.height}-${scheme}.png`,
              fullPage: true,
            });
          }
        }
        await page.setViewportSize(VIEWPORTS[0]);
        await page.emulateMedia({ colorScheme: "light" });
      },
      async checkA11y() {
        await a11y(page, "light");
        await a11y(page, "dark");
        await page.emulateMedia({ colorScheme: "light" });
      },
      async crashAndRestart() {
        await talon.stop("SIGKILL");
        talon = await startServe(dataDir);
        fixture.talon = talon;
        fixture.url = talon.url;
      },
    };
    await fn(fixture);
  } finally {
    await context?.close();
    const stopped = await talon.stop("SIGTERM");
    await Deno.remove(profile, { recursive: true }).catch(() => {});
    await Deno.remove(dataDir, { recursive: true });
    assert.equal(stopped.code, 0, `serve exited ${stopped.code}:\n${stopped.stderr}`);
  }
}
