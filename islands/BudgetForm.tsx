/**
 * The global budget caps form (admin). Without JavaScript it POSTs to
 * `/usage`, which validates with the same schema and re-renders with the
 * errors and the typed values. Hydrated, it validates in place
 * (islands/lib/budget_form.ts), sends `PUT /api/budget`, and shows the server's
 * message on failure or the saved caps on success — typed values are never
 * cleared by an error.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedSubmitEvent } from "preact";
import type { GlobalCaps } from "../kernel/types.ts";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";
import {
  BUDGET_FIELDS,
  type BudgetField,
  type BudgetValues,
  budgetValuesOf,
  readBudgetForm,
} from "./lib/budget_form.ts";

/** Props: the typed (or current) values, errors from a POST, and whether it was just saved. */
export interface BudgetFormProps {
  values: BudgetValues;
  errors?: Partial<Record<BudgetField | "form", string>>;
  saved?: boolean;
}

/** Three cap fields (empty = no cap) and a save button. */
export default function BudgetForm(props: BudgetFormProps): JSX.Element {
  const values = useSignal<BudgetValues>(props.values);
  const errors = useSignal(props.errors ?? {});
  const message = useSignal(props.saved ? "Budget saved." : "");
  const busy = useSignal(false);

  async function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    message.value = "";
    const result = readBudgetForm(values.value);
    if (!result.ok) {
      errors.value = result.errors;
      return;
    }
    errors.value = {};
    busy.value = true;
    try {
      const caps = await apiJson<GlobalCaps>("PUT", "/api/budget", result.patch);
      if (caps) values.value = budgetValuesOf(caps);
      message.value = "Budget saved.";
    } catch (cause) {
      errors.value = {
        form: cause instanceof ApiCallError ? cause.message : (cause as Error).message,
      };
    } finally {
      busy.value = false;
    }
  }

  return (
    <form method="post" action="/usage" class="budget-form" onSubmit={onSubmit} noValidate>
      <div class="budget-fields">
        {BUDGET_FIELDS.map(({ key, label }) => {
          const error = errors.value[key];
          return (
            <div key={key} class={error ? "field field-invalid" : "field"}>
              <label for={`budget-${key}`}>{label}</label>
              <input
                id={`budget-${key}`}
                name={key}
                type="text"
                inputMode="decimal"
                autocomplete="off"
                placeholder="no cap"
                value={values.value[key]}
                onInput={(e) => {
                  values.value = { ...values.value, [key]: e.currentTarget.value };
                }}
                aria-invalid={error ? "true" : undefined}
                aria-describedby={error ? `budget-${key}-error` : undefined}
              />
              {error && <p id={`budget-${key}-error`} class="field-error">{error}</p>}
            </div>
          );
        })}
      </div>
      <p class="field-hint">
        Leave a field empty for no cap. Once spend reaches a cap, new LLM calls are refused.
      </p>
      {errors.value.form && <p class="field-error" role="alert">{errors.value.form}</p>}
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy.value}>
          {busy.value ? "Saving…" : "Save budget"}
        </button>
        <span class="form-status" role="status">{message.value}</span>
      </div>
    </form>
  );
}
