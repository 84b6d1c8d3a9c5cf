/**
 * The Memory tab's sessions: every session of the agent, newest first, with
 * its label, size and compaction summaries, export links, and (operators)
 * forms to relabel a session or make it current. Plain forms: it works
 * without JavaScript.
 */
import type { JSX } from "preact";
import { EmptyState } from "../EmptyState.tsx";
import { Table } from "../Table.tsx";
import { formatTs } from "../../kernel/format.ts";
import type { SessionView } from "../../kernel/types.ts";

/** What the panel shows. */
export interface SessionsPanelProps {
  /** The Memory tab's URL, where the forms post. */
  self: string;
  agentId: string;
  operator: boolean;
  sessions: SessionView[];
}

function exportHref(agentId: string, sessionId: string, format: "json" | "md"): string {
  return `/api/agents/${encodeURIComponent(agentId)}/sessions/${sessionId}/export?format=${format}`;
}

/** The sessions section of the Memory tab. */
export function SessionsPanel(props: SessionsPanelProps): JSX.Element {
  const { self, agentId, operator } = props;
  return (
    <section class="panel" aria-labelledby="memory-sessions-title">
      <h2 id="memory-sessions-title">Sessions</h2>
      <p class="muted">
        New turns join the current session. Starting a new session keeps the old ones; switching
        makes an old one current again.
      </p>
      <Table
        caption="Sessions"
        rows={props.sessions}
        rowKey={(s) => s.id}
        empty={<EmptyState title="No sessions yet" message="The first message starts one." />}
        columns={[
          {
            label: "Session",
            cell: (s) => (
              <span>
                {s.label === "" ? <span class="muted">(no label)</span> : s.label}{" "}
                {s.current && <span class="badge badge-info" data-current="true">current</span>}
                <br />
                <code class="muted">{s.id}</code>
              </span>
            ),
          },
          { label: "Messages", cell: (s) => s.message_count, numeric: true },
          { label: "Summaries", cell: (s) => s.summaries, numeric: true },
          { label: "Started", cell: (s) => formatTs(s.created_at) },
          { label: "Last message", cell: (s) => formatTs(s.last_message_at) },
          {
            label: "Export",
            cell: (s) => (
              <span>
                <a href={exportHref(agentId, s.id, "md")} download>Markdown</a>{" "}
                <a href={exportHref(agentId, s.id, "json")} download>JSON</a>
              </span>
            ),
          },
          ...(operator
            ? [{
              label: "Manage",
              cell: (s: SessionView) => (
                <span>
                  <form method="post" action={self} class="inline-form">
                    <input type="hidden" name="action" value="session_label" />
                    <input type="hidden" name="session_id" value={s.id} />
                    <label for={`label-${s.id}`} class="visually-hidden">
                      Label of session {s.id}
                    </label>
                    <input
                      id={`label-${s.id}`}
                      name="label"
                      value={s.label}
                      maxLength={200}
                      placeholder="Label"
                    />
                    <button type="submit" class="btn btn-small">Save label</button>
                  </form>
                  {!s.current && (
                    <form method="post" action={self} class="inline-form">
                      <input type="hidden" name="action" value="session_switch" />
                      <input type="hidden" name="session_id" value={s.id} />
                      <button type="submit" class="btn btn-small">Make current</button>
                    </form>
                  )}
                </span>
              ),
            }]
            : []),
        ]}
      />
    </section>
  );
}
