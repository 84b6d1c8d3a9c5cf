/**
 * `/agents/{id}` (id or name): one agent — header with state and lifecycle
 * controls, the conversation (history + live turns), facts, usage per day,
 * the edit form, its sessions and its audit entries. Viewers see everything
 * but the controls. POST is the same page without JavaScript (operators):
 * `action=pause|resume|kill|edit|message|compact|new_session|switch_session`; kill asks for confirmation first
 * (`confirm=yes`), edit re-renders with inline errors and the typed values.
 * The markdown renderer is loaded on the first render (never at boot). The
 * state, facts, usage and audit are `data-live-section`s: the chat island
 * swaps in a fresh render of them after each turn.
 */
import type { JSX } from "preact";
import { findAgent } from "../../http/find_agent.tsx";
import { AgentFacts } from "../../components/agent_detail/AgentFacts.tsx";
import { AgentTabs } from "../../components/agent_memory/AgentTabs.tsx";
import { AuditEntries } from "../../components/agent_detail/AuditEntries.tsx";
import { AgentSessions, runSessionAction } from "../../components/agent_detail/AgentSessions.tsx";
import { AgentUsage } from "../../components/agent_detail/AgentUsage.tsx";
import { Button } from "../../components/Button.tsx";
import {} from "../../components/ErrorState.tsx";
import { Layout } from "../../components/Layout.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { StateBadge } from "../../components/StateBadge.tsx";
import { actorOf, type RouteHandlers } from "../../http/define.ts";
import { statusOf } from "../../http/errors.ts";
import { AgentChat, AgentControls, AgentEditForm } from "../../http/islands.gen.ts";
import { page, type PageRequest } from "../../http/page.tsx";
import {
  type AgentFormValues,
  checkAgentForm,
  formValuesFrom,
  formValuesOf,
  refusalErrors,
} from "../../islands/lib/agent_form.ts";
import { daysStart } from "../../kernel/format.ts";
import { loadMarkdown } from "../../islands/lib/markdown_lazy.ts";
import { TalonError } from "../../kernel/mod.ts";
import { type AgentView, MessageBody, roleAtLeast, SessionQuery } from "../../kernel/types.ts";

const HISTORY_LIMIT = 30;
const AUDIT_LIMIT = 15;
const USAGE_DAYS = 14;

/** What a POST without JavaScript brings back into the page. */
interface PageState {
  edit?: { values: AgentFormValues; errors: Record<string, string>; formError?: string };
  chat?: { draft: string; error: string };
  /** A lifecycle action that failed. */
  notice?: string;
}

function cursor(value: string | null): number | undefined {
  const n = Number(value);
  return value !== null && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function DetailPage(props: { p: PageRequest; agent: AgentView; state: PageState }): JSX.Element {
  const { p, agent, state } = props;
  const operator = roleAtLeast(p.principal.role, "operator");
  const q = p.url.searchParams;
  const before = SessionQuery.safeParse({
    limit: HISTORY_LIMIT,
    before: q.get("before") ?? undefined,
  });
  const session = p.kernel.agents.session(
    agent.id,
    before.success ? before.data : { limit: HISTORY_LIMIT },
  );
  const running = q.has("before") ? undefined : p.kernel.agents.currentTurn(agent.id);
  const auditBefore = cursor(q.get("audit_before"));
  const audit = p.kernel.audit.list({
    agent_id: agent.id,
    limit: AUDIT_LIMIT,
    before: auditBefore,
  });
  const now = Date.now();
  const usage = p.kernel.usage({
    group: "day",
    agent: agent.id,
    since: daysStart(USAGE_DAYS, now),
    limit: USAGE_DAYS + 1,
  });
  const initial = formValuesOf(agent.manifest);
  const self = `/agents/${encodeURIComponent(agent.id)}`;
  return (
    <Layout page={p} title={agent.name}>
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href="/agents">Agents</a> <span aria-hidden="true">/</span>{" "}
        <span aria-current="page">{agent.name}</span>
      </nav>
      <PageHeader
        title={agent.name}
        description={agent.description || "No description."}
        actions={operator
          ? <AgentControls agentId={agent.id} agentName={agent.name} state={agent.state} />
          : (
            <span data-live-section="state">
              <StateBadge state={agent.state} />
            </span>
          )}
      />
      <AgentTabs agentId={agent.id} current="overview" />
      {state.notice && <p class="form-error" role="alert">{state.notice}</p>}
      <div class="detail-grid agent-panel" data-agent-state={agent.state}>
        <section id="chat" class="panel chat-panel" aria-labelledby="chat-title">
          <h2 id="chat-title">Conversation</h2>
          <AgentChat
            agentId={agent.id}
            agentName={agent.name}
            state={agent.state}
            canSend={operator}
            messages={session.messages}
            nextBefore={session.next_before}
            limit={HISTORY_LIMIT}
            runningTurn={running ?? null}
            draft={state.chat?.draft}
            error={state.chat?.error}
          />
          {q.has("before") && (
            <p class="actions">
              <a class="btn btn-small" href={`${self}#chat`}>Back to the latest messages</a>
            </p>
          )}
        </section>
        <div class="detail-side">
          <section class="panel" aria-labelledby="facts-title" data-live-section="facts">
            <h2 id="facts-title">Agent</h2>
            <AgentFacts agent={agent} />
          </section>
          <section class="panel" aria-labelledby="usage-heading" data-live-section="usage">
            <h2 id="usage-heading">Usage</h2>
            <AgentUsage rows={usage.rows} days={USAGE_DAYS} now={now} agentName={agent.name} />
          </section>
        </div>
      </div>
      {operator && agent.state !== "killed" && (
        <section id="edit" class="panel agent-panel" aria-labelledby="edit-title">
          <h2 id="edit-title">Edit</h2>
          <AgentEditForm
            agentId={agent.id}
            initial={initial}
            values={state.edit?.values ?? initial}
            errors={state.edit?.errors ?? {}}
            formError={state.edit?.formError}
            models={p.kernel.providers.catalog.list().map((m) =>
              m.id
            )}
            saved={q.has("saved")}
          />
        </section>
      )}
      <section id="sessions" class="panel agent-panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <AgentSessions
          agentId={agent.id}
          sessions={p.kernel.sessions.list(agent.id, { limit: 50 }).sessions}
          operator={operator && agent.state !== "killed"}
        />
      </section>
      <section
        id="audit"
        class="panel agent-panel"
        aria-labelledby="audit-title"
        data-live-section="audit"
      >
        <h2 id="audit-title">Audit</h2>
        <AuditEntries
          list={audit}
          olderHref={(id) => `${self}?audit_before=${id}#audit`}
          newerHref={auditBefore === undefined ? undefined : `${self}#audit`}
        />
      </section>
    </Layout>
  );
}

function ConfirmKill(props: { p: PageRequest; agent: AgentView }): JSX.Element {
  const { p, agent } = props;
  const self = `/agents/${encodeURIComponent(agent.id)}`;
  return (
    <Layout page={p} title={`Kill ${agent.name}?`}>
      <PageHeader title={`Kill ${agent.name}?`} />
      <section class="panel confirm-panel" aria-label="Confirm kill">
        <p>
          Killing stops its running turn and its child agents. It cannot be undone: a killed agent
          never runs again.
        </p>
        <form method="post" action={self}>
          <input type="hidden" name="action" value="kill" />
          <input type="hidden" name="confirm" value="yes" />
          <div class="actions">
            <Button href={self}>Cancel</Button>
            <Button variant="danger">Kill agent</Button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

function failed(p: PageRequest, agent: AgentView, error: unknown, state: (m: string) => PageState) {
  if (!(error instanceof TalonError)) throw error;
  return p.render(<DetailPage p={p} agent={agent} state={state(error.message)} />, {
    status: statusOf(error.code),
  });
}

export const handler: RouteHandlers = {
  GET: page("viewer", async (p) => {
    await loadMarkdown();
    const agent = findAgent(p);
    return agent instanceof Response ? agent : <DetailPage p={p} agent={agent} state={{}} />;
  }),
  POST: page("operator", async (p) => {
    await loadMarkdown();
    const agent = findAgent(p);
    if (agent instanceof Response) return agent;
    const form = await p.c.req.parseBody();
    const field = (name: string) => (typeof form[name] === "string" ? form[name] as string : "");
    const self = `/agents/${encodeURIComponent(agent.id)}`;
    const actor = actorOf(p.c);
    const render = (state: PageState, status: number) =>
      p.render(<DetailPage p={p} agent={agent} state={state} />, { status });
    switch (field("action")) {
      case "pause":
      case "resume":
        try {
          if (field("action") === "pause") p.kernel.agents.pause(agent.id, { actor });
          else p.kernel.agents.resume(agent.id, { actor });
        } catch (error) {
          return failed(p, agent, error, (notice) => ({ notice }));
        }
        return p.redirect(self);
      case "kill":
        if (field("confirm") !== "yes") return p.render(<ConfirmKill p={p} agent={agent} />);
        try {
          p.kernel.agents.kill(agent.id, { actor });
        } catch (error) {
          return failed(p, agent, error, (notice) => ({ notice }));
        }
        return p.redirect(self);
      case "edit": {
        const values = formValuesFrom(field);
        const check = checkAgentForm(values, formValuesOf(agent.manifest));
        if (!check.ok) {
          return render(
            { edit: { values, errors: check.errors, formError: check.formError } },
            400,
          );
        }
        try {
          p.kernel.agents.update(agent.id, check.patch, { actor });
        } catch (error) {
          if (!(error instanceof TalonError)) throw error;
          return render({ edit: { values, ...refusalErrors(error) } }, statusOf(error.code));
        }
        return p.redirect(`${self}?saved=1#edit`);
      }
      case "message": {
        const text = field("text");
        const parsed = MessageBody.safeParse({ text });
        if (!parsed.success) {
          const error = `Message ${parsed.error.issues[0]?.message ?? "is not valid"}.`;
          return render({ chat: { draft: text, error } }, 400);
        }
        try {
          p.kernel.agents.send(agent.id, parsed.data.text, { actor });
        } catch (error) {
          return failed(p, agent, error, (message) => ({ chat: { draft: text, error: message } }));
        }
        return p.redirect(`${self}#chat`);
      }
      case "compact":
      case "new_session":
      case "switch_session":
        try {
          await runSessionAction(p.kernel, agent.id, {
            action: field("action"),
            session: field("session"),
            actor,
          });
        } catch (error) {
          return failed(p, agent, error, (notice) => ({ notice }));
        }
        return p.redirect(`${self}#sessions`);
      default:
        return render(
          { notice: `Unknown action "${field("action")}": use the page's buttons.` },
          400,
        );
    }
  }),
};
