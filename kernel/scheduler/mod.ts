/**
 * Autonomous work and its quotas: schedules (cron, every, at) that message
 * agents with nobody prompting them, budgets and metering (approvals join
 * later).
 *
 * @module
 */
export {
  BudgetLedger,
  type BudgetLedgerOptions,
  type MeteredCall,
  type Pricing,
  type Reservation,
} from "./budget.ts";
export { MAX_AGENT_SCHEDULES, type ScheduleActor, Schedules } from "./schedules.ts";
export type { ScheduleRunnerDeps, ScheduleTargets } from "./schedule_runner.ts";
export { DEFAULT_MAX_RUNTIME_MS } from "./schedule_spec.ts";
export {
  compileTiming,
  MIN_INTERVAL_AGENT_MS,
  MIN_INTERVAL_PERSON_MS,
  previewCron,
  type Timing,
} from "./timing.ts";
