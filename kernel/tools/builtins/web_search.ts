/**
 * `web_search`: queries the search API configured in `[tools.web_search]`
 * (SearXNG, Brave or Tavily) through the SSRF guard, and returns title, URL
 * and snippet of each result. Needs `net_connect` for the API's host; with no
 * provider configured every call fails saying how to configure one. Results
 * taint the turn; results the injection scanner flags reach the model inside
 * a quarantine block, audited.
 *
 * @module
 */
import { z } from "zod";
import type { EnvReader } from "../../config.ts";
import type { WebSearchConfig } from "../../types.ts";
import { TalonError } from "../../errors.ts";
import { screenOutsideContent, type SsrfGuard } from "../../security/mod.ts";
import { defineTool, type Tool } from "../define.ts";
import type { AuditSink } from "../ports.ts";
import { netCapability } from "./web_fetch.ts";

/** What `web_search` needs. */
export interface WebSearchDeps {
  guard: SsrfGuard;
  config: WebSearchConfig;
  /** Reads the API key variable. */
  env: EnvReader;
  timeoutMs: number;
  /** Where quarantined fetched content is audited. */
  audit: AuditSink;
}

/** One search result as the model sees it. */
interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

const DEFAULT_URLS = {
  brave: "https://api.search.brave.com",
  tavily: "https://api.tavily.com",
} as const;

const NOT_CONFIGURED =
  "web_search has no search provider: set [tools.web_search] provider (searxng, brave or tavily), url and api_key_env in config.toml";

/** Creates `web_search`. */
export function webSearchTool(deps: WebSearchDeps): Tool {
  const { provider } = deps.config;
  const base = provider === undefined
    ? undefined
    : new URL(withSlash(deps.config.url ?? DEFAULT_URLS[provider as keyof typeof DEFAULT_URLS]));
  return defineTool({
    name: "web_search",
    description: "Searches the web and returns the title, URL and a snippet of each result.",
    input: z.strictObject({
      query: z.string().min(1).max(500).describe("what to search for"),
      max_results: z.number().int().min(1).max(50).optional()
        .describe(`how many results (default ${deps.config.max_results})`),
    }),
    capabilities: () => base === undefined ? [] : [netCapability(base)],
    risk: "medium",
    timeoutMs: deps.timeoutMs + 5_000,
    outsideContent: ({ query }) => ({
      label: `results for ${JSON.stringify(query)}`,
      ...(base === undefined ? {} : { host: base.hostname }),
    }),
    handler: async ({ query, max_results }, ctx) => {
      if (provider === undefined || base === undefined) {
        throw new TalonError("not_configured", NOT_CONFIGURED);
      }
      const count = max_results ?? deps.config.max_results;
      const key = deps.config.api_key_env === undefined
        ? undefined
        : deps.env(deps.config.api_key_env);
      if (deps.config.api_key_env !== undefined && !key) {
        throw new TalonError(
          "not_configured",
          `web_search: the variable ${deps.config.api_key_env} (api_key_env) is not set or not readable; set it and allow Talon to read it (--allow-env)`,
        );
      }
      const request = searchRequest(provider, base, query, count, key);
      const res = await deps.guard.fetch(request.url, {
        ...request.init,
        signal: ctx.signal,
        origin: {
          actor: `agent:${ctx.agent.id}`,
          agent_id: ctx.agent.id,
          tool: "web_search",
          turn_id: ctx.turnId,
        },
      });
      if (res.status < 200 || res.status > 299) {
        throw new TalonError(
          "fetch_failed",
          `the ${provider} search API answered ${res.status}: ${res.text.slice(0, 300)}`,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(res.text);
      } catch {
        throw new TalonError("fetch_failed", `the ${provider} search API did not answer JSON`);
      }
      const results = resultsOf(provider, body).slice(0, count);
      return screenOutsideContent(JSON.stringify({ query, results }), {
        source: `web_search results for ${JSON.stringify(query)}`,
        tool: "web_search",
        agentId: ctx.agent.id,
        turnId: ctx.turnId,
        audit: deps.audit,
        scan: results.map((r) => `${r.title}\n${r.snippet}`).join("\n\n"),
      });
    },
  });
}

function searchRequest(
  provider: NonNullable<WebSearchConfig["provider"]>,
  base: URL,
  query: string,
  count: number,
  key: string | undefined,
): {
  url: string;
  init: { method: "GET" | "POST"; headers: Record<string, string>; body?: string };
} {
  const accept = { accept: "application/json" };
  if (provider === "searxng") {
    const url = new URL("search", base);
    url.search = new URLSearchParams({ q: query, format: "json" }).toString();
    return { url: url.href, init: { method: "GET", headers: accept } };
  }
  if (provider === "brave") {
    const url = new URL("res/v1/web/search", base);
    url.search = new URLSearchParams({ q: query, count: String(count) }).toString();
    return {
      url: url.href,
      init: { method: "GET", headers: { ...accept, "x-subscription-token": key ?? "" } },
    };
  }
  return {
    url: new URL("search", base).href,
    init: {
      method: "POST",
      headers: { ...accept, "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, max_results: count }),
    },
  };
}

function resultsOf(provider: string, body: unknown): SearchResult[] {
  const list = provider === "brave"
    ? (body as { web?: { results?: unknown } })?.web?.results
    : (body as { results?: unknown })?.results;
  if (!Array.isArray(list)) {
    throw new TalonError("fetch_failed", `the ${provider} search API answered without results`);
  }
  return list.map((r: Record<string, unknown>) => ({
    title: String(r.title ?? ""),
    url: String(r.url ?? ""),
    snippet: String(r.content ?? r.description ?? ""),
  }));
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
