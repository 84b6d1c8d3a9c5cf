/**
 * The kernel's parts that reach outside the process: MCP clients, the SSRF
 * guard every outbound request goes through (with the exfiltration check on
 * each hop), A2A peers, the skill registry (its WASM plugins' guarded fetch)
 * and the browser sessions. Built once by the {@link Kernel} constructor;
 * their callbacks read the kernel's other parts lazily.
 *
 * @module
 */
import type { EnvReader } from "./config.ts";
import { dataPath } from "./data_dir.ts";
import type { Kernel } from "./kernel.ts";
import { guardedFetchOf } from "./kernel_tools.ts";
import { A2aPeers, McpClients } from "./protocols/mod.ts";
import { type Resolver, SsrfGuard, type SsrfGuardOptions } from "./security/mod.ts";
import { type FetchGuarded, SkillRegistry } from "./skills/mod.ts";
import * as store from "./store/mod.ts";
import { BrowserSessions } from "./tools/mod.ts";

/** What {@link outsideParts} builds. */
export interface OutsideParts {
  mcp: McpClients;
  webGuard: SsrfGuard;
  a2a: A2aPeers;
  skills: SkillRegistry;
  browsers: BrowserSessions;
}

/** Builds the parts of `kernel` that reach outside the process. */
export function outsideParts(
  kernel: Kernel,
  options: { env: EnvReader; resolver?: Resolver; fetchGuarded?: FetchGuarded },
): OutsideParts {
  const mcp = new McpClients({
    db: kernel.db,
    audit: kernel.audit,
    log: kernel.log,
    configured: kernel.config.mcp_servers,
    outbound: (request, origin) => kernel.exfiltration.check(request, origin),
    env: options.env,
    secrets: kernel.secrets,
    tools: kernel.tools,
    autostart: !kernel.ephemeral,
    now: () => kernel.clock.now(),
    inUse: () =>
      new Set(
        kernel.agents.list({ limit: 10_000 }).filter((a) => a.state !== "killed").flatMap((a) =>
          a.manifest.mcp_servers
        ),
      ),
    lifecycle: kernel.ephemeral
      ? undefined
      : () => kernel.bus.subscribe({ types: ["agent.lifecycle"] }),
  });
  const web = kernel.config.tools.web;
  const guardOptions: SsrfGuardOptions = {
    resolver: options.resolver,
    allowHosts: web.allow_hosts,
    maxBytes: web.max_bytes,
    timeoutMs: web.timeout_ms,
    maxRedirects: web.max_redirects,
    outbound: (request, origin) => kernel.exfiltration.check(request, origin),
  };
  const webGuard = new SsrfGuard(guardOptions);
  const a2a = new A2aPeers({
    config: kernel.config.a2a,
    env: options.env,
    guard: (timeoutMs) => new SsrfGuard({ ...guardOptions, timeoutMs }),
    audit: kernel.audit,
  });
  const skills = new SkillRegistry({
    dir: dataPath(kernel.dataDir, "skills"),
    tools: kernel.tools,
    audit: kernel.audit,
    kv: {
      get: (skill, key) => store.skillKvGet(kernel.db, skill, key),
      set: (skill, key, value) => store.skillKvSet(kernel.db, skill, key, value),
      clear: (skill) => store.skillKvClear(kernel.db, skill),
    },
    log: kernel.log,
    limits: kernel.config.sandbox,
    fetchGuarded: options.fetchGuarded ?? guardedFetchOf(webGuard),
  });
  const browser = kernel.config.tools.browser;
  const browsers = new BrowserSessions({
    profiles: dataPath(kernel.dataDir, "browser"),
    executable: browser.executable,
    guard: webGuard,
    idleMs: browser.idle_timeout_ms,
    actionTimeoutMs: browser.action_timeout_ms,
  });
  return { mcp, webGuard, a2a, skills, browsers };
}
