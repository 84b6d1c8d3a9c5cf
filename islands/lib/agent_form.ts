/**
 * The agent edit form's values and how they become an `AgentPatch`: the same
 * code runs in the browser (the AgentEditForm island) and on the server (the
 * form POST without JavaScript), validated by the API's `AgentPatch` schema.
 * Only fields that differ from the agent's current values are sent; issues
 * are mapped back to the form's field names. Browser-safe.
 *
 * @module
 */
import { AgentPatch } from "../../kernel/schemas/agent_manifest.ts";
import type { AgentView } from "../../kernel/types.ts";
import { pathSegments } from "./api_fetch.ts";

/** Numeric budget fields (the manifest's `resources`). */
export const BUDGET_FIELDS = [
  "max_tokens_per_hour",
  "max_cost_usd_per_day",
  "max_tool_calls_per_minute",
  "max_iterations",
] as const;

/** The edit form's fields, as typed (strings, so nothing typed is ever lost). */
export interface AgentFormValues {
  description: string;
  system_prompt: string;
  model: string;
  /** One capability per line (commas also separate). */
  capabilities: string;
  /** One tool per line; empty means the default built-ins. */
  tools: string;
  max_tokens_per_hour: string;
  max_cost_usd_per_day: string;
  max_tool_calls_per_minute: string;
  max_iterations: string;
}

/** Every field name of {@link AgentFormValues}. */
export const FORM_FIELDS: readonly (keyof AgentFormValues)[] = [
  "description",
  "system_prompt",
  "model",
  "capabilities",
  "tools",
  ...BUDGET_FIELDS,
];

/** The form's values for an agent as it is now. */
export function formValuesOf(manifest: AgentView["manifest"]): AgentFormValues {
  const resources = manifest.resources as Record<string, number | undefined>;
  const budget = Object.fromEntries(
    BUDGET_FIELDS.map((key) => [key, resources[key] === undefined ? "" : String(resources[key])]),
  ) as Record<(typeof BUDGET_FIELDS)[number], string>;
  return {
    description: manifest.description,
    system_prompt: manifest.system_prompt,
    model: manifest.model ?? "",
    capabilities: manifest.capabilities.join("\n"),
    tools: (manifest.tools ?? []).join("\n"),
    ...budget,
  };
}

/** Reads the form's fields from a submitted form (missing fields are empty). */
export function formValuesFrom(get: (name: string) => unknown): AgentFormValues {
  const values = {} as Record<keyof AgentFormValues, string>;
  for (const name of FORM_FIELDS) {
    const value = get(name);
    values[name] = typeof value === "string" ? value : "";
  }
  return values;
}

function list(text: string): string[] {
  return text.split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== "");
}

function number(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === "" ? undefined : Number(trimmed);
}

/** The whole manifest slice the form edits, as the patch would carry it. */
function candidate(values: AgentFormValues): Record<string, unknown> {
  const resources: Record<string, number> = {};
  for (const key of BUDGET_FIELDS) {
    const n = number(values[key]);
    if (n !== undefined) resources[key] = n;
  }
  const tools = list(values.tools);
  return {
    description: values.description,
    system_prompt: values.system_prompt,
    model: values.model.trim(),
    capabilities: list(values.capabilities),
    tools: tools.length === 0 ? null : tools,
    resources,
  };
}

/** Errors by field, and one for the whole form. */
export interface FormErrors {
  errors: Partial<Record<keyof AgentFormValues, string>>;
  formError?: string;
}

/** A checked edit: the patch to send, or errors by field (and for the form). */
export type FormCheck = { ok: true; patch: AgentPatch } | ({ ok: false } & FormErrors);

function fieldOf(path: PropertyKey[]): keyof AgentFormValues | undefined {
  const [head, next] = path;
  if (head === "resources" && typeof next === "string") {
    return (BUDGET_FIELDS as readonly string[]).includes(next)
      ? next as keyof AgentFormValues
      : undefined;
  }
  return (FORM_FIELDS as readonly PropertyKey[]).includes(head as PropertyKey)
    ? head as keyof AgentFormValues
    : undefined;
}

/** `line N: ` for a path into a list field (`["capabilities", 1]`), else "". */
function lineOf(path: readonly PropertyKey[]): string {
  return typeof path[1] === "number" ? `line ${path[1] + 1}: ` : "";
}

/**
 * Where a server refusal of an edit goes: its message on the form, and each
 * entry of its `fields` on the field it concerns (entries the form does not
 * show are covered by the message).
 */
export function refusalErrors(
  refusal: { message: string; fields?: Record<string, string> },
): FormErrors {
  const errors: FormErrors["errors"] = {};
  for (const [path, message] of Object.entries(refusal.fields ?? {})) {
    const segments = pathSegments(path);
    const field = fieldOf(segments);
    if (field !== undefined) errors[field] ??= `${lineOf(segments)}${message}`;
  }
  return { errors, formError: refusal.message };
}

/**
 * The patch from `values` to send for an agent whose form values were
 * `initial`: only changed fields, validated by `AgentPatch`.
 */
export function checkAgentForm(values: AgentFormValues, initial: AgentFormValues): FormCheck {
  const now = candidate(values);
  const before = candidate(initial);
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(now)) {
    if (JSON.stringify(value) !== JSON.stringify(before[key])) patch[key] = value;
  }
  if (Object.keys(patch).length === 0) {
    return { ok: false, errors: {}, formError: "Nothing changed: edit a field, then save." };
  }
  const parsed = AgentPatch.safeParse(patch);
  if (parsed.success) return { ok: true, patch: parsed.data };
  const errors: Partial<Record<keyof AgentFormValues, string>> = {};
  let formError: string | undefined;
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path);
    if (field === undefined) {
      formError ??= issue.message;
      continue;
    }
    const item = lineOf(issue.path);
    const message = issue.code === "invalid_type" && issue.expected === "number"
      ? "must be a number, e.g. 5000"
      : issue.message;
    errors[field] ??= `${item}${message}`;
  }
  return { ok: false, errors, formError };
}
