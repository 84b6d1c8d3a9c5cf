/**
 * One headless Chromium per agent for the browser tools, started on the
 * first browser call (playwright-core is imported then, never at boot) with
 * a fresh profile under `<data-dir>/browser/`, and closed when the agent is
 * killed, after `[tools.browser] idle_timeout_ms` without a call, and at
 * shutdown.
 *
 * Every request a page makes goes through a filter (Playwright request
 * routing on the whole context, WebSockets included): only http(s); the
 * agent must hold `net_connect` for the host; the SSRF guard's rules refuse
 * private, loopback and metadata addresses unless `[tools.web] allow_hosts`
 * lists them; and requests that send data (any method but GET, HEAD and
 * OPTIONS) are refused unless `browser_submit` is running. Requests are
 * fetched by Playwright without following redirects, so each redirect target
 * comes back through the same filter. Service workers and downloads are off.
 *
 * @module
 */
import type { BrowserContext, Page, Route, WebSocketRoute } from "playwright-core";
import { TalonError } from "../../errors.ts";
import type { SsrfGuard } from "../../security/mod.ts";
import type { AgentView } from "../../types.ts";
import { requireNetCapability } from "./web_fetch.ts";

/** What {@link BrowserSessions} needs. */
export interface BrowserSessionsOptions {
  /** Folder for the sessions' fresh profiles (`<data-dir>/browser`). */
  profiles: string;
  /** The Chromium binary (`[tools.browser] executable`). */
  executable: string;
  /** The SSRF guard whose rules the page's requests follow. */
  guard: SsrfGuard;
  /** Close a session after this long without a call. */
  idleMs: number;
  /** Limit of one navigation or element action. */
  actionTimeoutMs: number;
}

/** An agent's live browser. */
export interface BrowserSession {
  readonly agentId: string;
  readonly page: Page;
  /**
   * Runs `fn` with requests that send data (POST, PUT, …) let through;
   * only `browser_submit` calls it.
   */
  sending<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Runs a navigating action (goto, click, submit), then follows the main
   * frame's redirects with new navigations, so each target passes the
   * request filter; returns the last response's status (null when none).
   */
  navigate(action: () => Promise<{ status(): number } | null | void>): Promise<number | null>;
  /** Requests refused since the last call, each with why (then forgotten). */
  takeRefusals(): string[];
}

/** Deno flags the browser tools need besides `deno task start`'s (verified in tests). */
export function browserDenoFlags(executable: string): string {
  return `--allow-run=${executable} --allow-read=${executable} --allow-env --allow-sys=hostname,homedir --allow-write=<data-dir>,/tmp`;
}

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Refusals kept per session between calls. */
const MAX_REFUSALS = 20;

/** Redirects followed at most, per request. */
const MAX_REDIRECTS = 5;

/** Methods a page may use outside `browser_submit`. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

interface Live {
  agentId: string;
  agent: AgentView;
  context: BrowserContext;
  page: Page;
  profile: string;
  sendingDepth: number;
  refusals: string[];
  /** Where the main frame's last navigation was redirected (followed by `navigate`). */
  redirect?: string;
  idle?: ReturnType<typeof setTimeout>;
}

/** The browsers of all agents. */
export class BrowserSessions {
  readonly #options: BrowserSessionsOptions;
  readonly #live = new Map<string, Promise<Live>>();
  readonly #queues = new Map<string, Promise<void>>();
  readonly #closing = new Set<Promise<void>>();
  #closed = false;

  constructor(options: BrowserSessionsOptions) {
    this.#options = options;
  }

  /**
   * Runs `fn` after the agent's earlier browser calls finished: calls of one
   * step run concurrently, but one page takes them one at a time, in order.
   */
  exclusive<T>(agentId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#queues.get(agentId) ?? Promise.resolve();
    const run = before.then(fn);
    const settled = run.then(() => {}, () => {});
    this.#queues.set(agentId, settled);
    void settled.then(() => {
      if (this.#queues.get(agentId) === settled) this.#queues.delete(agentId);
    });
    return run;
  }

  /** True when `agentId` has a browser (or one is starting). */
  has(agentId: string): boolean {
    return this.#live.has(agentId);
  }

  /** Agents with a browser. */
  get size(): number {
    return this.#live.size;
  }

  /** The agent's browser, started when it has none; `agent` is who acts now. */
  async open(agent: AgentView): Promise<BrowserSession> {
    if (this.#closed) throw new TalonError("shutting_down", "Talon is stopping; no browser starts");
    let pending = this.#live.get(agent.id);
    if (!pending) {
      pending = this.#launch(agent);
      this.#live.set(agent.id, pending);
      pending.catch(() => this.#live.delete(agent.id));
    }
    return this.#touch(await pending, agent);
  }

  /** The agent's browser if it has one with a page, else `invalid_input` saying to open one. */
  async current(agent: AgentView): Promise<BrowserSession> {
    const pending = this.#live.get(agent.id);
    if (!pending) {
      throw new TalonError(
        "invalid_input",
        "no page is open: call browser_open with a URL first",
      );
    }
    return this.#touch(await pending, agent);
  }

  /** Closes the agent's browser and removes its profile; nothing when it has none. */
  close(agentId: string): Promise<void> {
    const pending = this.#live.get(agentId);
    if (!pending) return Promise.resolve();
    this.#live.delete(agentId);
    const closing = this.#shut(pending);
    this.#closing.add(closing);
    void closing.then(() => this.#closing.delete(closing));
    return closing;
  }

  async #shut(pending: Promise<Live>): Promise<void> {
    let live: Live;
    try {
      live = await pending;
    } catch {
      return;
    }
    clearTimeout(live.idle);
    await live.context.close().catch(() => {});
    await Deno.remove(live.profile, { recursive: true }).catch(() => {});
  }

  /** Closes every browser; no new one starts afterwards. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#live.keys()].map((id) => this.close(id)));
    await Promise.all([...this.#closing]);
  }

  #touch(live: Live, agent: AgentView): BrowserSession {
    live.agent = agent;
    clearTimeout(live.idle);
    live.idle = setTimeout(() => void this.close(live.agentId), this.#options.idleMs);
    Deno.unrefTimer(live.idle);
    return {
      agentId: live.agentId,
      page: live.page,
      sending: async (fn) => {
        live.sendingDepth++;
        try {
          return await fn();
        } finally {
          live.sendingDepth--;
        }
      },
      navigate: async (action) => {
        live.redirect = undefined;
        let status: number | null = null;
        let failure: unknown;
        try {
          status = (await action())?.status() ?? null;
        } catch (cause) {
          failure = cause;
        }
        for (let hop = 0; live.redirect !== undefined; hop++) {
          const next = live.redirect;
          live.redirect = undefined;
          if (hop >= MAX_REDIRECTS) {
            refuse(live, `GET ${next}: more than ${MAX_REDIRECTS} redirects`);
            break;
          }
          failure = undefined;
          try {
            status = (await live.page.goto(next, { waitUntil: "load" }))?.status() ?? null;
          } catch (cause) {
            failure = cause;
          }
        }
        if (failure !== undefined) throw failure;
        return status;
      },
      takeRefusals: () => live.refusals.splice(0),
    };
  }

  async #launch(agent: AgentView): Promise<Live> {
    const { executable, actionTimeoutMs } = this.#options;
    await assertExecutable(executable);
    const { chromium } = await loadPlaywright(executable);
    await Deno.mkdir(this.#options.profiles, { recursive: true, mode: 0o700 });
    const profile = await Deno.makeTempDir({
      dir: this.#options.profiles,
      prefix: `${agent.id}-`,
    });
    let context: BrowserContext;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: executable,
        headless: true,
        args: CHROMIUM_ARGS,
        env: { HOME: profile, PATH: "/usr/local/bin:/usr/bin:/bin" },
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        serviceWorkers: "block",
        acceptDownloads: false,
        viewport: { width: 1280, height: 800 },
        timeout: Math.max(actionTimeoutMs, 30_000),
      });
    } catch (cause) {
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      throw launchError(executable, cause);
    }
    const live: Live = {
      agentId: agent.id,
      agent,
      context,
      page: undefined as unknown as Page,
      profile,
      sendingDepth: 0,
      refusals: [],
    };
    try {
      context.setDefaultTimeout(actionTimeoutMs);
      context.setDefaultNavigationTimeout(actionTimeoutMs);
      await context.route("**/*", (route) => this.#filter(live, route));
      await context.routeWebSocket(/.*/, (ws) => this.#filterSocket(live, ws));
      live.page = context.pages()[0] ?? await context.newPage();
    } catch (cause) {
      await context.close().catch(() => {});
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      throw cause;
    }
    if (this.#closed) {
      await context.close().catch(() => {});
      throw new TalonError("shutting_down", "Talon is stopping; no browser starts");
    }
    return live;
  }

  /** Why the page may not make this request, or undefined when it may. */
  async #refusal(live: Live, url: URL, method: string): Promise<string | undefined> {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return `${url.protocol} requests are not made; only http and https`;
    }
    if (!SAFE_METHODS.has(method) && live.sendingDepth === 0) {
      return `${method} sends data, which only browser_submit does (after a person approves)`;
    }
    try {
      requireNetCapability(live.agent)(url);
      await this.#options.guard.pin(url);
    } catch (cause) {
      if (cause instanceof TalonError) return cause.message;
      throw cause;
    }
    return undefined;
  }

  async #filter(live: Live, route: Route): Promise<void> {
    const request = route.request();
    let url: URL;
    try {
      url = new URL(request.url());
    } catch {
      await route.abort("blockedbyclient").catch(() => {});
      return;
    }
    const why = await this.#refusal(live, url, request.method());
    if (why !== undefined) {
      refuse(live, `${request.method()} ${url.href}: ${why}`);
      await route.abort("blockedbyclient").catch(() => {});
      return;
    }
    const topLevel = request.isNavigationRequest() && request.frame() === live.page?.mainFrame();
    try {
      let current = url;
      for (let hop = 0;; hop++) {
        const response = await route.fetch({
          maxRedirects: 0,
          ...(hop === 0 ? {} : { url: current.href, method: "GET", postData: "" }),
        });
        const location = response.headers()["location"];
        if (response.status() < 300 || response.status() > 399 || !location) {
          await route.fulfill({ response });
          return;
        }
        const next = new URL(location, current);
        if (topLevel) {
          // The tool navigates there itself (see `navigate`), so the page's URL is the target's.
          live.redirect = next.href;
          await route.abort("aborted");
          return;
        }
        const why = hop >= MAX_REDIRECTS
          ? `more than ${MAX_REDIRECTS} redirects`
          : await this.#refusal(live, next, "GET");
        if (why !== undefined) {
          refuse(live, `GET ${next.href} (redirected from ${current.href}): ${why}`);
          await route.abort("blockedbyclient");
          return;
        }
        current = next;
      }
    } catch {
      await route.abort("failed").catch(() => {});
    }
  }

  async #filterSocket(live: Live, ws: WebSocketRoute): Promise<void> {
    let url: URL;
    try {
      url = new URL(ws.url().replace(/^ws/, "http"));
    } catch {
      await ws.close().catch(() => {});
      return;
    }
    const why = await this.#refusal(live, url, "GET");
    if (why !== undefined) {
      refuse(live, `WebSocket ${ws.url()}: ${why}`);
      await ws.close({ code: 1008, reason: "refused by Talon" }).catch(() => {});
      return;
    }
    ws.connectToServer();
  }
}

function refuse(live: Live, message: string): void {
  if (live.refusals.length < MAX_REFUSALS) live.refusals.push(message);
}

async function assertExecutable(executable: string): Promise<void> {
  try {
    if ((await Deno.stat(executable)).isFile) return;
  } catch (cause) {
    if (cause instanceof Deno.errors.NotCapable) throw permissionMissing(executable, cause);
    if (!(cause instanceof Deno.errors.NotFound)) throw cause;
  }
  throw new TalonError(
    "not_found",
    `${executable} is missing: install Chromium (apt-get install chromium) or set [tools.browser] executable`,
  );
}

/** playwright-core, loaded on first use (it is CommonJS and heavy). */
async function loadPlaywright(executable: string): Promise<typeof import("playwright-core")> {
  try {
    // playwright-core bundles is-wsl, which at import probes /proc/sys/fs/binfmt_misc (Deno
    // allows that only under --allow-all) unless this test switch defers the probe to a call,
    // which nothing on Linux makes.
    Deno.env.set("__IS_WSL_TEST__", "1");
    return await import("playwright-core");
  } catch (cause) {
    throw launchError(executable, cause);
  }
}

function launchError(executable: string, cause: unknown): TalonError {
  const message = cause instanceof Error ? cause.message : String(cause);
  if (cause instanceof Deno.errors.NotCapable || /NotCapable|Requires \w+ access/.test(message)) {
    return permissionMissing(executable, cause);
  }
  return new TalonError(
    "not_configured",
    `Chromium (${executable}) did not start: ${message.split("\n")[0]}`,
    { cause },
  );
}

function permissionMissing(executable: string, cause: unknown): TalonError {
  const message = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
  return new TalonError(
    "permission_missing",
    `the browser tools need Talon started with Deno's ${
      browserDenoFlags(executable)
    } besides the start task's flags (deno task start:hands has them); this process lacks one: ${message}`,
    { cause },
  );
}
