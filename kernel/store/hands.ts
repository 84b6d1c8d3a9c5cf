/**
 * Hand instances, their archived runs, reports, page copies (`page_diff`)
 * and forecasts (`forecast_record`, `forecast_resolve`).
 *
 * @module
 */
import type {
  ForecastView,
  HandInstanceState,
  HandRunView,
  HandSettingValue,
  ReportDelivery,
  ReportSource,
  ReportSummary,
  ReportView,
} from "../types.ts";
import type { Database } from "./database.ts";

/** A stored instance. */
export interface HandInstanceRow {
  id: string;
  name: string;
  hand_id: string;
  agent_id: string;
  state: HandInstanceState;
  settings: Record<string, HandSettingValue>;
  cron: string;
  tz: string;
  model: string | null;
  schedule_id: string | null;
  created_at: string;
  updated_at: string;
}

type RawInstance = Omit<HandInstanceRow, "settings"> & { settings: string };

function instanceOf(raw: RawInstance | undefined): HandInstanceRow | undefined {
  return raw && { ...raw, settings: JSON.parse(raw.settings) };
}

/** Inserts an instance. */
export function insertHandInstance(db: Database, row: HandInstanceRow): void {
  db.prepare(
    `INSERT INTO hand_instances (id, name, hand_id, agent_id, state, settings, cron, tz, model,
                                 schedule_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.id,
    row.name,
    row.hand_id,
    row.agent_id,
    row.state,
    JSON.stringify(row.settings),
    row.cron,
    row.tz,
    row.model,
    row.schedule_id,
    row.created_at,
    row.updated_at,
  );
}

/** Changes an instance's state, settings or schedule. */
export function updateHandInstance(
  db: Database,
  id: string,
  change: {
    state?: HandInstanceState;
    settings?: Record<string, HandSettingValue>;
    scheduleId?: string | null;
    at: string;
  },
): void {
  db.prepare(
    `UPDATE hand_instances SET state = COALESCE(?, state), settings = COALESCE(?, settings),
            schedule_id = CASE WHEN ? THEN ? ELSE schedule_id END, updated_at = ? WHERE id = ?`,
  ).run(
    change.state ?? null,
    change.settings === undefined ? null : JSON.stringify(change.settings),
    change.scheduleId !== undefined ? 1 : 0,
    change.scheduleId ?? null,
    change.at,
    id,
  );
}

/** An instance by id, or by name among those not deactivated (then the newest deactivated). */
export function findHandInstance(db: Database, ref: string): HandInstanceRow | undefined {
  return instanceOf(
    db.prepare(
      `SELECT * FROM hand_instances WHERE id = ? OR name = ?
        ORDER BY (id = ?) DESC, (state <> 'deactivated') DESC, created_at DESC LIMIT 1`,
    ).get(ref, ref, ref) as RawInstance | undefined,
  );
}

/** The instance whose agent is `agentId`. */
export function handInstanceOfAgent(db: Database, agentId: string): HandInstanceRow | undefined {
  return instanceOf(
    db.prepare("SELECT * FROM hand_instances WHERE agent_id = ?").get(agentId) as
      | RawInstance
      | undefined,
  );
}

/** Instances, oldest first. */
export function listHandInstances(
  db: Database,
  filter: { handId?: string; state?: HandInstanceState } = {},
): HandInstanceRow[] {
  return (db.prepare(
    `SELECT * FROM hand_instances WHERE (? IS NULL OR hand_id = ?) AND (? IS NULL OR state = ?)
      ORDER BY created_at, id`,
  ).all(
    filter.handId ?? null,
    filter.handId ?? null,
    filter.state ?? null,
    filter.state ?? null,
  ) as unknown as RawInstance[]).map((r) => instanceOf(r)!);
}

/** Copies a schedule's runs to the instance's archive (before the schedule is deleted). */
export function archiveHandRuns(db: Database, instanceId: string, scheduleId: string): void {
  db.prepare(
    `INSERT OR IGNORE INTO hand_runs (id, instance_id, trigger, outcome, started_at, ended_at,
                                      cost_usd, reason, message)
     SELECT id, ?, trigger, outcome, started_at, ended_at, cost_usd, reason, message
       FROM schedule_runs WHERE schedule_id = ?`,
  ).run(instanceId, scheduleId);
}

/** An instance's runs, newest first: its schedule's, or the archive once deactivated. */
export function handRuns(db: Database, instance: HandInstanceRow, limit: number): HandRunView[] {
  const sql = instance.schedule_id !== null
    ? `SELECT id, trigger, outcome, started_at, ended_at, cost_usd, reason, message
         FROM schedule_runs WHERE schedule_id = ? ORDER BY id DESC LIMIT ?`
    : `SELECT id, trigger, outcome, started_at, ended_at, cost_usd, reason, message
         FROM hand_runs WHERE instance_id = ? ORDER BY id DESC LIMIT ?`;
  return db.prepare(sql).all(
    instance.schedule_id ?? instance.id,
    limit,
  ) as unknown as HandRunView[];
}

/** The run of a scheduled turn, if the turn was one. */
export function runIdOfTurn(db: Database, turnId: string): number | null {
  const row = db.prepare("SELECT id FROM schedule_runs WHERE turn_id = ?").get(turnId) as
    | { id: number }
    | undefined;
  return row?.id ?? null;
}

interface RawReport {
  id: string;
  instance_id: string | null;
  instance_name: string | null;
  hand_id: string | null;
  agent_id: string;
  run_id: number | null;
  turn_id: string;
  title: string;
  body: string;
  sources: string;
  delivery: string | null;
  created_at: string;
}

function reportOf(raw: RawReport): ReportView {
  return {
    ...raw,
    sources: JSON.parse(raw.sources) as ReportSource[],
    delivery: raw.delivery === null ? null : JSON.parse(raw.delivery) as ReportDelivery,
  };
}

const REPORT_SELECT = `SELECT r.*, i.name AS instance_name, i.hand_id AS hand_id
  FROM reports r LEFT JOIN hand_instances i ON i.id = r.instance_id`;

/** Stores a report. */
export function insertReport(
  db: Database,
  row: Omit<ReportView, "instance_name" | "hand_id" | "delivery">,
): void {
  db.prepare(
    `INSERT INTO reports (id, instance_id, agent_id, run_id, turn_id, title, body, sources,
                          created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.id,
    row.instance_id,
    row.agent_id,
    row.run_id,
    row.turn_id,
    row.title,
    row.body,
    JSON.stringify(row.sources),
    row.created_at,
  );
}

/** Records how posting a report to its webhook went. */
export function setReportDelivery(db: Database, id: string, delivery: ReportDelivery): void {
  db.prepare("UPDATE reports SET delivery = ? WHERE id = ?").run(JSON.stringify(delivery), id);
}

/** One report. */
export function getReport(db: Database, id: string): ReportView | undefined {
  const raw = db.prepare(`${REPORT_SELECT} WHERE r.id = ?`).get(id) as RawReport | undefined;
  return raw && reportOf(raw);
}

/** Reports, newest first, optionally of one instance. */
export function listReports(
  db: Database,
  filter: { instanceId?: string; limit: number },
): ReportSummary[] {
  return (db.prepare(
    `${REPORT_SELECT} WHERE (? IS NULL OR r.instance_id = ?)
      ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`,
  ).all(
    filter.instanceId ?? null,
    filter.instanceId ?? null,
    filter.limit,
  ) as unknown as RawReport[])
    .map((raw) => {
      const { body: _body, ...summary } = reportOf(raw);
      return summary;
    });
}

/** How many reports an instance has. */
export function countReports(db: Database, instanceId: string): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM reports WHERE instance_id = ?")
    .get(instanceId) as { n: number }).n;
}

/** The copy of a page an agent last fetched with page_diff. */
export interface PageSnapshot {
  content: string;
  fetched_at: string;
  turn_id: string;
  diff: string | null;
}

/** The agent's stored copy of `url`. */
export function getPageSnapshot(
  db: Database,
  agentId: string,
  url: string,
): PageSnapshot | undefined {
  return db.prepare(
    "SELECT content, fetched_at, turn_id, diff FROM page_snapshots WHERE agent_id = ? AND url = ?",
  ).get(agentId, url) as PageSnapshot | undefined;
}

/** Replaces the agent's copy of `url`, with the diff this fetch found. */
export function putPageSnapshot(
  db: Database,
  row: { agentId: string; url: string } & PageSnapshot,
): void {
  db.prepare(
    `INSERT INTO page_snapshots (agent_id, url, content, fetched_at, turn_id, diff)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (agent_id, url) DO UPDATE SET content = excluded.content,
       fetched_at = excluded.fetched_at, turn_id = excluded.turn_id, diff = excluded.diff`,
  ).run(row.agentId, row.url, row.content, row.fetched_at, row.turn_id, row.diff);
}

/** The diffs page_diff found during one turn, by URL. */
export function turnPageDiffs(
  db: Database,
  agentId: string,
  turnId: string,
): { url: string; diff: string }[] {
  return db.prepare(
    `SELECT url, diff FROM page_snapshots WHERE agent_id = ? AND turn_id = ? AND diff IS NOT NULL
      ORDER BY url`,
  ).all(agentId, turnId) as unknown as { url: string; diff: string }[];
}

interface RawForecast {
  id: string;
  agent_id: string;
  question: string;
  probability: number;
  resolve_by: string;
  recorded_at: string;
  outcome: number | null;
  resolved_at: string | null;
}

function forecastOf(raw: RawForecast): ForecastView {
  return { ...raw, outcome: raw.outcome === null ? null : raw.outcome === 1 };
}

/** Records a forecast. */
export function insertForecast(
  db: Database,
  row: Omit<ForecastView, "outcome" | "resolved_at"> & { rationale: string; turn_id: string },
): void {
  db.prepare(
    `INSERT INTO forecasts (id, agent_id, question, probability, resolve_by, rationale,
                            recorded_at, turn_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.id,
    row.agent_id,
    row.question,
    row.probability,
    row.resolve_by,
    row.rationale,
    row.recorded_at,
    row.turn_id,
  );
}

/** One forecast of an agent. */
export function getForecast(db: Database, agentId: string, id: string): ForecastView | undefined {
  const raw = db.prepare("SELECT * FROM forecasts WHERE agent_id = ? AND id = ?")
    .get(agentId, id) as RawForecast | undefined;
  return raw && forecastOf(raw);
}

/** Resolves one of an agent's forecasts. */
export function resolveForecast(
  db: Database,
  key: { agentId: string; id: string },
  change: { outcome: boolean; source: string | null; at: string },
): void {
  db.prepare(
    "UPDATE forecasts SET outcome = ?, source = ?, resolved_at = ? WHERE agent_id = ? AND id = ?",
  ).run(change.outcome ? 1 : 0, change.source, change.at, key.agentId, key.id);
}

/** An agent's forecasts: open ones due by `dueBy` (or all open ones), or every one. */
export function listForecasts(
  db: Database,
  agentId: string,
  filter: { open?: boolean; dueBy?: string } = {},
): ForecastView[] {
  return (db.prepare(
    `SELECT * FROM forecasts WHERE agent_id = ?
        AND (? = 0 OR outcome IS NULL) AND (? IS NULL OR resolve_by <= ?)
      ORDER BY resolve_by, recorded_at`,
  ).all(
    agentId,
    filter.open ? 1 : 0,
    filter.dueBy ?? null,
    filter.dueBy ?? null,
  ) as unknown as RawForecast[]).map(forecastOf);
}
