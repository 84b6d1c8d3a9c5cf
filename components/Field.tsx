/**
 * A labelled form control with an optional hint and inline error, wired for
 * assistive tech (`aria-describedby`, `aria-invalid`).
 *
 * @module
 */
import type { JSX } from "preact";

/** Props of {@link Field}. */
export interface FieldProps {
  /** Input name; also the id unless `id` is given. */
  name: string;
  label: string;
  id?: string;
  type?: "text" | "password" | "number" | "email" | "url" | "search" | "textarea";
  value?: string | number;
  placeholder?: string;
  hint?: string;
  /** Inline error; marks the control invalid. */
  error?: string;
  required?: boolean;
  autocomplete?: string;
  autofocus?: boolean;
}

/** Label, control, hint and error. */
export function Field(props: FieldProps): JSX.Element {
  const id = props.id ?? props.name;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: props.name,
    placeholder: props.placeholder,
    required: props.required,
    autocomplete: props.autocomplete,
    autofocus: props.autofocus,
    "aria-describedby": described,
    "aria-invalid": props.error ? ("true" as const) : undefined,
  };
  return (
    <div class={props.error ? "field field-invalid" : "field"}>
      <label for={id}>{props.label}</label>
      {props.type === "textarea" ? <textarea {...common}>{props.value}</textarea> : (
        // One union member is enough for Preact's per-type input attributes.
        <input {...common} type={(props.type ?? "text") as "text"} value={props.value} />
      )}
      {props.hint && <p id={hintId} class="field-hint">{props.hint}</p>}
      {props.error && <p id={errorId} class="field-error">{props.error}</p>}
    </div>
  );
}
