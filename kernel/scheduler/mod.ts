/**
 * Quotas on autonomous work: budgets and metering (cron triggers, the
 * background executor and approvals join later).
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
