/**
 * What the Hand activation form sends, written with `zod/mini` so the form's
 * island validates in the browser with the API's own schemas and ships only
 * them: the settings schema built from a Hand's `[[settings]]`, and the
 * activation body. kernel/schemas/hand.ts re-exports both.
 *
 * @module
 */
import * as z from "zod/mini";
import "./mini.ts";
import { AgentName } from "./agent_manifest.ts";
import { CronExpression, TimeZone } from "./schedule_input.ts";

/** A setting's value: text and select are strings, number a number, toggle a boolean. */
export type SettingValue = string | number | boolean;

/** What the settings schema reads of a `[[settings]]` entry. */
export interface SettingSpec {
  key: string;
  label: string;
  type: "select" | "text" | "toggle" | "number";
  required: boolean;
  default?: SettingValue;
  options?: string[];
}

/** Why `value` does not fit setting `s`, or undefined when it does. */
export function settingProblem(
  s: Pick<SettingSpec, "type" | "options">,
  value: SettingValue,
): string | undefined {
  switch (s.type) {
    case "text":
      return typeof value === "string" ? undefined : "must be text";
    case "select":
      return typeof value === "string" && (s.options ?? []).includes(value)
        ? undefined
        : `must be one of ${(s.options ?? []).join(", ")}`;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? undefined : "must be a number";
    case "toggle":
      return typeof value === "boolean" ? undefined : "must be true or false";
  }
}

/** A form or CLI value (`--set key=value`, a form field) as the setting's type reads it. */
function coerceSetting(s: SettingSpec, raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  if (s.type === "number") {
    const t = raw.trim();
    return t !== "" && Number.isFinite(Number(t)) ? Number(t) : raw;
  }
  if (s.type === "toggle") {
    const t = raw.trim().toLowerCase();
    if (["true", "on", "yes", "1"].includes(t)) return true;
    if (["false", "off", "no", "0", ""].includes(t)) return false;
  }
  return raw;
}

/**
 * The one schema of a Hand's settings, used by the activation form in the
 * browser, the API and the CLI: strings from a form or `--set` are read as
 * the setting's type; a missing setting takes its default; a required one
 * with no value (or empty text) is refused naming it; unknown keys are refused.
 * With `partial`, only the keys given are checked (a settings edit).
 */
export function handSettingsSchema(
  settings: readonly SettingSpec[],
  options: { partial?: boolean } = {},
): z.ZodMiniType<Record<string, SettingValue>> {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const s of settings) {
    let field: z.ZodMiniType = z.pipe(
      z.transform((raw: unknown) => coerceSetting(s, raw)),
      z.custom<SettingValue>().check(z.superRefine((value, ctx) => {
        if (value === undefined || (s.required && typeof value === "string" && !value.trim())) {
          ctx.addIssue({ code: "custom", message: `${s.label} is required`, input: value });
          return;
        }
        const problem = settingProblem(s, value);
        if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
      })),
    );
    if (options.partial) field = z.optional(field);
    else if (s.default !== undefined) field = z._default(field, s.default);
    else if (!s.required) field = z.optional(field);
    shape[s.key] = field;
  }
  return z.strictObject(shape) as unknown as z.ZodMiniType<Record<string, SettingValue>>;
}

/**
 * Body of `POST /api/hands/{id}/activate`. `settings` is checked against the
 * Hand's own schema ({@link handSettingsSchema}); `cron`/`tz` override its
 * schedule; `model` (and `provider`) its model, e.g. `script:/path.json`.
 */
export const ActivateHandBody = z.strictObject({
  name: z.optional(AgentName),
  settings: z._default(z.record(z.string(), z.unknown()), {}),
  cron: z.optional(CronExpression),
  tz: z.optional(TimeZone),
  model: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(300))),
  provider: z.optional(
    z.string().check(z.regex(/^[a-z][a-z0-9_-]{0,63}$/, "must be a provider entry name")),
  ),
});
/** An activation request. */
export type ActivateHandBody = z.input<typeof ActivateHandBody>;
