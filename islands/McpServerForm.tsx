/**
 * The form that adds an MCP server (admins). It checks the fields with the
 * API's schema (islands/lib/mcp_form.ts), sends `POST /api/mcp/servers`, and
 * reloads the Integrations page on success; a refusal's `fields` are shown
 * on the controls they name. The transport picks which controls show: a
 * command, arguments, variable names and a working directory for stdio, a
 * URL and header variables for HTTP.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedEvent, TargetedSubmitEvent } from "preact";
import type { McpServerView } from "../kernel/types.ts";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";
import {
  checkMcpForm,
  emptyMcpForm,
  type McpField,
  type McpFormErrors,
  mcpRefusalErrors,
  mcpValuesFrom,
} from "./lib/mcp_form.ts";

/** Props of the form. */
export interface McpServerFormProps {
  /** `--allow-run` names the commands Talon may start; the form says so. */
  runHint?: string;
}

/** The form. */
export default function McpServerForm(props: McpServerFormProps): JSX.Element {
  const values = useSignal(emptyMcpForm());
  const errors = useSignal<McpFormErrors["errors"]>({});
  const formError = useSignal("");
  const busy = useSignal(false);

  async function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const typed = mcpValuesFrom((name) => data.get(name) ?? values.value[name as McpField]);
    values.value = typed;
    const check = checkMcpForm(typed);
    if (!check.ok) {
      errors.value = check.errors;
      formError.value = check.formError ?? "";
      return;
    }
    busy.value = true;
    try {
      const added = await apiJson<McpServerView>("POST", "/api/mcp/servers", check.body);
      location.assign(`/integrations?added=${encodeURIComponent(added!.name)}#mcp`);
    } catch (cause) {
      const refused = cause instanceof ApiCallError
        ? mcpRefusalErrors(cause)
        : { errors: {}, formError: `adding failed: ${(cause as Error).message}` };
      errors.value = refused.errors;
      formError.value = refused.formError ?? "";
      busy.value = false;
    }
  }

  function set(name: McpField) {
    return (event: TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
      values.value = { ...values.value, [name]: event.currentTarget.value };
    };
  }

  function field(
    name: McpField,
    label: string,
    control: (common: Record<string, unknown>) => JSX.Element,
    hint?: string,
  ): JSX.Element {
    const id = `mcp-${name}`;
    const error = errors.value[name];
    const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ");
    return (
      <div class={`field${error ? " field-invalid" : ""}`}>
        <label for={id}>{label}</label>
        {control({
          id,
          name,
          "aria-describedby": described || undefined,
          "aria-invalid": error ? "true" : undefined,
        })}
        {hint && <p id={`${id}-hint`} class="field-hint">{hint}</p>}
        {error && <p id={`${id}-error`} class="field-error">{error}</p>}
      </div>
    );
  }

  const v = values.value;
  const text =
    (name: McpField, extra: Record<string, unknown> = {}) => (c: Record<string, unknown>) => (
      <input
        {...c}
        {...extra}
        value={v[name]}
        onInput={set(name)}
        autocomplete="off"
        spellcheck={false}
      />
    );
  const box = (name: McpField) => (c: Record<string, unknown>) => (
    <textarea {...c} class="mono" rows={3} value={v[name]} onInput={set(name)} spellcheck={false} />
  );
  return (
    <form class="mcp-form" onSubmit={onSubmit} noValidate aria-labelledby="mcp-add-title">
      <h3 id="mcp-add-title">Add a server</h3>
      {formError.value && <p class="form-error" role="alert">{formError.value}</p>}
      <div class="schedule-grid">
        {field(
          "name",
          "Name",
          text("name"),
          "Lowercase letters, digits and _; tools appear as mcp_<name>_<tool>",
        )}
        {field("transport", "Transport", (c) => (
          <select {...c} onChange={set("transport")}>
            <option value="stdio" selected={v.transport === "stdio"}>
              stdio (a local command)
            </option>
            <option value="http" selected={v.transport === "http"}>HTTP (streamable)</option>
          </select>
        ))}
        {field(
          "timeout_s",
          "Timeout (seconds)",
          text("timeout_s", { inputmode: "numeric" }),
          "Per call; 1 to 3600",
        )}
      </div>
      {v.transport === "stdio"
        ? (
          <div class="schedule-grid">
            {field("command", "Command", text("command", { class: "mono" }), props.runHint)}
            {field("args", "Arguments", box("args"), "One per line; passed as an argv, no shell")}
            {field(
              "env",
              "Environment variables",
              text("env", { class: "mono" }),
              "Names only, e.g. HOME GITHUB_TOKEN; nothing else is passed. Values other than HOME, PATH and the like are redacted from output",
            )}
            {field("cwd", "Working directory", text("cwd", { class: "mono" }), "Optional")}
          </div>
        )
        : (
          <div class="schedule-grid">
            {field(
              "url",
              "URL",
              text("url", { class: "mono", inputmode: "url" }),
              "http:// or https://",
            )}
            {field(
              "headers_env",
              "Header variables",
              box("headers_env"),
              "One Header=VARIABLE per line, e.g. Authorization=MCP_TOKEN; values are read from Talon's environment and redacted",
            )}
          </div>
        )}
      {field(
        "tools",
        "Tools allowed",
        text("tools", { class: "mono" }),
        "Optional: the server's tool names to offer, separated by spaces; blank offers all",
      )}
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy.value}>
          {busy.value ? "Adding…" : "Add server"}
        </button>
      </div>
    </form>
  );
}
