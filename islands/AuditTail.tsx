/**
 * The audit entries table, newest first. The audit chain does not publish
 * to the event bus, so when `live` (the newest page), the hydrated island
 * polls `GET /api/audit/recent` with the page's filters every few seconds
 * and prepends entries newer than the newest it has, keeping at most
 * {@link MAX_ROWS}. If a whole poll's worth is new, some may have been
 * missed in between, and it says so (reload shows them).
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import type { AuditEntryView, AuditList } from "../kernel/types.ts";
import { apiJson } from "./lib/api_fetch.ts";
import { formatTs } from "../kernel/format.ts";

/** Rows kept at most. */
const MAX_ROWS = 200;
/** Entries asked for per poll. */
const POLL_LIMIT = 50;
const POLL_MS = 3000;

/** Props: the page's entries, the filters, agent names, and whether to tail. */
export interface AuditTailProps {
  entries: AuditEntryView[];
  filter: { agent_id?: string; action?: string };
  agents: Record<string, string>;
  live: boolean;
}

/** `key=value` pairs, long values cut, for a one-glance summary of a detail. */
function compact(detail: Record<string, unknown>): string {
  return Object.entries(detail).map(([key, value]) => {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return `${key}=${text.length > 24 ? `${text.slice(0, 23)}…` : text}`;
  }).join(" ");
}

function Detail(props: { detail: Record<string, unknown> }): JSX.Element {
  const text = compact(props.detail);
  const full = JSON.stringify(props.detail);
  if (text === full || full.length <= 60) return <code class="audit-detail">{full}</code>;
  return (
    <details class="audit-more">
      <summary>
        <code class="audit-detail">{text.length > 140 ? `${text.slice(0, 139)}…` : text}</code>
      </summary>
      <pre class="audit-pre">{JSON.stringify(props.detail, null, 2)}</pre>
    </details>
  );
}

/** A table of audit entries; new ones appear at the top when live. */
export default function AuditTail(props: AuditTailProps): JSX.Element {
  const entries = useSignal<AuditEntryView[]>(props.entries);
  const fresh = useSignal<Set<number>>(new Set());
  const note = useSignal(props.live ? "Newest entries first." : "");

  useEffect(() => {
    if (!props.live) return;
    note.value = "Live: new entries appear at the top.";
    const query = new URLSearchParams({ limit: String(POLL_LIMIT) });
    if (props.filter.agent_id) query.set("agent_id", props.filter.agent_id);
    if (props.filter.action) query.set("action", props.filter.action);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const page = await apiJson<AuditList>("GET", `/api/audit/recent?${query}`);
        const newest = entries.value[0]?.id ?? 0;
        const added = (page?.entries ?? []).filter((e) => e.id > newest);
        if (added.length > 0) {
          entries.value = [...added, ...entries.value].slice(0, MAX_ROWS);
          fresh.value = new Set(added.map((e) => e.id));
          note.value = added.length === POLL_LIMIT && newest > 0
            ? "Many new entries arrived at once; some may be skipped here. Reload to see all."
            : `Live: ${added.length} new ${added.length === 1 ? "entry" : "entries"}.`;
        }
      } catch {
        note.value = "Live updates paused: Talon did not answer; retrying.";
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  return (
    <div class="audit-tail">
      {note.value && <p class="muted feed-status" role="status">{note.value}</p>}
      {entries.value.length === 0
        ? (
          <div class="state state-empty">
            <p class="state-title">No audit entries</p>
            <p class="muted">Nothing matches these filters yet.</p>
          </div>
        )
        : (
          <div class="table-wrap">
            <table class="table audit-table">
              <caption class="visually-hidden">Audit entries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col" class="num">#</th>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Action</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Detail</th>
                  <th scope="col">Hash</th>
                </tr>
              </thead>
              <tbody>
                {entries.value.map((e) => (
                  <tr key={e.id} class={fresh.value.has(e.id) ? "row-fresh" : undefined}>
                    <td class="num">{e.id}</td>
                    <td class="nowrap">
                      <time datetime={e.ts}>{formatTs(e.ts)}</time>
                    </td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td class="mono">{e.actor}</td>
                    <td>
                      {e.agent_id
                        ? (
                          <a href={`/agents/${encodeURIComponent(e.agent_id)}`}>
                            {props.agents[e.agent_id] ?? e.agent_id.slice(0, 8)}
                          </a>
                        )
                        : <span class="muted">—</span>}
                    </td>
                    <td class="audit-detail-cell">
                      <Detail detail={e.detail} />
                    </td>
                    <td>
                      <code title={e.hash}>{e.hash.slice(0, 8)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </div>
  );
}
