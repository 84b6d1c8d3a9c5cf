/**
 * How `talon schedule …` prints schedules and their runs: tables for
 * listings, `key: value` lines for one schedule. Times are UTC.
 *
 * @module
 */
import { formatTs, formatUsd } from "../../kernel/format.ts";
import type { ScheduleRunList, ScheduleView } from "../../kernel/types.ts";
import { table } from "../format.ts";

/** When a schedule fires, in words: `cron 0 9 * * 1-5 (Europe/Berlin)`, `every 5m`, `at …`. */
export function whenOf(s: ScheduleView): string {
  return s.kind === "cron" ? `cron ${s.expr} (${s.tz})` : `${s.kind} ${s.expr}`;
}

function utc(ts: string | null): string {
  return ts === null ? "-" : `${formatTs(ts)} UTC`;
}

/** Schedules as a table. */
export function renderSchedules(schedules: ScheduleView[]): string {
  if (schedules.length === 0) {
    return 'No schedules. Add one: talon schedule add <agent> --every 1h --message "…"\n';
  }
  return table(
    ["ID", "AGENT", "WHEN", "ENABLED", "NEXT RUN (UTC)", "LAST", "OWNER"],
    schedules.map((s) => [
      s.id,
      s.agent_name,
      whenOf(s),
      s.enabled ? "yes" : "no",
      s.next_run_at === null ? "-" : formatTs(s.next_run_at),
      s.last_run?.outcome ?? "-",
      s.owner,
    ]),
  );
}

/** One schedule as `key: value` lines. */
export function describeSchedule(s: ScheduleView): string {
  const last = s.last_run;
  const lines: [string, string][] = [
    ["id", s.id],
    ["agent", `${s.agent_name} (${s.agent_id})`],
    ["owner", s.owner],
    ["when", whenOf(s)],
    ["message", s.message],
    ["enabled", s.enabled ? "yes" : "no"],
    ["next run", utc(s.next_run_at)],
    [
      "last run",
      last
        ? `${last.outcome}${last.reason ? ` (${last.reason})` : ""}, due ${utc(last.due_at)}`
        : "-",
    ],
    ["catch up", s.catch_up],
    ["overlap", s.overlap],
    ["max runtime", s.max_runtime],
    ["created by", s.created_by],
    ["created", utc(s.created_at)],
    ["updated", utc(s.updated_at)],
  ];
  return lines.map(([k, v]) => `${(k + ":").padEnd(13)}${v}`).join("\n") + "\n";
}

/** A page of runs as a table, with how to read the next page. */
export function renderRuns(id: string, page: ScheduleRunList): string {
  if (page.runs.length === 0) return "No runs yet.\n";
  const rows = page.runs.map((r) => [
    String(r.id),
    r.trigger,
    formatTs(r.due_at),
    formatTs(r.started_at),
    formatTs(r.ended_at),
    r.outcome,
    formatUsd(r.cost_usd),
    [r.reason, r.message].filter(Boolean).join(": ") || "-",
  ]);
  const text = table(
    ["RUN", "TRIGGER", "DUE (UTC)", "STARTED", "ENDED", "OUTCOME", "COST", "REASON"],
    rows,
  );
  return page.next_before === null
    ? text
    : `${text}Older runs: talon schedule runs ${id} --before ${page.next_before}\n`;
}
