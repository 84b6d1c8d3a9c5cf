/**
 * A manifest's `[schedule]` reconciled to exactly one schedule row owned by
 * the manifest: created, updated (keeping its next due time when the timing
 * did not change) or deleted when the manifest has none. Runs inside the
 * agent registry's transaction; errors name the field under `schedule.`.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import { isTalonError, TalonError } from "../errors.ts";
import * as store from "../store/mod.ts";
import type { AgentManifest } from "../types.ts";
import {
  checkedTiming,
  iso,
  nextDue,
  sameSpec,
  sameTiming,
  specDetail,
  specOf,
  storedSpec,
} from "./schedule_spec.ts";
import type { ScheduleNotices } from "./schedule_notices.ts";
import type { Timing } from "./timing.ts";

/** What reconciling needs. */
export interface ReconcileDeps {
  db: store.Database;
  clock: Clock;
  notices: ScheduleNotices;
}

/**
 * Makes the agent's manifest-owned row match `manifest.schedule`; returns
 * what to announce once the transaction commits.
 */
export function reconcileManifest(
  deps: ReconcileDeps,
  input: { agentId: string; manifest: AgentManifest; actor: string; byAgent: boolean },
): () => void {
  const { db, clock, notices } = deps;
  const { agentId, actor } = input;
  const existing = store.manifestSchedule(db, agentId);
  const wanted = input.manifest.schedule;
  if (!wanted) {
    if (!existing) return () => {};
    store.deleteSchedule(db, existing.id);
    notices.audit("schedule.deleted", {
      actor,
      agentId,
      detail: { schedule_id: existing.id, owner: "manifest" },
    });
    return () => notices.deleted(existing.id, agentId);
  }
  const spec = storedSpec(wanted);
  const now = clock.now();
  let timing: Timing;
  try {
    timing = checkedTiming(spec, { now, byAgent: input.byAgent, path: "schedule." });
  } catch (error) {
    if (!isTalonError(error, "invalid_input")) throw error;
    throw new TalonError("invalid_manifest", `invalid manifest: ${error.message}`, {
      cause: error,
      details: error.details,
      fields: error.fields,
    });
  }
  if (existing && sameSpec(specOf(existing), spec)) return () => {};
  if (existing) {
    const keepDue = sameTiming(specOf(existing), spec) && existing.next_due !== null;
    const next = existing.enabled !== 1 ? null : keepDue ? existing.next_due : nextDue(timing, now);
    store.updateSchedule(db, { ...existing, ...spec, next_due: next, at: iso(now) });
    notices.audit("schedule.updated", {
      actor,
      agentId,
      detail: { schedule_id: existing.id, ...specDetail(spec) },
    });
    return () => notices.updated(existing.id, agentId);
  }
  const id = crypto.randomUUID();
  store.insertSchedule(db, {
    id,
    agent_id: agentId,
    owner: "manifest",
    ...spec,
    enabled: 1,
    next_due: nextDue(timing, now),
    created_by: actor,
    at: iso(now),
  });
  notices.audit("schedule.created", {
    actor,
    agentId,
    detail: { schedule_id: id, owner: "manifest", ...specDetail(spec) },
  });
  return () => notices.created(id, { agentId, spec, owner: "manifest" });
}
