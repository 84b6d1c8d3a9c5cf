/**
 * The global budget form's fields and how typed values become a
 * `PUT /api/budget` body, validated by the API's own schema
 * (`GlobalBudgetPatch`). Used by the BudgetForm island and the page's
 * no-JavaScript POST. Browser-safe.
 *
 * @module
 */
import {
  type GlobalBudgetPatch,
  GlobalBudgetPatch as Schema,
} from "../../kernel/schemas/budget_patch.ts";

/** The global caps the form edits, in order, with their labels. */
export const BUDGET_FIELDS = [
  { key: "usd_per_hour", label: "Per hour (USD)" },
  { key: "usd_per_day", label: "Per day (USD)" },
  { key: "usd_per_month", label: "Per month (USD)" },
] as const;

/** A cap's key. */
export type BudgetField = (typeof BUDGET_FIELDS)[number]["key"];

/** What the user typed, by field (strings, as typed). */
export type BudgetValues = Record<BudgetField, string>;

/** The outcome of reading the form: a patch, or errors by field (and for the form). */
export type BudgetFormResult =
  | { ok: true; patch: GlobalBudgetPatch }
  | { ok: false; errors: Partial<Record<BudgetField | "form", string>> };

/** Typed values from caps (empty for no cap). */
export function budgetValuesOf(caps: Partial<Record<BudgetField, number>>): BudgetValues {
  const text = (n: number | undefined) => (n === undefined ? "" : String(n));
  return {
    usd_per_hour: text(caps.usd_per_hour),
    usd_per_day: text(caps.usd_per_day),
    usd_per_month: text(caps.usd_per_month),
  };
}

/**
 * Reads typed values: an empty field clears that cap (`null`), anything
 * else must be a number the schema accepts.
 */
export function readBudgetForm(values: BudgetValues): BudgetFormResult {
  const body: Record<string, number | null | string> = {};
  for (const { key } of BUDGET_FIELDS) {
    const text = values[key].trim();
    body[key] = text === ""
      ? null
      : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)
      ? Number(text)
      : text;
  }
  const parsed = Schema.safeParse(body);
  if (parsed.success) return { ok: true, patch: parsed.data };
  const errors: Partial<Record<BudgetField | "form", string>> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    const field = BUDGET_FIELDS.some((f) => f.key === key) ? key as BudgetField : "form";
    const message = typeof body[field as BudgetField] === "string"
      ? "enter an amount in dollars, like 5 or 0.25, or leave it empty for no cap"
      : issue.message;
    errors[field] ??= message;
  }
  return { ok: false, errors };
}
