/**
 * What follows a change to a schedule row: its audit entry (written inside
 * the change's transaction), then, once committed, the `schedule.*` event and
 * re-arming the firing timer.
 *
 * @module
 */
import type { EventBus } from "../events/mod.ts";
import type { AuditChain } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import type { StoredSpec } from "./schedule_spec.ts";
import type { ScheduleRunner } from "./schedule_runner.ts";

/** Audit actions of changes to schedule rows. */
export type ScheduleChange = "schedule.created" | "schedule.updated" | "schedule.deleted";

/** Audits and announces changes to schedule rows. */
export class ScheduleNotices {
  readonly #deps: { db: store.Database; bus: EventBus; audit: Pick<AuditChain, "append"> };
  readonly #runner: Pick<ScheduleRunner, "arm" | "forget">;

  constructor(
    deps: { db: store.Database; bus: EventBus; audit: Pick<AuditChain, "append"> },
    runner: Pick<ScheduleRunner, "arm" | "forget">,
  ) {
    this.#deps = deps;
    this.#runner = runner;
  }

  /** Appends the change's audit entry (call inside its transaction). */
  audit(
    action: ScheduleChange,
    entry: { actor: string; agentId: string; detail: Record<string, unknown> },
  ): void {
    this.#deps.audit.append({
      action,
      actor: entry.actor,
      agent_id: entry.agentId,
      detail: entry.detail,
    });
  }

  /** After a row was created. */
  created(id: string, created: { agentId: string; spec: StoredSpec; owner: string }): void {
    this.#deps.bus.publish(
      "schedule.created",
      { schedule_id: id, kind: created.spec.kind, owner: created.owner },
      { agentId: created.agentId },
    );
    this.#runner.arm();
  }

  /** After a row was updated (enabled, disabled or edited). */
  updated(id: string, agentId: string): void {
    const row = store.getSchedule(this.#deps.db, id);
    if (!row) return;
    this.#deps.bus.publish("schedule.updated", {
      schedule_id: id,
      enabled: row.enabled === 1,
      next_run_at: row.enabled === 1 ? row.next_due : null,
    }, { agentId });
    this.#runner.arm();
  }

  /** After a row was deleted: its waiting run and timeout timer are forgotten. */
  deleted(id: string, agentId: string): void {
    this.#runner.forget(id);
    this.#deps.bus.publish("schedule.deleted", { schedule_id: id }, { agentId });
    this.#runner.arm();
  }
}
