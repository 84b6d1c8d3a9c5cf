/**
 * An agent's sessions on its page: each with its size, summaries and export
 * links; operators get forms (they work without JavaScript) to compact the
 * current session, start a new one, or continue an older one.
 * {@link runSessionAction} carries out those forms' POSTs.
 */
import type { JSX } from "preact";
import type { Kernel } from "../../kernel/mod.ts";
import { TalonError } from "../../kernel/mod.ts";
import { formatTs } from "../../kernel/format.ts";
import { SessionId, type SessionView } from "../../kernel/types.ts";
import { EmptyState } from "../EmptyState.tsx";
import { Table } from "../Table.tsx";

/**
 * Carries out a form's `compact`, `new_session` or `switch_session` action;
 * throws a `TalonError` saying what went wrong.
 */
export async function runSessionAction(
  kernel: Kernel,
  agentId: string,
  form: { action: string; session: string; actor: string },
): Promise<void> {
  if (form.action === "compact") {
    await kernel.sessions.compact(agentId, { actor: form.actor });
  } else if (form.action === "new_session") {
    kernel.sessions.reset(agentId, { actor: form.actor });
  } else {
    const parsed = SessionId.safeParse(form.session);
    if (!parsed.success) {
      throw new TalonError("invalid_input", "pick a session from the list to continue it");
    }
    kernel.sessions.switchTo(agentId, parsed.data, { actor: form.actor });
  }
}

function ActionForm(
  props: { self: string; action: string; session?: string; label: string },
): JSX.Element {
  return (
    <form method="post" action={`${props.self}#sessions`}>
      <input type="hidden" name="action" value={props.action} />
      {props.session && <input type="hidden" name="session" value={props.session} />}
      <button type="submit" class="btn btn-small">{props.label}</button>
    </form>
  );
}

/** The sessions table, newest first, with exports and (operators) the session actions. */
export function AgentSessions(
  props: { agentId: string; sessions: SessionView[]; operator: boolean },
): JSX.Element {
  const self = `/agents/${encodeURIComponent(props.agentId)}`;
  const api = `/api/agents/${encodeURIComponent(props.agentId)}/sessions`;
  return (
    <div class="agent-sessions">
      <Table
        caption="Sessions of this agent, newest first"
        rows={props.sessions}
        rowKey={(s) => s.id}
        empty={<EmptyState title="No sessions yet" message="The first message starts one." />}
        columns={[
          {
            label: "Started",
            cell: (s) => <time datetime={s.created_at}>{formatTs(s.created_at)}</time>,
          },
          {
            label: "Session",
            cell: (s) => (
              <span>
                {s.label || <code>{s.id.slice(0, 8)}</code>}
                {s.current && <strong>(current)</strong>}
              </span>
            ),
          },
          { label: "Messages", numeric: true, cell: (s) => s.message_count },
          { label: "Summaries", numeric: true, cell: (s) => s.summaries },
          {
            label: "Export",
            cell: (s) => (
              <span>
                <a href={`${api}/${s.id}/export?format=md`} download>Markdown</a>
                {" · "}
                <a href={`${api}/${s.id}/export?format=json`} download>JSON</a>
              </span>
            ),
          },
          ...(props.operator
            ? [{
              label: "Continue",
              cell: (s: SessionView) =>
                s.current ? <span class="muted">current</span> : (
                  <ActionForm
                    self={self}
                    action="switch_session"
                    session={s.id}
                    label="Continue this one"
                  />
                ),
            }]
            : []),
        ]}
      />
      {props.operator && (
        <p class="actions">
          <ActionForm self={self} action="compact" label="Compact now" />
          <ActionForm self={self} action="new_session" label="New session" />
        </p>
      )}
    </div>
  );
}
