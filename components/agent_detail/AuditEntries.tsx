/** An agent's audit entries, newest first, with a link to older ones. */
import type { JSX } from "preact";
import { formatTs } from "../../kernel/format.ts";
import type { AuditList } from "../../kernel/types.ts";
import { EmptyState } from "../EmptyState.tsx";
import { Table } from "../Table.tsx";

function brief(detail: Record<string, unknown>): string {
  const text = JSON.stringify(detail);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** The entries of `list` as a table; `olderHref` pages back. */
export function AuditEntries(
  props: { list: AuditList; olderHref: (before: number) => string; newerHref?: string },
): JSX.Element {
  const { list } = props;
  return (
    <div class="audit-entries">
      <Table
        caption="Audit entries of this agent, newest first"
        rows={list.entries}
        rowKey={(e) => String(e.id)}
        empty={<EmptyState title="No audit entries yet" />}
        columns={[
          { label: "#", numeric: true, cell: (e) => e.id },
          {
            label: "Time",
            cell: (e) => <time datetime={e.ts}>{formatTs(e.ts)}</time>,
          },
          { label: "Action", cell: (e) => <code>{e.action}</code> },
          { label: "Actor", cell: (e) => e.actor },
          { label: "Detail", cell: (e) => <code class="audit-detail">{brief(e.detail)}</code> },
        ]}
      />
      {(list.next_before !== null || props.newerHref) && (
        <p class="actions pager">
          {props.newerHref && <a class="btn btn-small" href={props.newerHref}>Newest entries</a>}
          {list.next_before !== null && (
            <a class="btn btn-small" href={props.olderHref(list.next_before)}>Older entries</a>
          )}
        </p>
      )}
    </div>
  );
}
