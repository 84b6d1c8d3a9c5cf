/**
 * The MCP server add form's values and how they become a `McpServerAddBody`,
 * checked with the API's own schema (kernel/schemas/mcp_input.ts) in the
 * browser; the same refusal shape (`fields` by dotted path) comes back from
 * `POST /api/mcp/servers`. A refusal's path is shown on the control that
 * holds it: `args.2` on the arguments box, `headers_env.X-Key` on the header
 * box. Browser-safe.
 *
 * @module
 */
import { McpServerAddBody } from "../../kernel/schemas/mcp_input.ts";

/** What the form holds, exactly as typed. */
export interface McpFormValues {
  name: string;
  transport: string;
  command: string;
  /** One argument per line. */
  args: string;
  /** Variable names, separated by spaces or commas. */
  env: string;
  cwd: string;
  url: string;
  /** One `Header=VARIABLE` per line. */
  headers_env: string;
  timeout_s: string;
  /** Tool names, separated by spaces or commas; blank offers every tool. */
  tools: string;
}

/** A control of the form. */
export type McpField = keyof McpFormValues;

/** Every control, in form order. */
export const MCP_FIELDS: readonly McpField[] = [
  "name",
  "transport",
  "command",
  "args",
  "env",
  "cwd",
  "url",
  "headers_env",
  "timeout_s",
  "tools",
];

/** Errors by control and one for the whole form. */
export interface McpFormErrors {
  errors: Partial<Record<McpField, string>>;
  formError?: string;
}

/** A checked form: the body to send, or errors. */
export type McpFormCheck = { ok: true; body: McpServerAddBody } | ({ ok: false } & McpFormErrors);

/** A fresh form: a stdio server with the default timeout. */
export function emptyMcpForm(): McpFormValues {
  return {
    name: "",
    transport: "stdio",
    command: "",
    args: "",
    env: "",
    cwd: "",
    url: "",
    headers_env: "",
    timeout_s: "60",
    tools: "",
  };
}

/** The values of a submitted form (`get` reads a control by name). */
export function mcpValuesFrom(get: (name: string) => unknown): McpFormValues {
  const values = emptyMcpForm();
  for (const field of MCP_FIELDS) {
    const v = get(field);
    values[field] = typeof v === "string" ? v : "";
  }
  return values;
}

const words = (text: string): string[] => text.split(/[\s,]+/).filter((w) => w !== "");
const lines = (text: string): string[] =>
  text.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.trim() !== "");

/** A number when `text` is one, else the text (so the schema names the field). */
function numberOr(text: string): number | string {
  const t = text.trim();
  return t !== "" && Number.isFinite(Number(t)) ? Number(t) : t;
}

/**
 * The request body of `values`: only the chosen transport's fields, blanks
 * left out so defaults apply. A header line without `=` is kept as a key
 * with an empty variable, which the schema refuses on that field.
 */
export function mcpBodyOf(values: McpFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: values.name.trim(),
    transport: values.transport,
  };
  if (values.transport === "stdio") {
    body.command = values.command.trim();
    const args = lines(values.args);
    if (args.length > 0) body.args = args;
    const env = words(values.env);
    if (env.length > 0) body.env = env;
    if (values.cwd.trim() !== "") body.cwd = values.cwd.trim();
  } else {
    body.url = values.url.trim();
    const headers = lines(values.headers_env);
    if (headers.length > 0) {
      body.headers_env = Object.fromEntries(headers.map((line) => {
        const at = line.indexOf("=");
        return at < 0 ? [line.trim(), ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
      }));
    }
  }
  if (values.timeout_s.trim() !== "") body.timeout_s = numberOr(values.timeout_s);
  const tools = words(values.tools);
  if (tools.length > 0) body.tools = tools;
  return body;
}

/** The control a refusal's dotted path belongs to, if any. */
function fieldOf(path: string): McpField | undefined {
  const head = path.split(".")[0] as McpField;
  return MCP_FIELDS.includes(head) ? head : undefined;
}

/** Refusal fields (dotted paths) as errors on the controls holding them; the first per control. */
export function mcpFieldErrors(fields: Record<string, string>): McpFormErrors["errors"] {
  const errors: McpFormErrors["errors"] = {};
  for (const [path, message] of Object.entries(fields)) {
    const field = fieldOf(path);
    if (field === undefined) continue;
    const rest = path.slice(field.length + 1);
    errors[field] ??= rest === "" ? message : `${rest}: ${message}`;
  }
  return errors;
}

/** Checks `values` with the API's schema; the body to send, or errors by control. */
export function checkMcpForm(values: McpFormValues): McpFormCheck {
  const parsed = McpServerAddBody.safeParse(mcpBodyOf(values));
  if (parsed.success) return { ok: true, body: parsed.data };
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join(".") || "transport";
    fields[path] ??= issue.message;
  }
  return { ok: false, errors: mcpFieldErrors(fields), formError: "Fix the marked fields." };
}

/** A refusal (API error) as errors on the controls its `fields` name. */
export function mcpRefusalErrors(
  refusal: { message: string; fields?: Record<string, string> },
): McpFormErrors {
  return { errors: mcpFieldErrors(refusal.fields ?? {}), formError: refusal.message };
}
