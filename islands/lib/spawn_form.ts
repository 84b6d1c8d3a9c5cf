/**
 * The spawn form's data, shared by the `/agents` page (plain form POST) and
 * the SpawnAgentForm island (client-side check before `POST /api/agents`):
 * the typed values as strings, how they become a `SpawnAgentBody`, the
 * checks (the same zod schema as the API) as per-field errors, and where a
 * server refusal's `fields` (dotted manifest paths) go on the form.
 * Browser-safe.
 *
 * @module
 */
import type { core } from "zod/mini";
import { SpawnAgentBody } from "../../kernel/schemas/agent_manifest.ts";
import { PLAIN_CAPABILITIES } from "../../kernel/vocabulary.ts";
import { pathSegments } from "./api_fetch.ts";

/** The resource fields of the form, in the order shown. */
export const RESOURCE_FIELDS = [
  "max_tokens_per_hour",
  "max_cost_usd_per_day",
  "max_tool_calls_per_minute",
  "max_iterations",
] as const;

/** One resource field's name. */
export type ResourceField = typeof RESOURCE_FIELDS[number];

/** What the form holds, exactly as typed (nothing is lost on an error). */
export interface SpawnFormValues {
  name: string;
  description: string;
  provider: string;
  model: string;
  system_prompt: string;
  /** Checked plain capabilities. */
  capabilities: string[];
  /** Host patterns for `net_connect:<pattern>`, one per input (blanks allowed). */
  net_connect: string[];
  /** Keys for `env_read:<KEY>`, one per input (blanks allowed). */
  env_read: string[];
  tools: string[];
  skills: string[];
  resources: Record<ResourceField, string>;
}

/** Field names that carry errors: the top-level fields and `resources.<field>`. */
export type FieldErrors = Record<string, string>;

/** An empty form. */
export function emptySpawnForm(): SpawnFormValues {
  return {
    name: "",
    description: "",
    provider: "",
    model: "",
    system_prompt: "",
    capabilities: [],
    net_connect: [],
    env_read: [],
    tools: [],
    skills: [],
    resources: {
      max_tokens_per_hour: "",
      max_cost_usd_per_day: "",
      max_tool_calls_per_minute: "",
      max_iterations: "",
    },
  };
}

/** Reads the form's fields through `all(name)` (e.g. `FormData.getAll`), keeping strings only. */
export function spawnValuesOf(all: (name: string) => unknown[]): SpawnFormValues {
  const strings = (name: string) => all(name).filter((v): v is string => typeof v === "string");
  const one = (name: string) => strings(name)[0] ?? "";
  const values = emptySpawnForm();
  values.name = one("name");
  values.description = one("description");
  values.provider = one("provider");
  values.model = one("model");
  values.system_prompt = one("system_prompt");
  values.capabilities = strings("capabilities");
  values.net_connect = strings("net_connect");
  values.env_read = strings("env_read");
  values.tools = strings("tools");
  values.skills = strings("skills");
  for (const field of RESOURCE_FIELDS) values.resources[field] = one(field);
  return values;
}

function filled(list: string[], prefix: string): string[] {
  return list.map((v) => v.trim()).filter((v) => v !== "")
    .map((v) => v.startsWith(prefix) ? v.slice(prefix.length) : v)
    .map((v) => prefix + v);
}

/** The capabilities the form asks for: checked ones, then net_connect, then env_read entries. */
export function capabilitiesOf(values: SpawnFormValues): string[] {
  return [
    ...values.capabilities,
    ...filled(values.net_connect, "net_connect:"),
    ...filled(values.env_read, "env_read:"),
  ];
}

function numberOrText(text: string): number | string {
  const n = Number(text.trim());
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

/** The request body the form stands for (blank optional fields left out, so defaults apply). */
export function spawnBodyOf(values: SpawnFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: values.name.trim(),
    description: values.description,
    capabilities: capabilitiesOf(values),
    skills: values.skills,
  };
  if (values.provider !== "") body.provider = values.provider;
  if (values.model.trim() !== "") body.model = values.model.trim();
  if (values.system_prompt.trim() !== "") body.system_prompt = values.system_prompt;
  if (values.tools.length > 0) body.tools = values.tools;
  const resources: Record<string, number | string> = {};
  for (const field of RESOURCE_FIELDS) {
    const text = values.resources[field];
    if (text.trim() !== "") resources[field] = numberOrText(text);
  }
  body.resources = resources;
  return body;
}

/** The field a capability's index in {@link capabilitiesOf} came from. */
function capabilityField(values: SpawnFormValues, index: number): string {
  const plain = values.capabilities.length;
  const net = filled(values.net_connect, "net_connect:").length;
  if (index < plain) return "capabilities";
  return index < plain + net ? "net_connect" : "env_read";
}

/** Fields the form shows an error on; anything else goes to the alert above it (`form`). */
const SHOWN = new Set([
  "name",
  "description",
  "provider",
  "model",
  "system_prompt",
  "capabilities",
  "net_connect",
  "env_read",
  "tools",
  "skills",
  ...RESOURCE_FIELDS.map((f) => `resources.${f}`),
]);

/** The form field a manifest path (`["capabilities", 2]`) is shown on, or `form`. */
function formFieldOf(values: SpawnFormValues, path: readonly PropertyKey[]): string {
  const [head, second] = path;
  let field = typeof head === "string" ? head : "form";
  if (field === "capabilities" && typeof second === "number") {
    field = capabilityField(values, second);
  } else if (field === "resources" && typeof second === "string") {
    field = `resources.${second}`;
  }
  return SHOWN.has(field) ? field : "form";
}

/** Errors of a failed parse, one per field (the first issue wins). */
export function fieldErrorsOf(values: SpawnFormValues, error: core.$ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = formFieldOf(values, issue.path);
    const message = issue.code === "invalid_type" && field.startsWith("resources.")
      ? "enter a number"
      : issue.message;
    errors[field] ??= message;
  }
  return errors;
}

/**
 * Refusal codes the form puts on a field although the server names none:
 * a name already taken is a refusal of the whole request, fixed by renaming.
 */
const FIELD_OF_CODE: Record<string, string> = { name_taken: "name" };

/**
 * Where a server refusal of the spawn goes on the form: each entry of its
 * `fields` on the field it concerns (entries the form does not show go to
 * the alert, `form`, with the whole message); no fields, the alert.
 */
export function refusalErrors(
  values: SpawnFormValues,
  refusal: { code: string; message: string; fields?: Record<string, string> },
): FieldErrors {
  const errors: FieldErrors = {};
  for (const [path, message] of Object.entries(refusal.fields ?? {})) {
    const field = formFieldOf(values, pathSegments(path));
    errors[field] ??= field === "form" ? refusal.message : message;
  }
  if (Object.keys(errors).length === 0) {
    errors[FIELD_OF_CODE[refusal.code] ?? "form"] = refusal.message;
  }
  return errors;
}

/** The form checked with the API's schema: the body to send, or errors by field. */
export function checkSpawnForm(
  values: SpawnFormValues,
): { ok: true; body: SpawnAgentBody } | { ok: false; errors: FieldErrors } {
  const parsed = SpawnAgentBody.safeParse(spawnBodyOf(values));
  if (parsed.success) return { ok: true, body: spawnBodyOf(values) as SpawnAgentBody };
  return { ok: false, errors: fieldErrorsOf(values, parsed.error) };
}

/** Plain capabilities in the form's order. */
export const FORM_CAPABILITIES: readonly string[] = PLAIN_CAPABILITIES;

/** What the spawn form offers (island props): its one schema is in kernel/schemas/catalog.ts. */
export type { SpawnCatalog } from "../../kernel/types.ts";
