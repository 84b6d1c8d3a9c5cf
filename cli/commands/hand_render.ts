/**
 * How `talon hand …` and `talon report …` print: tables for listings,
 * `key: value` lines for one Hand, instance or report, and each unmet
 * requirement with its fix. Times are UTC.
 *
 * @module
 */
import { formatTs, formatUsd } from "../../kernel/format.ts";
import type {
  HandDetail,
  HandInstanceView,
  HandSetting,
  HandView,
  ReportSummary,
  ReportView,
  RequirementStatus,
} from "../../kernel/types.ts";
import { table } from "../format.ts";

function utc(ts: string | null): string {
  return ts === null ? "-" : `${formatTs(ts)} UTC`;
}

function lines(pairs: [string, string][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length)) + 2;
  return pairs.map(([k, v]) => `${(k + ":").padEnd(width)}${v}`).join("\n") + "\n";
}

/** What a requirement is, in words: `bin ffmpeg`, `env SEARCH_API_KEY`, `permission run (/usr/bin/chromium)`. */
function what(r: RequirementStatus): string {
  return `${r.label} (${r.kind} ${r.name}${r.value ? ` ${r.value}` : ""})`;
}

/** One requirement on a line, and its fix on the next when it is not met. */
export function renderRequirement(r: RequirementStatus): string {
  return r.met
    ? `  ok       ${what(r)}: ${r.detail}\n`
    : `  MISSING  ${what(r)}: ${r.detail}\n           fix: ${r.fix}\n`;
}

/** The catalog as a table, then what each Hand that is not ready still needs here. */
export function renderHands(hands: HandView[]): string {
  const rows = hands.map((h) => [
    h.manifest.id,
    h.manifest.name,
    h.manifest.category,
    h.ready ? "yes" : `no (${h.requirements.filter((r) => !r.met).length} missing)`,
    h.instances.join(", ") || "-",
  ]);
  let text = table(["ID", "NAME", "CATEGORY", "READY", "INSTANCES"], rows);
  for (const h of hands.filter((h) => !h.ready)) {
    text += `\n${h.manifest.id} still needs, on this machine:\n`;
    text += h.requirements.filter((r) => !r.met).map(renderRequirement).join("");
  }
  return text;
}

function settingLine(s: HandSetting): string {
  const type = s.type === "select" ? `one of ${s.options!.join("|")}` : s.type;
  const extra = s.required
    ? "required"
    : s.default === undefined || s.default === ""
    ? "optional"
    : `default ${JSON.stringify(s.default)}`;
  return `  ${s.key} (${type}; ${extra}): ${s.label}${s.help ? ` — ${s.help}` : ""}`;
}

/** One Hand: what it is, does, needs and runs with; then its operating procedure. */
export function describeHand(h: HandDetail): string {
  const m = h.manifest;
  const budget = [
    m.budget.usd_per_run === undefined ? "" : `${formatUsd(m.budget.usd_per_run)} per run`,
    m.budget.usd_per_day === undefined ? "" : `${formatUsd(m.budget.usd_per_day)} per day`,
  ].filter(Boolean).join(", ");
  let text = lines([
    ["hand", `${m.icon} ${m.name} (${m.id} ${m.version})`],
    ["category", m.category],
    ["does", m.description],
    ["tools", m.tools.join(", ") || "-"],
    ["capabilities", m.agent.capabilities.join(", ") || "-"],
    ["approval", m.approval.tools.join(", ") || "-"],
    ["schedule", `cron ${m.schedule.cron} (${m.schedule.tz})`],
    ["max runtime", m.schedule.max_runtime ?? "the schedule default"],
    ["model", m.agent.model ?? "the configured default"],
    ["budget", budget || "-"],
    ["ready", h.ready ? "yes" : "no"],
    ["instances", h.instances.join(", ") || "-"],
  ]);
  text += `\nSettings (talon hand activate ${m.id} --set key=value):\n`;
  text += m.settings.map(settingLine).join("\n") || "  (none)";
  text += "\n\nRequirements:\n";
  text += h.requirements.map(renderRequirement).join("") || "  (none)\n";
  return `${text}\nOperating procedure:\n\n${h.sop.trim()}\n`;
}

function lastRun(i: HandInstanceView): string {
  const run = i.last_runs[0];
  return run
    ? `${run.outcome} ${formatTs(run.started_at ?? run.ended_at, { seconds: false })}`
    : "-";
}

/** Cost of the runs an instance view shows. */
function runsCost(i: HandInstanceView): number {
  return i.last_runs.reduce((sum, r) => sum + r.cost_usd, 0);
}

/** Instances as a table. */
export function renderInstances(instances: HandInstanceView[]): string {
  if (instances.length === 0) {
    return "No Hand instances. Activate one: talon hand activate <id> --set key=value\n";
  }
  return table(
    ["NAME", "HAND", "STATE", "NEXT RUN (UTC)", "LAST RUN", "COST (RECENT)", "REPORTS"],
    instances.map((i) => [
      i.name,
      i.hand_id,
      i.state,
      i.next_run_at === null ? "-" : formatTs(i.next_run_at, { seconds: false }),
      lastRun(i),
      formatUsd(runsCost(i)),
      String(i.reports),
    ]),
  );
}

/** One instance after a lifecycle change: its state and next run. */
export function instanceLine(verb: string, i: HandInstanceView): string {
  const next = i.state === "active" && i.next_run_at ? `; next run ${utc(i.next_run_at)}` : "";
  return `${verb} Hand instance ${i.name} (${i.hand_id}): ${i.state}${next}.\n`;
}

/** Reports as a table. */
export function renderReports(reports: ReportSummary[]): string {
  if (reports.length === 0) return "No reports yet.\n";
  return table(
    ["ID", "CREATED (UTC)", "INSTANCE", "TITLE", "SOURCES"],
    reports.map((r) => [
      r.id,
      formatTs(r.created_at, { seconds: false }),
      r.instance_name ?? "-",
      r.title.length > 60 ? `${r.title.slice(0, 59)}…` : r.title,
      String(r.sources.length),
    ]),
  );
}

/** One report: its header lines, sources, webhook delivery, then the markdown body. */
export function describeReport(r: ReportView): string {
  const delivery = r.delivery
    ? `${r.delivery.ok ? "delivered" : "failed"} to ${r.delivery.url}${
      r.delivery.status === null ? "" : ` (${r.delivery.status})`
    }${r.delivery.error ? `: ${r.delivery.error}` : ""}`
    : "-";
  let text = lines([
    ["report", r.id],
    ["title", r.title],
    ["instance", r.instance_name ? `${r.instance_name} (${r.hand_id})` : "-"],
    ["run", r.run_id === null ? "-" : String(r.run_id)],
    ["created", utc(r.created_at)],
    ["webhook", delivery],
  ]);
  if (r.sources.length > 0) {
    text += "\nSources:\n" +
      r.sources.map((s, n) => `  [${n + 1}] ${s.url}${s.title ? ` — ${s.title}` : ""}\n`).join("");
  }
  return printable(`${text}\n${r.body.trimEnd()}\n`);
}

/** `text` without terminal control sequences (a report is model output): C0/C1 controls but tab and newline dropped. */
function printable(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}
