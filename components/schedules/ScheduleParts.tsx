/**
 * Pieces of the Schedules pages: a run outcome badge, the timing in words,
 * the next fire time (the schedule's zone and UTC), the enable toggle and
 * run-now buttons (plain POST forms to `/schedules/{id}`, operators only) and
 * a schedule's run history.
 *
 * @module
 */
import type { JSX } from "preact";
import { formatTs, formatUsd } from "../../kernel/format.ts";
import type { RunOutcome, ScheduleRunView, ScheduleView } from "../../kernel/types.ts";
import { zonedAndUtc } from "../../islands/lib/schedule_format.ts";
import { EmptyState } from "../EmptyState.tsx";
import { Table } from "../Table.tsx";

const OUTCOME_TONE: Record<RunOutcome, string> = {
  queued: "info",
  running: "info",
  ok: "ok",
  failed: "bad",
  timeout: "bad",
  skipped: "warn",
  missed: "warn",
  interrupted: "warn",
};

/** A run outcome in a badge (its name is the text; colour is never the only signal). */
export function OutcomeBadge(props: { outcome: RunOutcome }): JSX.Element {
  return <span class={`badge badge-${OUTCOME_TONE[props.outcome]}`}>{props.outcome}</span>;
}

/** How the schedule fires, e.g. `cron 0 9 * * 1-5 (Europe/Berlin)` or `every 5m`. */
export function Timing(props: { schedule: ScheduleView }): JSX.Element {
  const s = props.schedule;
  if (s.kind === "cron") {
    return (
      <span>
        cron <code>{s.expr}</code>
        {s.tz !== "UTC" && <span class="muted">{` (${s.tz})`}</span>}
      </span>
    );
  }
  if (s.kind === "every") {
    return (
      <span>
        every <code>{s.expr}</code>
      </span>
    );
  }
  return (
    <span>
      once at <time datetime={s.expr}>{formatTs(s.expr, { seconds: false, utc: true })}</time>
    </span>
  );
}

/** The next fire time in the schedule's zone and in UTC, or why there is none. */
export function NextRun(props: { schedule: ScheduleView }): JSX.Element {
  const s = props.schedule;
  if (s.next_run_at === null) {
    return <span class="muted">{s.enabled ? "none (fired)" : "off"}</span>;
  }
  return <time datetime={s.next_run_at}>{zonedAndUtc(s.next_run_at, s.tz)}</time>;
}

/** The last run's outcome with its reason, or `never`. */
export function LastRun(props: { schedule: ScheduleView }): JSX.Element {
  const run = props.schedule.last_run;
  if (!run) return <span class="muted">never</span>;
  return (
    <span title={run.message ?? undefined}>
      <OutcomeBadge outcome={run.outcome} /> {run.reason && <code>{run.reason}</code>}
    </span>
  );
}

/**
 * Enable/disable and run-now as plain forms posting to the schedule's page;
 * `back` is where the page sends the browser afterwards.
 */
export function ScheduleActions(
  props: { schedule: ScheduleView; back: string },
): JSX.Element {
  const s = props.schedule;
  const action = `/schedules/${encodeURIComponent(s.id)}`;
  const which = `${s.agent_name} ${s.id.slice(0, 8)}`;
  return (
    <div class="row-actions">
      <form method="post" action={action}>
        <input type="hidden" name="back" value={props.back} />
        <button
          type="submit"
          name="action"
          value={s.enabled ? "disable" : "enable"}
          class="btn btn-small btn-secondary"
          role="switch"
          aria-checked={s.enabled ? "true" : "false"}
        >
          <span class="visually-hidden">Enabled ({which}):</span> {s.enabled ? "On" : "Off"}
        </button>
      </form>
      <form method="post" action={action}>
        <input type="hidden" name="back" value={props.back} />
        <button
          type="submit"
          name="action"
          value="run"
          class="btn btn-small btn-secondary"
        >
          Run now<span class="visually-hidden">({which})</span>
        </button>
      </form>
    </div>
  );
}

/** A schedule's runs, newest first. */
export function RunTable(props: { runs: ScheduleRunView[] }): JSX.Element {
  return (
    <Table
      caption="Runs, newest first"
      rows={props.runs}
      rowKey={(run) => String(run.id)}
      empty={<EmptyState title="No runs yet" message="Runs appear here each time it fires." />}
      columns={[
        {
          label: "Due",
          cell: (run) => <time datetime={run.due_at}>{formatTs(run.due_at, { utc: true })}</time>,
        },
        { label: "Trigger", cell: (run) => run.trigger.replace("_", "-") },
        { label: "Outcome", cell: (run) => <OutcomeBadge outcome={run.outcome} /> },
        {
          label: "Detail",
          cell: (run) => (
            <span>
              {run.reason && <code>{run.reason}</code>} {run.message}
            </span>
          ),
        },
        {
          label: "Turn",
          cell: (run) =>
            run.turn_id
              ? (
                <a href={`/agents/${encodeURIComponent(run.agent_id)}#chat`}>
                  <code>{run.turn_id.slice(0, 8)}</code>
                </a>
              )
              : <span class="muted">—</span>,
        },
        { label: "Cost", numeric: true, cell: (run) => formatUsd(run.cost_usd) },
      ]}
    />
  );
}
