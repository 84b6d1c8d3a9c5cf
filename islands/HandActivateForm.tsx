/**
 * A Hand's activation form, generated from its `[[settings]]` (operators).
 * Without JavaScript it POSTs to `/hands/{id}`, which re-renders it with
 * inline errors and the typed values. Hydrated, it checks the fields with the
 * same schemas as the server (islands/hand_form.ts), sends `POST
 * /api/hands/{id}/activate`, and opens the new instance on `/hands`.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedSubmitEvent } from "preact";
import type { HandInstanceView, HandSetting } from "../kernel/types.ts";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";
import {
  checkHandForm,
  type HandFormValues,
  handRefusalErrors,
  handValuesFrom,
} from "./lib/hand_form.ts";

/** Props of the form. */
export interface HandActivateFormProps {
  handId: string;
  settings: HandSetting[];
  /** The Hand's default schedule, shown as the cron placeholder. */
  defaultCron: string;
  values: HandFormValues;
  errors: Record<string, string>;
  formError?: string;
}

/** The form. */
export default function HandActivateForm(props: HandActivateFormProps): JSX.Element {
  const values = useSignal(props.values);
  const errors = useSignal(props.errors);
  const formError = useSignal(props.formError ?? "");
  const busy = useSignal(false);

  async function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const typed = handValuesFrom(props.settings, (name) => data.get(name) ?? undefined);
    values.value = typed;
    const check = checkHandForm(props.settings, typed);
    if (!check.ok) {
      errors.value = check.errors;
      formError.value = check.formError ?? "";
      return;
    }
    busy.value = true;
    try {
      const instance = await apiJson<HandInstanceView>(
        "POST",
        `/api/hands/${encodeURIComponent(props.handId)}/activate`,
        check.body,
      );
      const name = encodeURIComponent(instance!.name);
      location.assign(`/hands?activated=${name}#instance-${name}`);
    } catch (cause) {
      const refused = cause instanceof ApiCallError
        ? handRefusalErrors(cause)
        : { errors: {}, formError: `activation failed: ${(cause as Error).message}` };
      errors.value = refused.errors;
      formError.value = refused.formError ?? "";
      busy.value = false;
    }
  }

  function field(
    path: string,
    label: string,
    control: (common: Record<string, unknown>) => JSX.Element,
    options: { hint?: string; required?: boolean; inline?: boolean } = {},
  ): JSX.Element {
    const id = `hand-${path.replace(/\W/g, "-")}`;
    const error = errors.value[path];
    const described = [options.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean)
      .join(" ");
    const common = {
      id,
      name: path,
      "aria-describedby": described || undefined,
      "aria-invalid": error ? "true" : undefined,
      "aria-required": options.required ? "true" : undefined,
    };
    return (
      <div class={`field${options.inline ? " field-check" : ""}${error ? " field-invalid" : ""}`}>
        {options.inline ? control(common) : null}
        <label for={id}>
          {label}
          {options.required && <span class="required-mark" aria-hidden="true">*</span>}
        </label>
        {options.inline ? null : control(common)}
        {options.hint && <p id={`${id}-hint`} class="field-hint">{options.hint}</p>}
        {error && <p id={`${id}-error`} class="field-error">{error}</p>}
      </div>
    );
  }

  function setting(s: HandSetting): JSX.Element {
    const value = values.value.settings[s.key] ?? "";
    const path = `settings.${s.key}`;
    const opts = { hint: s.help, required: s.required };
    switch (s.type) {
      case "select":
        return field(path, s.label, (c) => (
          <select {...c}>
            {s.default === undefined && <option value="" selected={value === ""}>Choose…</option>}
            {s.options!.map((o) => <option key={o} value={o} selected={value === o}>{o}</option>)}
          </select>
        ), opts);
      case "toggle":
        return field(
          path,
          s.label,
          (c) => <input {...c} type="checkbox" value="true" checked={value === "true"} />,
          { ...opts, inline: true },
        );
      case "number":
        return field(
          path,
          s.label,
          (c) => <input {...c} type="text" inputMode="decimal" value={value} />,
          opts,
        );
      default:
        return field(
          path,
          s.label,
          (c) =>
            s.key.endsWith("url") || s.key.endsWith("webhook")
              ? <input {...c} type="url" value={value} autocomplete="off" />
              : <textarea {...c} rows={2}>{value}</textarea>,
          opts,
        );
    }
  }

  const v = values.value;
  return (
    <form
      method="post"
      action={`/hands/${encodeURIComponent(props.handId)}`}
      class="hand-form"
      onSubmit={onSubmit}
      noValidate
    >
      {formError.value && <p class="form-error" role="alert">{formError.value}</p>}
      <fieldset>
        <legend>Settings</legend>
        {props.settings.length === 0 && <p class="muted">This Hand has no settings.</p>}
        {props.settings.map((s) => <div key={s.key}>{setting(s)}</div>)}
      </fieldset>
      <fieldset>
        <legend>Instance</legend>
        <div class="hand-form-grid">
          {field(
            "name",
            "Instance name",
            (c) => <input {...c} value={v.name} placeholder={props.handId} autocomplete="off" />,
            { hint: "Lowercase letters, digits, - or _; blank uses the Hand's id" },
          )}
          {field(
            "model",
            "Model",
            (c) => <input {...c} class="mono" value={v.model} autocomplete="off" />,
            { hint: "Blank uses the configured default; script:<file> drives the offline model" },
          )}
          {field(
            "cron",
            "Schedule (cron)",
            (c) => (
              <input
                {...c}
                class="mono"
                value={v.cron}
                placeholder={props.defaultCron}
                autocomplete="off"
              />
            ),
            { hint: `Blank keeps the Hand's schedule, ${props.defaultCron}` },
          )}
          {field(
            "tz",
            "Time zone",
            (c) => <input {...c} value={v.tz} placeholder="UTC" autocomplete="off" />,
            { hint: "IANA name of the schedule's zone, e.g. Europe/Berlin" },
          )}
        </div>
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy.value}>
          {busy.value ? "Activating…" : "Activate"}
        </button>
      </div>
    </form>
  );
}
