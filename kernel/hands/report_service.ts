/**
 * `kernel.reports`: the reports Hand runs stored with `report_write`.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import * as store from "../store/mod.ts";
import {
  describeIssues,
  issueFields,
  ReportListQuery,
  type ReportSummary,
  type ReportView,
} from "../types.ts";

/** Reads reports. */
export class ReportService {
  readonly #db: store.Database;

  constructor(db: store.Database) {
    this.#db = db;
  }

  /** Reports, newest first, optionally of one instance (id or name). */
  list(query: unknown = {}): ReportSummary[] {
    const parsed = ReportListQuery.safeParse(query);
    if (!parsed.success) {
      throw new TalonError("invalid_input", describeIssues(parsed.error), {
        fields: issueFields(parsed.error),
      });
    }
    const q = parsed.data;
    let instanceId: string | undefined;
    if (q.instance !== undefined) {
      const instance = store.findHandInstance(this.#db, q.instance);
      if (!instance) {
        throw new TalonError("not_found", `no Hand instance "${q.instance}"`, {
          fields: { instance: "unknown instance" },
        });
      }
      instanceId = instance.id;
    }
    return store.listReports(this.#db, { instanceId, limit: q.limit });
  }

  /** One report with its body; `not_found` otherwise. */
  get(id: string): ReportView {
    const report = store.getReport(this.#db, id);
    if (!report) {
      throw new TalonError("not_found", `no report "${id}"; list them with \`talon report list\``);
    }
    return report;
  }
}
