/**
 * Which configured secrets the kernel knows, and the host each belongs to:
 * a provider's key to its `base_url` host (OpenAI's or Anthropic's own API
 * when it has none), the web search key to the search API, an HTTP MCP
 * server's `headers_env` values to that server, and `env_read:` values to no
 * host at all. The redactor masks all of them; the exfiltration guard lets
 * each go only to its own host.
 *
 * @module
 */
import type { ProviderView, TalonConfig } from "./types.ts";
import type { SecretSources } from "./security/mod.ts";

/** The providers' own APIs, for entries without a `base_url` (as their drivers use). */
const DEFAULT_API_HOSTS: Record<string, string> = {
  openai: "api.openai.com",
  anthropic: "api.anthropic.com",
};

/** The search APIs `web_search` uses when `[tools.web_search] url` is unset. */
const SEARCH_API_HOSTS: Record<string, string> = {
  brave: "api.search.brave.com",
  tavily: "api.tavily.com",
};

/** Where the kernel's secrets come from and which hosts they belong to. */
export function secretSourcesOf(
  config: TalonConfig,
  options: { providers: readonly ProviderView[]; env: (key: string) => string | undefined },
): SecretSources {
  const owned: { env: string | null | undefined; hosts: string[] }[] = [];
  for (const provider of options.providers) {
    const host = hostOf(provider.base_url) ?? DEFAULT_API_HOSTS[provider.kind];
    owned.push({ env: provider.api_key_env, hosts: host ? [host] : [] });
  }
  for (const kind of ["openai", "anthropic"] as const) {
    const envName = kind === "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY";
    if (!options.providers.some((p) => p.api_key_env === envName)) {
      owned.push({ env: envName, hosts: [DEFAULT_API_HOSTS[kind]!] });
    }
  }
  const search = config.tools.web_search;
  if (search.api_key_env !== undefined) {
    const host = hostOf(search.url) ?? SEARCH_API_HOSTS[search.provider ?? ""];
    owned.push({ env: search.api_key_env, hosts: host ? [host] : [] });
  }
  for (const server of Object.values(config.mcp_servers)) {
    if (server.transport !== "http") continue;
    const host = hostOf(server.url)!;
    for (const envName of Object.values(server.headers_env)) {
      owned.push({ env: envName, hosts: [host] });
    }
  }
  return {
    keyEnvs: owned.map((o) => o.env),
    owned,
    capabilities: config.max_capabilities,
    env: options.env,
  };
}

function hostOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, "");
  } catch {
    return undefined;
  }
}
