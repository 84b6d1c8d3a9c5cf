/**
 * Quotas and gates on autonomous work: budgets and metering, and approval
 * requests (cron triggers and the background executor join later).
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
