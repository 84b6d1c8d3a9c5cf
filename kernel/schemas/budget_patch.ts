/**
 * Changes to budget caps (budget.ts has how caps and spend are shown).
 * Written with `zod/mini` (see ./mini.ts): the budget form's island checks
 * with these before it submits.
 *
 * @module
 */
import * as z from "zod/mini";
import "./mini.ts";

const CapValue = z.optional(z.nullable(z.number().check(z.nonnegative())));
const PerUnit = z.optional(z.nullable(z.number().check(z.int(), z.positive())));
const someCap = z.refine<object>((p) => Object.keys(p).length > 0, {
  message: "set at least one cap",
});

/** Body of `PUT /api/budget/agents/{id}`: given keys are set, `null` clears. */
export const AgentBudgetPatch = z.strictObject({
  tokens_per_hour: PerUnit,
  usd_per_day: CapValue,
  tool_calls_per_minute: PerUnit,
}).check(someCap);
/** A change to one agent's caps. */
export type AgentBudgetPatch = z.infer<typeof AgentBudgetPatch>;

/** Body of `PUT /api/budget/global`: given keys are set, `null` clears. */
export const GlobalBudgetPatch = z.strictObject({
  usd_per_hour: CapValue,
  usd_per_day: CapValue,
  usd_per_month: CapValue,
}).check(someCap);
/** A change to the global caps. */
export type GlobalBudgetPatch = z.infer<typeof GlobalBudgetPatch>;
