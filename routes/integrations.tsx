/**
 * `/integrations`: how Talon plugs into the agent ecosystem. MCP servers
 * (McpServerList island: status, tools, a connection test and removal for
 * admins) and, for admins, the form that adds one (McpServerForm island;
 * lower roles are told why they cannot), then A2A: this Talon's public card
 * with the agents it offers, and the configured peers with their skills.
 */
import type { JSX } from "preact";
import { A2aPanel } from "../components/A2aPanel.tsx";
import { Layout } from "../components/Layout.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import type { RouteHandlers } from "../http/define.ts";
import { McpServerForm, McpServerList } from "../http/islands.gen.ts";
import { page, type PageRequest } from "../http/page.tsx";
import { talonAgentCard } from "../kernel/mod.ts";
import { roleAtLeast } from "../kernel/types.ts";

function Notice(props: { url: URL }): JSX.Element | null {
  const added = props.url.searchParams.get("added");
  const removed = props.url.searchParams.get("removed");
  if (added) {
    return (
      <p class="form-notice" role="status">
        Added MCP server <code>{added}</code>. It starts when an agent that names it needs it.
      </p>
    );
  }
  if (removed) {
    return (
      <p class="form-notice" role="status">
        Removed MCP server <code>{removed}</code>.
      </p>
    );
  }
  return null;
}

function IntegrationsPage(props: { p: PageRequest }): JSX.Element {
  const { p } = props;
  const admin = roleAtLeast(p.principal.role, "admin");
  return (
    <Layout page={p} title="Integrations">
      <PageHeader
        title="Integrations"
        description="MCP servers whose tools agents may use, and agent-to-agent peers"
      />
      <Notice url={p.url} />
      <section id="mcp" aria-labelledby="mcp-title" class="stack">
        <h2 id="mcp-title">MCP servers</h2>
        <p class="muted small-print">
          An agent uses a server's tools when its manifest names the server in{" "}
          <code>mcp_servers</code> and it holds <code>mcp:&lt;server&gt;</code> (or{" "}
          <code>mcp:*</code>). Tools appear as <code>mcp_&lt;server&gt;_&lt;tool&gt;</code>.
        </p>
        <McpServerList servers={p.kernel.mcp.list()} admin={admin} />
        {admin
          ? (
            <div class="panel">
              <McpServerForm runHint="A path or name; Talon needs --allow-run for it (e.g. --allow-run=npx)" />
            </div>
          )
          : (
            <p class="notice" role="note">
              Adding, testing and removing MCP servers needs the admin role: a stdio server runs a
              command on this machine. You are signed in as {p.principal.role}.
            </p>
          )}
      </section>
      <div id="a2a">
        <A2aPanel
          card={talonAgentCard(p.kernel, p.url.href)}
          cardUrl={new URL("/.well-known/agent-card.json", p.url).href}
          peers={p.kernel.a2a.list()}
        />
      </div>
    </Layout>
  );
}

export const handler: RouteHandlers = {
  GET: page("viewer", (p) => <IntegrationsPage p={p} />),
};
