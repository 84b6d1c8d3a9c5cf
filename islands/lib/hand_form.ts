/**
 * The Hand activation form's values and how they become an `ActivateHandBody`:
 * the same code runs in the browser (the HandActivateForm island) and on the
 * server (the plain form POST on `/hands/{id}`), validated by the API's
 * schemas — `ActivateHandBody` and the Hand's own `handSettingsSchema()`.
 * Setting inputs are named `settings.<key>`, the path refusals name them by.
 * Browser-safe.
 *
 * @module
 */
import type { HandSetting } from "../../kernel/types.ts";
import { ActivateHandBody, handSettingsSchema } from "../../kernel/schemas/hand_input.ts";

/** What the form holds, exactly as typed (a toggle as "true" or "false"). */
export interface HandFormValues {
  name: string;
  model: string;
  cron: string;
  tz: string;
  settings: Record<string, string>;
}

/** Errors by field path (`name`, `settings.topic`, …) and one for the whole form. */
export interface HandFormErrors {
  errors: Record<string, string>;
  formError?: string;
}

/** A checked form: the body to send, or errors. */
export type HandFormCheck =
  | { ok: true; body: ActivateHandBody }
  | ({ ok: false } & HandFormErrors);

/** The fields other than settings. */
const TOP_FIELDS = ["name", "model", "cron", "tz"] as const;

/** A fresh form: each setting at its default, the time zone UTC. */
export function emptyHandForm(settings: readonly HandSetting[]): HandFormValues {
  return {
    name: "",
    model: "",
    cron: "",
    tz: "",
    settings: Object.fromEntries(
      settings.map((s) => [s.key, s.default === undefined ? "" : String(s.default)]),
    ),
  };
}

/**
 * The values of a submitted form (`get` reads a field by name); an unchecked
 * toggle is absent from a form submission and reads as "false".
 */
export function handValuesFrom(
  settings: readonly HandSetting[],
  get: (name: string) => unknown,
): HandFormValues {
  const text = (name: string) => {
    const v = get(name);
    return typeof v === "string" ? v : "";
  };
  return {
    name: text("name"),
    model: text("model"),
    cron: text("cron"),
    tz: text("tz"),
    settings: Object.fromEntries(
      settings.map((s) => [
        s.key,
        s.type === "toggle" ? (text(`settings.${s.key}`) === "" ? "false" : "true") : text(
          `settings.${s.key}`,
        ),
      ]),
    ),
  };
}

/** The request body of `values`: blanks left out, so defaults apply. */
function bodyOf(settings: readonly HandSetting[], values: HandFormValues): Record<string, unknown> {
  const chosen: Record<string, string> = {};
  for (const s of settings) {
    const raw = values.settings[s.key] ?? "";
    // A blank number or select means "use the default"; blank text is a value ("" clears it).
    if (raw.trim() === "" && (s.type === "number" || s.type === "select") && !s.required) continue;
    chosen[s.key] = raw;
  }
  const body: Record<string, unknown> = { settings: chosen };
  for (const field of TOP_FIELDS) {
    const v = values[field].trim();
    if (v !== "") body[field] = v;
  }
  return body;
}

/** Checks `values` with the API's schemas; the body to send, or errors by field path. */
export function checkHandForm(
  settings: readonly HandSetting[],
  values: HandFormValues,
): HandFormCheck {
  const body = bodyOf(settings, values);
  const errors: Record<string, string> = {};
  const top = ActivateHandBody.safeParse(body);
  if (!top.success) {
    for (const issue of top.error.issues) errors[issue.path.join(".")] ??= issue.message;
  }
  const chosen = handSettingsSchema(settings).safeParse(body.settings);
  if (!chosen.success) {
    for (const issue of chosen.error.issues) {
      errors[["settings", ...issue.path].join(".")] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !top.success) {
    return { ok: false, errors, formError: "Fix the marked fields." };
  }
  return { ok: true, body: top.data };
}

/** A refusal (API error or `TalonError`) as errors on the fields its `fields` name. */
export function handRefusalErrors(
  refusal: { message: string; fields?: Record<string, string> },
): HandFormErrors {
  return { errors: { ...refusal.fields }, formError: refusal.message };
}
