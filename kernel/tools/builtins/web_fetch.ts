/**
 * `web_fetch`: fetches one http(s) URL through the SSRF guard. Needs
 * `net_connect:<host>:<port>` for the URL and again for every redirect
 * target; private, local and metadata addresses are refused unless listed in
 * `[tools.web] allow_hosts`. Returns the status, final URL, content type and
 * the text body (text, HTML, JSON and XML only). A body the injection
 * scanner flags reaches the model inside a quarantine block, and the
 * quarantine is audited. Its result taints the turn; in a tainted turn a
 * request with a query to a host the turn has not fetched from is a sink.
 *
 * @module
 */
import { z } from "zod";
import { TalonError } from "../../errors.ts";
import {
  effectivePort,
  missingCapabilities,
  screenOutsideContent,
  type SsrfGuard,
  type TaintView,
} from "../../security/mod.ts";
import type { AgentView } from "../../types.ts";
import { defineTool, type Tool } from "../define.ts";
import type { AuditSink } from "../ports.ts";

/** The `net_connect` capability a connection to `url` needs, e.g. `net_connect:example.com:443`. */
export function netCapability(url: URL): string {
  return `net_connect:${url.hostname.toLowerCase()}:${effectivePort(url)}`;
}

/**
 * The taint sink rule of a request: one that carries data in its query (or,
 * with `body`, in a body, as an A2A message does) to a host the turn has not
 * fetched from could leak what the turn read.
 */
export function dataToNewHost(
  tool: string,
  url: URL,
  taint: TaintView,
  options: { body?: boolean } = {},
): string | undefined {
  const host = url.hostname.toLowerCase();
  if ((!options.body && url.search.length <= 1) || taint.hasFetchedFrom(host)) return undefined;
  return `${tool} sends data in its ${
    options.body ? "body" : "query"
  } to ${host}, a host this turn has not fetched from`;
}

/** A `checkUrl` for the guard: refuses URLs whose `net_connect` the agent lacks. */
export function requireNetCapability(agent: AgentView): (url: URL) => void {
  return (url) => {
    const need = netCapability(url);
    if (missingCapabilities(agent.capabilities, [need]).length > 0) {
      throw new TalonError(
        "url_denied",
        `${url.href} needs ${need}, which agent "${agent.name}" does not hold`,
      );
    }
  };
}

/** Creates `web_fetch` over `guard`; `timeoutMs` is the guard's own limit; quarantines go to `audit`. */
export function webFetchTool(
  deps: { guard: SsrfGuard; timeoutMs: number; audit: AuditSink },
): Tool {
  return defineTool({
    name: "web_fetch",
    description:
      "Fetches a public http(s) URL and returns its status, final URL, content type and text (HTML, JSON, XML or plain text).",
    input: z.strictObject({
      url: z.url({ protocol: /^https?$/ }).max(8192).describe("the http or https URL to fetch"),
      method: z.enum(["GET", "HEAD"]).default("GET"),
    }),
    capabilities: ({ url }) => [netCapability(new URL(url))],
    risk: "medium",
    timeoutMs: deps.timeoutMs + 5_000,
    outsideContent: ({ url }) => ({ label: url, host: new URL(url).hostname }),
    taintSink: ({ url }, { taint }) => dataToNewHost("web_fetch", new URL(url), taint),
    handler: async ({ url, method }, ctx) => {
      const res = await deps.guard.fetch(url, {
        method,
        signal: ctx.signal,
        checkUrl: requireNetCapability(ctx.agent),
        origin: {
          actor: `agent:${ctx.agent.id}`,
          agent_id: ctx.agent.id,
          tool: "web_fetch",
          turn_id: ctx.turnId,
        },
      });
      const head = `${res.status} ${res.url}\ncontent-type: ${res.contentType}\n\n`;
      return head + screenOutsideContent(res.text, {
        source: res.url,
        tool: "web_fetch",
        agentId: ctx.agent.id,
        turnId: ctx.turnId,
        audit: deps.audit,
      });
    },
  });
}
