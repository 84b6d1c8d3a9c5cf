/**
 * The agent page's Memory tab: search (hybrid over facts, key-value entries
 * too), facts (operators add and forget), the key-value store (operators set
 * and delete), the knowledge graph as SVG, the agent's sessions and its tool
 * history.
 * Plain forms: it works without JavaScript.
 */
import type { JSX } from "preact";
import { EmptyState } from "../EmptyState.tsx";
import { Table } from "../Table.tsx";
import { formatTs } from "../../kernel/format.ts";
import type {
  FactView,
  GraphView,
  KvEntry,
  MemorySearchResult,
  MemoryStats,
  SessionView,
  ToolHistory,
} from "../../kernel/types.ts";
import { GraphSvg } from "./GraphSvg.tsx";
import { SessionsPanel } from "./SessionsPanel.tsx";

/** Everything the tab shows. */
export interface MemoryTabProps {
  self: string;
  agentId: string;
  operator: boolean;
  query: string;
  search?: MemorySearchResult;
  facts: FactView[];
  kv: KvEntry[];
  graph: GraphView;
  sessions: SessionView[];
  tools: ToolHistory;
  stats: MemoryStats;
  notice?: string;
}

function ActionForm(
  props: { self: string; action: string; fields: Record<string, string>; label: string },
): JSX.Element {
  return (
    <form method="post" action={props.self} class="inline-form">
      <input type="hidden" name="action" value={props.action} />
      {Object.entries(props.fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" class="btn btn-small">{props.label}</button>
    </form>
  );
}

/** The Memory tab. */
export function MemoryTab(props: MemoryTabProps): JSX.Element {
  const { self, operator, stats } = props;
  const mode = stats.embedding === null
    ? "Recall is BM25 only: no [memory] embedding model is configured."
    : `Recall is hybrid: BM25 and vectors from ${stats.embedding}.`;
  return (
    <div class="memory-tab">
      {props.notice && <p class="form-error" role="alert">{props.notice}</p>}
      <section class="panel" aria-labelledby="memory-search-title">
        <h2 id="memory-search-title">Search</h2>
        <p class="muted">{mode}</p>
        <form method="get" action={self} class="inline-form" role="search">
          <label for="memory-q">Search memory</label>
          <input id="memory-q" name="q" type="search" value={props.query} maxLength={500} />
          <button type="submit" class="btn btn-small">Search</button>
        </form>
        {props.search && (
          props.search.hits.length === 0 ? <p>Nothing found.</p> : (
            <ol class="memory-hits">
              {props.search.hits.map((h) =>
                h.kind === "fact"
                  ? (
                    <li key={`f${h.fact.id}`}>
                      <span class="muted">fact {h.fact.id} · {h.via.join(" + ")}</span>{" "}
                      {h.fact.text}
                    </li>
                  )
                  : (
                    <li key={`k${h.entry.key}`}>
                      <span class="muted">key {h.entry.key}</span> {h.entry.text}
                    </li>
                  )
              )}
            </ol>
          )
        )}
      </section>
      <section class="panel" aria-labelledby="memory-facts-title">
        <h2 id="memory-facts-title">Facts</h2>
        {operator && (
          <form method="post" action={self} class="inline-form">
            <input type="hidden" name="action" value="remember" />
            <label for="fact-text">New fact</label>
            <input id="fact-text" name="text" required maxLength={10_000} />
            <button type="submit" class="btn btn-small">Remember</button>
          </form>
        )}
        <Table
          caption="Facts"
          rows={props.facts}
          rowKey={(f) => String(f.id)}
          empty={<EmptyState title="No facts yet" />}
          columns={[
            { label: "Id", cell: (f) => f.id, numeric: true },
            { label: "Fact", cell: (f) => f.text },
            { label: "Scope", cell: (f) => f.scope },
            { label: "Confidence", cell: (f) => f.confidence.toFixed(2), numeric: true },
            { label: "Last used", cell: (f) => formatTs(f.accessed_at) },
            ...(operator
              ? [{
                label: "Forget",
                cell: (f: FactView) => (
                  <ActionForm
                    self={self}
                    action="forget"
                    fields={{ id: String(f.id) }}
                    label="Forget"
                  />
                ),
              }]
              : []),
          ]}
        />
      </section>
      <section class="panel" aria-labelledby="memory-kv-title">
        <h2 id="memory-kv-title">Key-value store</h2>
        {operator && (
          <form method="post" action={self} class="inline-form">
            <input type="hidden" name="action" value="kv_set" />
            <label for="kv-key">Key</label>
            <input id="kv-key" name="key" required maxLength={200} />
            <label for="kv-text">Text</label>
            <input id="kv-text" name="text" required />
            <button type="submit" class="btn btn-small">Store</button>
          </form>
        )}
        <Table
          caption="Key-value entries"
          rows={props.kv}
          rowKey={(e) => e.key}
          empty={<EmptyState title="No key-value entries" />}
          columns={[
            { label: "Key", cell: (e) => e.key },
            { label: "Text", cell: (e) => e.text },
            { label: "Updated", cell: (e) => formatTs(e.updated_at) },
            ...(operator
              ? [{
                label: "Delete",
                cell: (e: KvEntry) => (
                  <ActionForm
                    self={self}
                    action="kv_delete"
                    fields={{ key: e.key }}
                    label="Delete"
                  />
                ),
              }]
              : []),
          ]}
        />
      </section>
      <section class="panel" aria-labelledby="memory-graph-title">
        <h2 id="memory-graph-title">Knowledge graph</h2>
        {props.graph.entities.length === 0
          ? <EmptyState title="No entities yet" message="Agents add them with knowledge_add." />
          : <GraphSvg graph={props.graph} />}
      </section>
      <SessionsPanel
        self={self}
        agentId={props.agentId}
        operator={operator}
        sessions={props.sessions}
      />
      <section class="panel" aria-labelledby="memory-tools-title">
        <h2 id="memory-tools-title">Tool history</h2>
        <p class="muted">
          {props.tools.llm_calls} model calls over the same period.
        </p>
        <Table
          caption="Tools used"
          rows={props.tools.tools}
          rowKey={(t) => t.tool}
          empty={<EmptyState title="No tool calls yet" />}
          columns={[
            { label: "Tool", cell: (t) => t.tool },
            { label: "Calls", cell: (t) => t.calls, numeric: true },
            { label: "Failures", cell: (t) => t.failures, numeric: true },
            {
              label: "Avg ms",
              cell: (t) => t.avg_duration_ms ?? "-",
              numeric: true,
            },
            { label: "Last error", cell: (t) => t.last_error ?? "-" },
          ]}
        />
      </section>
    </div>
  );
}
