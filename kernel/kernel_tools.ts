/**
 * The kernel's built-in tools, wired to its subsystems: files, web, shell,
 * browser, video, memory, schedules and agents (after the agent registry
 * exists) and the A2A client's, then the Hands' tools (after the Hand service exists); plus the
 * small ports those tools and skills see of the kernel.
 *
 * @module
 */
import type { EnvReader } from "./config.ts";
import { DATA_FILES, dataPath } from "./data_dir.ts";
import { handTools } from "./hands/mod.ts";
import type { Kernel } from "./kernel.ts";
import { signingDirectory } from "./identity_wiring.ts";
import { a2aTools } from "./protocols/mod.ts";
import type { SsrfGuard } from "./security/mod.ts";
import type { FetchGuarded } from "./skills/mod.ts";
import * as store from "./store/mod.ts";
import { type AgentMemory, builtinTools } from "./tools/mod.ts";
import type { AgentView } from "./types.ts";

/** Registers the built-in tools; `env` is what web_search and shell_exec may read. */
export function registerBuiltinTools(kernel: Kernel, env: EnvReader): void {
  for (
    const builtin of builtinTools({
      directory: signingDirectory(kernel.agents, {
        identity: kernel.identity.identity,
        db: kernel.db,
      }),
      approvals: kernel.approvals,
      maxCallDepth: kernel.config.agents.max_call_depth,
      files: {
        workspaces: dataPath(kernel.dataDir, DATA_FILES.workspaces),
        maxReadBytes: kernel.config.tools.files.max_read_bytes,
        maxWriteBytes: kernel.config.tools.files.max_write_bytes,
      },
      web: {
        guard: kernel.webGuard,
        config: kernel.config.tools.web_search,
        env,
        timeoutMs: kernel.config.tools.web.timeout_ms,
        audit: kernel.audit,
      },
      shell: {
        workspaces: dataPath(kernel.dataDir, DATA_FILES.workspaces),
        envAllow: kernel.config.tools.shell.env_allow,
        env,
        timeoutMs: kernel.config.tools.shell.timeout_ms,
        maxOutputBytes: kernel.config.tools.shell.max_output_bytes,
      },
      browser: {
        sessions: kernel.browsers,
        guard: kernel.webGuard,
        workspaces: dataPath(kernel.dataDir, DATA_FILES.workspaces),
        actionTimeoutMs: kernel.config.tools.browser.action_timeout_ms,
        maxTextChars: kernel.config.tools.browser.max_text_chars,
      },
      video: {
        workspaces: dataPath(kernel.dataDir, DATA_FILES.workspaces),
        ffmpeg: kernel.config.tools.video.ffmpeg,
        timeoutMs: kernel.config.tools.video.timeout_ms,
      },
      memory: memoryPort(kernel),
      schedules: kernel.schedules,
    })
  ) {
    kernel.tools.register(builtin.tool, {
      builtin: true,
      defaultWhenHeld: builtin.defaultWhenHeld,
    });
  }
  const peerTimeouts = Object.values(kernel.config.a2a.peers).map((p) => p.timeout_s);
  for (
    const tool of a2aTools({
      peers: kernel.a2a,
      audit: kernel.audit,
      timeoutMs: Math.max(120, ...peerTimeouts) * 1000 + 5_000,
    })
  ) {
    kernel.tools.register(tool, { builtin: true });
  }
}

/** Registers the Hands' tools (report_write, page_diff, forecasts, social_publish). */
export function registerHandTools(kernel: Kernel): void {
  for (
    const tool of handTools({
      db: kernel.db,
      guard: kernel.webGuard,
      timeoutMs: kernel.config.tools.web.timeout_ms,
      now: () => kernel.clock.now(),
      instanceOf: (agentId) => kernel.hands.instanceOfAgent(agentId),
    })
  ) {
    kernel.tools.register(tool, { builtin: true });
  }
}

/** Skills' `net_fetch` through the SSRF guard that `web_fetch` uses. */
export function guardedFetchOf(guard: SsrfGuard): FetchGuarded {
  return async (url, options) => {
    const method = (options.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "POST" && method !== "HEAD") {
      throw new TypeError(`net_fetch supports GET, POST and HEAD, not ${method}`);
    }
    const response = await guard.fetch(url, {
      method,
      headers: options.headers,
      body: options.body,
      signal: options.signal,
    });
    return { status: response.status, headers: response.headers, body: response.text };
  };
}

/** What the memory tools see of the kernel. */
function memoryPort(kernel: Kernel): AgentMemory {
  const db = kernel.db;
  return {
    store: (agentId, key, text) => store.putMemory(db, { agentId, key, text }),
    recall: (agentId, { key, query, limit }) => {
      if (key === undefined) return store.searchMemories(db, agentId, { query, limit });
      const entry = store.getMemory(db, agentId, key);
      return entry ? [entry] : [];
    },
    remember: (agent, body, options) => kernel.memory.remember(agent, body, options),
    recallFacts: async (agent: AgentView, { query, limit, turnId, signal }) => {
      if (query === undefined) {
        return { mode: "newest", facts: kernel.memory.listFacts(agent.id, { limit }).facts };
      }
      const result = await kernel.memory.search(agent, { q: query, kind: "facts", limit }, {
        turnId,
        signal,
      });
      return {
        mode: result.mode,
        facts: result.hits.flatMap((h) =>
          h.kind === "fact" ? [{ ...h.fact, score: h.score, via: h.via }] : []
        ),
      };
    },
    toolHistory: (agentId, query) => kernel.toolHistory(agentId, query),
    knowledge: {
      add: (agentId, body) => kernel.knowledge.add(agentId, body),
      relate: (agentId, body) => kernel.knowledge.relate(agentId, body),
      query: (agentId, body) => kernel.knowledge.query(agentId, body),
    },
  };
}
