/**
 * The agent edit form (operators): description, system prompt, model,
 * capabilities, tools and budgets. Without JavaScript it POSTs to the
 * agent's page (`action=edit`), which re-renders it with inline errors.
 * Hydrated, it checks the fields with the API's `AgentPatch` schema
 * (islands/lib/agent_form.ts), sends only what changed with `PATCH
 * /api/agents/{id}`, and shows errors next to their fields (a server
 * refusal's by its `fields`); typed values are never cleared by an error.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedEvent, TargetedSubmitEvent } from "preact";
import type { AgentView } from "../kernel/types.ts";
import {
  type AgentFormValues,
  checkAgentForm,
  formValuesFrom,
  formValuesOf,
  refusalErrors,
} from "./lib/agent_form.ts";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";

/** Props of the form. */
export interface AgentEditFormProps {
  agentId: string;
  /** The agent's values now (what "changed" is measured against). */
  initial: AgentFormValues;
  /** What the form shows (the submitted values after an error). */
  values: AgentFormValues;
  errors: Partial<Record<keyof AgentFormValues, string>>;
  formError?: string;
  /** Catalog model ids to offer. */
  models: string[];
  saved?: boolean;
}

type Field = keyof AgentFormValues;

/** The edit form. */
export default function AgentEditForm(props: AgentEditFormProps): JSX.Element {
  const values = useSignal(props.values);
  const initial = useSignal(props.initial);
  const errors = useSignal(props.errors);
  const formError = useSignal(props.formError ?? "");
  const notice = useSignal(props.saved ? "Saved. Changes apply from the agent's next turn." : "");
  const busy = useSignal(false);

  async function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const typed = formValuesFrom((name) => data.get(name));
    values.value = typed;
    notice.value = "";
    const check = checkAgentForm(typed, initial.value);
    if (!check.ok) {
      errors.value = check.errors;
      formError.value = check.formError ?? "";
      return;
    }
    busy.value = true;
    try {
      const agent = await apiJson<AgentView>(
        "PATCH",
        `/api/agents/${encodeURIComponent(props.agentId)}`,
        check.patch,
      );
      if (agent) {
        initial.value = formValuesOf(agent.manifest);
        values.value = initial.value;
      }
      errors.value = {};
      formError.value = "";
      notice.value = "Saved. Changes apply from the agent's next turn.";
    } catch (cause) {
      const refused = cause instanceof ApiCallError
        ? refusalErrors(cause)
        : { errors: {}, formError: `saving failed: ${(cause as Error).message}` };
      errors.value = refused.errors;
      formError.value = refused.formError ?? "";
    } finally {
      busy.value = false;
    }
  }

  function set(name: Field) {
    return (event: TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
      values.value = { ...values.value, [name]: event.currentTarget.value };
    };
  }

  function field(
    name: Field,
    label: string,
    control: (common: Record<string, unknown>) => JSX.Element,
    hint?: string,
  ): JSX.Element {
    const id = `edit-${name}`;
    const error = errors.value[name];
    const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ");
    const common = {
      id,
      name,
      value: values.value[name],
      onInput: set(name),
      "aria-describedby": described || undefined,
      "aria-invalid": error ? "true" : undefined,
    };
    return (
      <div class={error ? "field field-invalid" : "field"}>
        <label for={id}>{label}</label>
        {control(common)}
        {hint && <p id={`${id}-hint`} class="field-hint">{hint}</p>}
        {error && <p id={`${id}-error`} class="field-error">{error}</p>}
      </div>
    );
  }

  const models = props.models.includes(values.value.model) || values.value.model === ""
    ? props.models
    : [values.value.model, ...props.models];
  const budget = (name: Field, label: string, hint: string) =>
    field(name, label, (c) => <input {...c} type="text" inputMode="decimal" />, hint);
  return (
    <form
      method="post"
      action={`/agents/${encodeURIComponent(props.agentId)}#edit`}
      class="edit-form"
      onSubmit={onSubmit}
      aria-busy={busy.value}
      novalidate
    >
      <input type="hidden" name="action" value="edit" />
      {formError.value && <p class="form-error" role="alert">{formError.value}</p>}
      {notice.value && <p class="form-notice" role="status">{notice.value}</p>}
      {field("description", "Description", (c) => <textarea {...c} rows={2} />)}
      {field("system_prompt", "System prompt", (c) => <textarea {...c} rows={5} />)}
      {field("model", "Model", (c) => (
        <select {...c}>
          {models.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      ), "From the model catalog; the agent's provider must serve it.")}
      <div class="edit-grid">
        {field(
          "capabilities",
          "Capabilities",
          (c) => <textarea {...c} rows={4} spellcheck={false} />,
          "One per line, e.g. file_read or net_connect:*.example.com.",
        )}
        {field(
          "tools",
          "Tools",
          (c) => <textarea {...c} rows={4} spellcheck={false} />,
          "One per line; empty gives the default built-ins.",
        )}
      </div>
      <fieldset class="edit-budgets">
        <legend>Budgets (empty: no limit of the agent's own)</legend>
        {budget("max_tokens_per_hour", "Tokens per hour", "Whole number.")}
        {budget("max_cost_usd_per_day", "USD per day", "e.g. 0.50")}
        {budget("max_tool_calls_per_minute", "Tool calls per minute", "Whole number.")}
        {budget("max_iterations", "Iterations per turn", "At most 1000.")}
      </fieldset>
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy.value}>
          {busy.value ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}
