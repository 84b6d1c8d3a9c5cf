/**
 * Form controls of the spawn form (islands cannot use components/): a
 * labelled input or textarea with hint and inline error, a group of
 * checkboxes, and a list of text inputs that always ends with a blank one.
 * Every control is wired for assistive tech (`aria-describedby`,
 * `aria-invalid`). Browser-safe.
 *
 * @module
 */
import type { ComponentChildren, JSX } from "preact";

function describedBy(...ids: unknown[]): string | undefined {
  return ids.filter((id) => typeof id === "string" && id !== "").join(" ") || undefined;
}

/** Hint and error lines under a control. */
function Notes(props: { id: string; hint?: ComponentChildren; error?: string }): JSX.Element {
  return (
    <>
      {props.hint && <p id={`${props.id}-hint`} class="field-hint">{props.hint}</p>}
      {props.error && <p id={`${props.id}-error`} class="field-error">{props.error}</p>}
    </>
  );
}

/** Props of {@link TextField}. */
export interface TextFieldProps {
  name: string;
  label: string;
  value: string;
  error?: string;
  hint?: ComponentChildren;
  type?: "text" | "number" | "textarea";
  placeholder?: string;
  required?: boolean;
  rows?: number;
  step?: string;
  min?: string;
}

/** A labelled input (or textarea) with hint and inline error. */
export function TextField(props: TextFieldProps): JSX.Element {
  const id = `spawn-${props.name}`;
  const common = {
    id,
    name: props.name,
    placeholder: props.placeholder,
    required: props.required,
    "aria-describedby": describedBy(props.hint && `${id}-hint`, props.error && `${id}-error`),
    "aria-invalid": props.error ? ("true" as const) : undefined,
  };
  return (
    <div class={props.error ? "field field-invalid" : "field"}>
      <label for={id}>{props.label}</label>
      {props.type === "textarea"
        // Children, not `value`: the server renders a textarea's text as its content.
        ? <textarea {...common} rows={props.rows ?? 3}>{props.value}</textarea>
        : (
          <input
            {...common}
            // One union member is enough for Preact's per-type input attributes.
            type={(props.type ?? "text") as "number"}
            value={props.value}
            step={props.step}
            min={props.min}
            inputMode={props.type === "number" ? "decimal" : undefined}
            autocomplete="off"
            spellcheck={false}
          />
        )}
      <Notes id={id} hint={props.hint} error={props.error} />
    </div>
  );
}

/** One checkbox of a {@link CheckGroup}. */
export interface CheckOption {
  value: string;
  label: ComponentChildren;
  /** Shown under the label. */
  detail?: ComponentChildren;
  disabled?: boolean;
}

/** A fieldset of checkboxes named `name`; `checked` holds the checked values. */
export function CheckGroup(props: {
  name: string;
  legend: string;
  options: CheckOption[];
  checked: string[];
  error?: string;
  hint?: ComponentChildren;
}): JSX.Element {
  const id = `spawn-${props.name}`;
  return (
    <fieldset
      class={props.error ? "spawn-group field-invalid" : "spawn-group"}
      aria-describedby={describedBy(props.hint && `${id}-hint`, props.error && `${id}-error`)}
    >
      <legend>{props.legend}</legend>
      <Notes id={id} hint={props.hint} error={props.error} />
      <div class="spawn-checks">
        {props.options.map((option) => {
          const optionId = `${id}-${option.value}`;
          return (
            <div class="spawn-check" key={option.value}>
              <input
                type="checkbox"
                id={optionId}
                name={props.name}
                value={option.value}
                checked={props.checked.includes(option.value)}
                disabled={option.disabled}
                aria-describedby={option.detail ? `${optionId}-detail` : undefined}
              />
              <div class="spawn-check-text">
                <label for={optionId}>{option.label}</label>
                {option.detail && (
                  <span id={`${optionId}-detail`} class="spawn-check-detail">{option.detail}</span>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/**
 * A list of text inputs named `name`: the typed values, then one blank
 * input (so hydrated, it grows as you type; without JavaScript, one more
 * entry per submit).
 */
export function ListField(props: {
  name: string;
  label: string;
  prefix: string;
  values: string[];
  placeholder: string;
  error?: string;
  hint?: ComponentChildren;
  disabled?: boolean;
}): JSX.Element {
  const id = `spawn-${props.name}`;
  const last = props.values[props.values.length - 1];
  const values = last === undefined || last.trim() !== "" ? [...props.values, ""] : props.values;
  return (
    <fieldset
      class={props.error ? "spawn-group field-invalid" : "spawn-group"}
      aria-describedby={describedBy(props.hint && `${id}-hint`, props.error && `${id}-error`)}
    >
      <legend>{props.label}</legend>
      <Notes id={id} hint={props.hint} error={props.error} />
      <ul class="spawn-list">
        {values.map((value, i) => (
          <li key={i}>
            <span class="spawn-prefix mono" aria-hidden="true">{props.prefix}</span>
            <input
              type="text"
              name={props.name}
              value={value}
              placeholder={props.placeholder}
              aria-label={`${props.label} ${i + 1}`}
              disabled={props.disabled}
              autocomplete="off"
              spellcheck={false}
            />
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
