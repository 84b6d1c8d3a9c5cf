/**
 * What skills need from the rest of the kernel, as interfaces: network
 * access through the SSRF guard (`net_fetch`), key-value storage, the audit
 * log and a place to register tools.
 *
 * @module
 */

/** One outbound request of a plugin. */
export interface GuardedFetchOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** What a plugin sees of a response. */
export interface GuardedFetchResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Fetches `url` through the SSRF guard (private ranges, metadata IPs, DNS
 * rebinding, redirects); throws with a message the plugin may see.
 */
export type FetchGuarded = (
  url: string,
  options: GuardedFetchOptions,
) => Promise<GuardedFetchResponse>;

/** Per-skill key-value storage. */
export interface SkillKvStore {
  get(skill: string, key: string): string | undefined;
  set(skill: string, key: string, value: string): void;
  clear(skill: string): number;
}
