/**
 * `/agents/{id}/memory`: the agent page's Memory tab — search, facts, the
 * key-value store, the knowledge graph (SVG laid out on the server), the
 * sessions and the tool history. POST (operators, plain forms):
 * `action=remember|forget|kv_set|kv_delete|session_label|session_switch`, each
 * audited with the person's actor; a refusal re-renders the tab with the
 * message.
 */
import type { JSX } from "preact";
import { findAgent } from "../../../http/find_agent.tsx";
import { AgentTabs } from "../../../components/agent_memory/AgentTabs.tsx";
import { MemoryTab } from "../../../components/agent_memory/MemoryTab.tsx";
import {} from "../../../components/Button.tsx";
import {} from "../../../components/ErrorState.tsx";
import { Layout } from "../../../components/Layout.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { actorOf, type RouteHandlers } from "../../../http/define.ts";
import { validate } from "../../../http/body.ts";
import { statusOf } from "../../../http/errors.ts";
import { page, type PageRequest } from "../../../http/page.tsx";
import { TalonError } from "../../../kernel/mod.ts";
import {
  type AgentView,
  type MemorySearchResult,
  roleAtLeast,
  SessionId,
  SessionPatch,
} from "../../../kernel/types.ts";

async function MemoryPage(p: PageRequest, agent: AgentView, notice?: string): Promise<JSX.Element> {
  const k = p.kernel;
  const query = (p.url.searchParams.get("q") ?? "").trim().slice(0, 500);
  let search: MemorySearchResult | undefined;
  if (query !== "") {
    search = await k.memory.search(agent, { q: query, limit: 20 }, { signal: p.c.req.raw.signal });
  }
  const self = `/agents/${encodeURIComponent(agent.id)}/memory`;
  return (
    <Layout page={p} title={`${agent.name} · Memory`}>
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href="/agents">Agents</a> <span aria-hidden="true">/</span>{" "}
        <a href={`/agents/${encodeURIComponent(agent.id)}`}>{agent.name}</a>{" "}
        <span aria-hidden="true">/</span> <span aria-current="page">Memory</span>
      </nav>
      <PageHeader title={agent.name} description={agent.description || "No description."} />
      <AgentTabs agentId={agent.id} current="memory" />
      <MemoryTab
        self={self}
        agentId={agent.id}
        operator={roleAtLeast(p.principal.role, "operator")}
        query={query}
        search={search}
        facts={k.memory.listFacts(agent.id, { limit: 100 }).facts}
        kv={k.memory.listKv(agent.id, { limit: 100 })}
        graph={k.knowledge.graph(agent.id)}
        sessions={k.sessions.list(agent.id, { limit: 100 }).sessions}
        tools={k.toolHistory(agent.id, { limit: 200 })}
        stats={k.memoryStats(agent.id)}
        notice={notice}
      />
    </Layout>
  );
}

export const handler: RouteHandlers = {
  GET: page("viewer", async (p) => {
    const agent = findAgent(p);
    return agent instanceof Response ? agent : await MemoryPage(p, agent);
  }),
  POST: page("operator", async (p) => {
    const agent = findAgent(p);
    if (agent instanceof Response) return agent;
    const form = await p.c.req.parseBody();
    const field = (name: string) => (typeof form[name] === "string" ? form[name] as string : "");
    const self = `/agents/${encodeURIComponent(agent.id)}/memory`;
    const actor = actorOf(p.c);
    try {
      switch (field("action")) {
        case "remember":
          await p.kernel.memory.remember(agent, { text: field("text") }, { source: actor, actor });
          break;
        case "forget":
          p.kernel.memory.forget(agent.id, field("id"), { actor });
          break;
        case "kv_set":
          p.kernel.memory.setKv(agent.id, field("key"), { text: field("text") }, { actor });
          break;
        case "kv_delete":
          p.kernel.memory.deleteKv(agent.id, field("key"), { actor });
          break;
        case "session_label":
          p.kernel.sessions.label(
            agent.id,
            validate(SessionId, field("session_id"), "session id"),
            {
              ...validate(SessionPatch, { label: field("label") }, "session label"),
              actor,
            },
          );
          break;
        case "session_switch":
          p.kernel.sessions.switchTo(
            agent.id,
            validate(SessionId, field("session_id"), "session id"),
            { actor },
          );
          break;
        default:
          return p.render(
            await MemoryPage(
              p,
              agent,
              `Unknown action "${field("action")}": use the page's buttons.`,
            ),
            { status: 400 },
          );
      }
    } catch (error) {
      if (!(error instanceof TalonError)) throw error;
      return p.render(await MemoryPage(p, agent, error.message), { status: statusOf(error.code) });
    }
    return p.redirect(self);
  }),
};
