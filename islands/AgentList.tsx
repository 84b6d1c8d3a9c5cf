/**
 * The `/agents` table with its filter. Without JavaScript the filter is a
 * GET form (`?q=&state=`) and paging is links (`?before=`). Hydrated, it
 * filters as you type: it reads `GET /api/agents` (same query) and
 * `GET /api/budget` (spend), redraws the rows and keeps the URL in step.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedEvent } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { formatTs, formatUsd } from "../kernel/format.ts";
import type { AgentBudgetView, AgentView } from "../kernel/types.ts";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";
import {
  AGENT_PAGE_SIZE,
  type AgentListFilter,
  agentListSearch,
  type AgentRow,
  agentRowOf,
} from "./lib/agent_rows.ts";
import { stateBadgeClass } from "./lib/state_tone.ts";

/** Props: the first page as the server read it. */
export interface AgentListProps {
  rows: AgentRow[];
  filter: AgentListFilter;
  /** Cursor of the next page, when there is one. */
  next: string | null;
  states: string[];
  /** The viewer may spawn (the empty state points at the form). */
  canSpawn: boolean;
}

const TYPING_DELAY_MS = 200;

function Spend(props: { row: AgentRow }): JSX.Element {
  const { spend_usd, cap_usd } = props.row;
  if (spend_usd === null) return <span class="muted">—</span>;
  return (
    <span>
      {formatUsd(spend_usd)}
      {cap_usd !== null && <span class="muted">{` / ${formatUsd(cap_usd)}`}</span>}
    </span>
  );
}

function Rows(props: { rows: AgentRow[] }): JSX.Element {
  return (
    <div class="table-wrap">
      <table class="table agents-table">
        <caption class="visually-hidden">Agents</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Description</th>
            <th scope="col">State</th>
            <th scope="col">Model</th>
            <th scope="col" class="num">Spend (24 h)</th>
            <th scope="col">Last activity</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.id}>
              <td data-label="Name" class="agents-name">
                <a href={`/agents/${encodeURIComponent(row.id)}`}>{row.name}</a>
              </td>
              <td data-label="Description" class="agents-description">
                {row.description || <span class="muted">—</span>}
              </td>
              <td data-label="State">
                <span class={stateBadgeClass(row.state)}>{row.state}</span>
              </td>
              <td data-label="Model" class="agents-model">
                <span class="mono">{`${row.provider}/${row.model}`}</span>
              </td>
              <td data-label="Spend (24 h)" class="num">
                <Spend row={row} />
              </td>
              <td data-label="Last activity">
                {row.last_active_at
                  ? (
                    <time dateTime={row.last_active_at} title={row.last_active_at}>
                      {formatTs(row.last_active_at, { seconds: false, utc: true })}
                    </time>
                  )
                  : <span class="muted">never</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Empty(props: { filtered: boolean; canSpawn: boolean }): JSX.Element {
  if (props.filtered) {
    return (
      <div class="state state-empty">
        <p class="state-title">No agents match</p>
        <p class="muted">Try another search or state.</p>
        <div class="actions">
          <a class="btn btn-secondary" href="/agents">Clear filters</a>
        </div>
      </div>
    );
  }
  return (
    <div class="state state-empty">
      <p class="state-title">No agents yet</p>
      <p class="muted">
        {props.canSpawn
          ? "Spawn one with the form below, or"
          : "An operator can spawn one here, or"}
        {" from the command line: "}
        <code>talon agent spawn --name my-agent</code>
        {" or "}
        <code>talon agent spawn agent.toml</code>.
      </p>
      {props.canSpawn && (
        <div class="actions">
          <a class="btn btn-primary" href="#spawn">Spawn an agent</a>
        </div>
      )}
    </div>
  );
}

/** Filter form, table (or empty/error state) and pager. */
export default function AgentList(props: AgentListProps): JSX.Element {
  const filter = useSignal<AgentListFilter>(props.filter);
  const rows = useSignal<AgentRow[]>(props.rows);
  const next = useSignal<string | null>(props.next);
  const error = useSignal("");
  const busy = useSignal(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const sequence = useRef(0);

  useEffect(() => () => clearTimeout(timer.current), []);

  async function load(wanted: AgentListFilter): Promise<void> {
    const mine = ++sequence.current;
    busy.value = true;
    const fetchLimit = Math.min(wanted.limit + 1, 500);
    try {
      const [list, budget] = await Promise.all([
        apiJson<{ agents: AgentView[] }>(
          "GET",
          `/api/agents${agentListSearch({ ...wanted, limit: fetchLimit })}`,
        ),
        apiJson<{ agents: AgentBudgetView[] }>("GET", "/api/budget"),
      ]);
      if (mine !== sequence.current) return;
      const agents = list?.agents ?? [];
      const budgets = new Map((budget?.agents ?? []).map((b) => [b.agent_id, b]));
      const more = agents.length > wanted.limit || agents.length === 500;
      const page = agents.slice(0, wanted.limit);
      rows.value = page.map((a) => agentRowOf(a, budgets.get(a.id)));
      next.value = more && page.length > 0 ? page[page.length - 1]!.id : null;
      error.value = "";
      history.replaceState(null, "", `/agents${agentListSearch(wanted)}`);
    } catch (cause) {
      if (mine !== sequence.current) return;
      error.value = cause instanceof ApiCallError ? cause.message : String(cause);
    } finally {
      if (mine === sequence.current) busy.value = false;
    }
  }

  function change(patch: Partial<AgentListFilter>, delay: number): void {
    filter.value = { ...filter.value, ...patch, before: "" };
    clearTimeout(timer.current);
    const wanted = filter.value;
    timer.current = setTimeout(() => void load(wanted), delay);
  }

  function onSubmit(event: TargetedEvent<HTMLFormElement, SubmitEvent>): void {
    event.preventDefault();
    change({}, 0);
  }

  const f = filter.value;
  const filtered = f.q !== "" || f.state !== "";
  const count = rows.value.length;
  return (
    <div class="agents-list">
      <form
        method="get"
        action="/agents"
        role="search"
        aria-label="Filter agents"
        class="agents-filter"
        onSubmit={onSubmit}
      >
        <div class="field agents-search">
          <label for="agents-q">Search</label>
          <input
            id="agents-q"
            name="q"
            type="search"
            value={f.q}
            placeholder="Name or description"
            autocomplete="off"
            onInput={(e) => change({ q: e.currentTarget.value }, TYPING_DELAY_MS)}
          />
        </div>
        <div class="field">
          <label for="agents-state">State</label>
          <select
            id="agents-state"
            name="state"
            onChange={(e) => change({ state: e.currentTarget.value }, 0)}
          >
            <option value="" selected={f.state === ""}>All states</option>
            {props.states.map((s) => <option key={s} value={s} selected={f.state === s}>{s}
            </option>)}
          </select>
        </div>
        {f.limit !== AGENT_PAGE_SIZE && (
          <input
            type="hidden"
            name="limit"
            value={String(f.limit)}
          />
        )}
        <div class="agents-filter-actions">
          <button type="submit" class="btn btn-secondary">Filter</button>
          {filtered && <a class="btn btn-quiet" href="/agents">Clear</a>}
        </div>
      </form>
      <p class="muted agents-count" aria-live="polite" aria-busy={busy.value}>
        {busy.value
          ? "Searching…"
          : count === 0
          ? ""
          : `${count}${next.value ? "+" : ""} agent${count === 1 ? "" : "s"}${
            filtered ? (count === 1 ? " matches" : " match") : ""
          }`}
      </p>
      {error.value
        ? (
          <div class="state state-error" role="alert">
            <p class="state-title">Could not load agents</p>
            <p>{error.value}</p>
          </div>
        )
        : count === 0
        ? <Empty filtered={filtered || f.before !== ""} canSpawn={props.canSpawn} />
        : <Rows rows={rows.value} />}
      {(next.value || f.before !== "") && (
        <nav class="agents-pager" aria-label="Pages">
          {f.before !== "" && (
            <a
              class="btn btn-secondary btn-small"
              href={`/agents${agentListSearch({ ...f, before: "" })}`}
            >
              First page
            </a>
          )}
          {next.value && (
            <a
              class="btn btn-secondary btn-small"
              href={`/agents${agentListSearch({ ...f, before: next.value })}`}
            >
              Next page
            </a>
          )}
        </nav>
      )}
    </div>
  );
}
