/**
 * `/audit`: the hash-chained audit log, newest first, filtered by agent and
 * action (GET form) and paged with a `before` cursor. The newest page tails
 * new entries once the AuditTail island hydrates. "Verify chain" walks the
 * chain (AuditVerify island; without JavaScript `?verify=1` renders the
 * result).
 */
import type { JSX } from "preact";
import { ErrorState } from "../components/ErrorState.tsx";
import { Layout } from "../components/Layout.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import type { RouteHandlers } from "../http/define.ts";
import { AuditTail, AuditVerify } from "../http/islands.gen.ts";
import { page } from "../http/page.tsx";
import { isTalonError, type Kernel } from "../kernel/mod.ts";
import { AUDIT_ACTIONS, AuditListQuery, describeIssues } from "../kernel/types.ts";

const PAGE_SIZE = 50;

function Filters(props: { agent: string; action: string }): JSX.Element {
  return (
    <form method="get" action="/audit" class="filters" aria-label="Filter audit entries">
      <div class="field">
        <label for="agent">Agent</label>
        <input id="agent" name="agent" type="search" value={props.agent} placeholder="id or name" />
      </div>
      <div class="field">
        <label for="action">Action</label>
        <select id="action" name="action">
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a} selected={a === props.action}>{a}</option>
          ))}
        </select>
      </div>
      <div class="filters-actions">
        <button type="submit" class="btn">Filter</button>
        {(props.agent || props.action) && <a class="btn btn-quiet" href="/audit">Clear</a>}
      </div>
    </form>
  );
}

function agentNames(kernel: Kernel, ids: Iterable<string | null>): Record<string, string> {
  const names: Record<string, string> = {};
  for (const id of new Set(ids)) {
    if (id === null) continue;
    try {
      names[id] = kernel.agents.get(id).name;
    } catch (error) {
      if (!isTalonError(error, "not_found")) throw error;
    }
  }
  return names;
}

export const handler: RouteHandlers = {
  GET: page("viewer", async (p) => {
    const params = p.url.searchParams;
    const agent = params.get("agent")?.trim() ?? "";
    const action = params.get("action") ?? "";
    const before = params.get("before") ?? "";
    const filter = { agent_id: agent || undefined, action: action || undefined };
    const query = AuditListQuery.safeParse({
      ...filter,
      before: before || undefined,
      limit: PAGE_SIZE,
    });
    const keep: Record<string, string> = {};
    if (agent) keep.agent = agent;
    if (action) keep.action = action;
    let body: JSX.Element;
    if (!query.success) {
      body = (
        <ErrorState
          title="These filters do not work"
          message={`${describeIssues(query.error)}. Change them and filter again.`}
        />
      );
    } else {
      const list = p.kernel.audit.list(query.data);
      const next = new URLSearchParams({ ...keep, before: String(list.next_before ?? "") });
      body = (
        <>
          <AuditTail
            entries={list.entries}
            filter={filter}
            agents={agentNames(p.kernel, list.entries.map((e) => e.agent_id))}
            live={!before}
          />
          <nav class="pager" aria-label="Audit pages">
            {before && (
              <a class="btn btn-small" href={`/audit?${new URLSearchParams(keep)}`}>Newest</a>
            )}
            {list.next_before !== null && (
              <a class="btn btn-small" href={`/audit?${next}`}>Older entries</a>
            )}
          </nav>
        </>
      );
    }
    const verified = params.get("verify") === "1" ? await p.kernel.verifyAudit() : null;
    return (
      <Layout page={p} title="Audit">
        <PageHeader
          title="Audit log"
          description="Every spawn, message, tool call, capability decision and budget change, hash-chained."
        />
        <section class="panel" aria-labelledby="verify-title">
          <h2 id="verify-title">Chain integrity</h2>
          <AuditVerify result={verified} keep={keep} />
        </section>
        <section aria-labelledby="entries-title" class="audit-entries">
          <h2 id="entries-title" class="visually-hidden">Entries</h2>
          <Filters agent={agent} action={action} />
          {body}
        </section>
      </Layout>
    );
  }),
};
