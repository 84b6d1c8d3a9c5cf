/**
 * Autonomous work and its guardrails: schedules (cron, every, at) that message
 * agents with nobody prompting them, approval requests of gated tool calls,
 * and budgets and metering.
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
export { approvalGateOf, type GatedTool } from "./approval_policy.ts";
export { ApprovalService, type ApprovalServiceDeps } from "./approvals.ts";
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
