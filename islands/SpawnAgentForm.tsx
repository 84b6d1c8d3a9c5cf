/**
 * The spawn form. Without JavaScript it is a plain form POST to `/agents`
 * (the page answers with the form again, errors inline and every typed
 * value kept, or 303 to the new agent). Hydrated, it checks the values with
 * the API's own schema (SpawnAgentBody, through islands/lib/spawn_form.ts),
 * posts JSON to `POST /api/agents`, shows refusals on the fields the
 * server's `fields` name (a capability beyond max_capabilities, an unknown
 * tool, a provider without a key; a name taken goes on the name), and
 * goes to `/agents/{id}` on success.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedEvent } from "preact";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";
import {
  checkSpawnForm,
  type FieldErrors,
  refusalErrors,
  RESOURCE_FIELDS,
  type ResourceField,
  type SpawnCatalog,
  type SpawnFormValues,
  spawnValuesOf,
} from "./lib/spawn_form.ts";
import { CheckGroup, ListField, TextField } from "./lib/spawn_fields.tsx";

/** Props: what to offer, and the values and errors of a form POST that failed. */
export interface SpawnAgentFormProps {
  catalog: SpawnCatalog;
  values: SpawnFormValues;
  errors: FieldErrors;
}

const RESOURCE_LABELS: Record<ResourceField, { label: string; step: string }> = {
  max_tokens_per_hour: { label: "Tokens per hour", step: "1" },
  max_cost_usd_per_day: { label: "USD per day", step: "0.01" },
  max_tool_calls_per_minute: { label: "Tool calls per minute", step: "1" },
  max_iterations: { label: "Iterations per turn", step: "1" },
};

function ModelSelect(
  props: { catalog: SpawnCatalog; provider: string; model: string; error?: string },
): JSX.Element {
  const { catalog } = props;
  const chosen = catalog.providers.find((p) => p.name === props.provider) ??
    catalog.providers.find((p) => p.default);
  const kinds = chosen && props.provider !== "" ? [chosen.kind] : [
    ...new Set(catalog.providers.map((p) => p.kind)),
  ];
  const known = new Set(catalog.models.map((m) => m.id));
  return (
    <div class={props.error ? "field field-invalid" : "field"}>
      <label for="spawn-model">Model</label>
      <select
        id="spawn-model"
        name="model"
        aria-describedby={props.error ? "spawn-model-error" : undefined}
        aria-invalid={props.error ? "true" : undefined}
      >
        <option value="" selected={props.model === ""}>
          {chosen ? `Provider default (${chosen.default_model})` : "Provider default"}
        </option>
        {props.model !== "" && !known.has(props.model) && (
          <option value={props.model} selected>{props.model}</option>
        )}
        {kinds.map((kind) => {
          const models = catalog.models.filter((m) => m.provider === kind);
          if (models.length === 0) return null;
          return (
            <optgroup key={kind} label={kind}>
              {models.map((m) => (
                <option key={m.id} value={m.id} selected={m.id === props.model}>{m.id}</option>
              ))}
            </optgroup>
          );
        })}
      </select>
      {props.error && <p id="spawn-model-error" class="field-error">{props.error}</p>}
    </div>
  );
}

/** The spawn form: identity, model, capabilities, tools, skills, budgets. */
export default function SpawnAgentForm(props: SpawnAgentFormProps): JSX.Element {
  const values = useSignal<SpawnFormValues>(props.values);
  const errors = useSignal<FieldErrors>(props.errors);
  const busy = useSignal(false);
  const { catalog } = props;

  function read(form: HTMLFormElement): SpawnFormValues {
    const data = new FormData(form);
    return spawnValuesOf((name) => data.getAll(name));
  }

  function focusFirstError(form: HTMLFormElement): void {
    queueMicrotask(() => {
      const invalid = form.querySelector<HTMLElement>(
        ".field-invalid input:not([disabled]), .field-invalid select, .field-invalid textarea",
      );
      (invalid ?? form.querySelector<HTMLElement>(".spawn-alert"))?.focus();
    });
  }

  async function onSubmit(event: TargetedEvent<HTMLFormElement, SubmitEvent>): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget;
    values.value = read(form);
    const checked = checkSpawnForm(values.value);
    if (!checked.ok) {
      errors.value = checked.errors;
      focusFirstError(form);
      return;
    }
    busy.value = true;
    errors.value = {};
    try {
      const agent = await apiJson<{ id: string }>("POST", "/api/agents", checked.body);
      location.assign(`/agents/${encodeURIComponent(agent!.id)}`);
    } catch (cause) {
      errors.value = cause instanceof ApiCallError
        ? refusalErrors(values.value, cause)
        : { form: String(cause) };
      busy.value = false;
      focusFirstError(form);
    }
  }

  const v = values.value;
  const e = errors.value;
  const count = Object.keys(e).length;
  return (
    <form
      method="post"
      action="/agents#spawn"
      class="spawn-form"
      noValidate
      aria-busy={busy.value}
      onSubmit={onSubmit}
      onInput={(event) => values.value = read(event.currentTarget)}
    >
      <input type="hidden" name="kind" value="form" />
      {count > 0 && (
        <div class="state state-error spawn-alert" role="alert" tabIndex={-1}>
          <p class="state-title">
            {e.form ??
              `The agent was not spawned: fix the ${
                count === 1 ? "field" : "fields"
              } marked below.`}
          </p>
        </div>
      )}
      <div class="spawn-grid">
        <TextField
          name="name"
          label="Name"
          value={v.name}
          error={e.name}
          required
          placeholder="research-bot"
          hint="A slug: lowercase letters, digits, '-' or '_'."
        />
        <TextField
          name="description"
          label="Description"
          value={v.description}
          error={e.description}
          placeholder="What this agent is for"
        />
        <div class={e.provider ? "field field-invalid" : "field"}>
          <label for="spawn-provider">Provider</label>
          <select
            id="spawn-provider"
            name="provider"
            aria-describedby={e.provider ? "spawn-provider-error" : undefined}
            aria-invalid={e.provider ? "true" : undefined}
          >
            <option value="" selected={v.provider === ""}>
              Default ({catalog.providers.find((p) => p.default)?.name ?? "none"})
            </option>
            {catalog.providers.map((p) => (
              <option key={p.name} value={p.name} selected={v.provider === p.name}>
                {p.configured ? p.name : `${p.name} (not configured)`}
              </option>
            ))}
          </select>
          {e.provider && <p id="spawn-provider-error" class="field-error">{e.provider}</p>}
        </div>
        <ModelSelect catalog={catalog} provider={v.provider} model={v.model} error={e.model} />
      </div>
      <TextField
        name="system_prompt"
        label="System prompt"
        type="textarea"
        rows={4}
        value={v.system_prompt}
        error={e.system_prompt}
        placeholder="You are a helpful assistant."
        hint="Blank: “You are a helpful assistant.”"
      />
      <CheckGroup
        name="capabilities"
        legend="Capabilities"
        checked={v.capabilities}
        error={e.capabilities}
        hint="What the agent's tools may do. Greyed out: beyond max_capabilities in the config."
        options={catalog.capabilities.map((c) => ({
          value: c.name,
          label: <span class="mono">{c.name}</span>,
          detail: c.allowed ? undefined : "not allowed by max_capabilities",
          disabled: !c.allowed,
        }))}
      />
      <div class="spawn-grid">
        <ListField
          name="net_connect"
          label="Network hosts"
          prefix="net_connect:"
          values={v.net_connect}
          error={e.net_connect}
          placeholder="api.example.com"
          disabled={catalog.netGrants.length === 0}
          hint={catalog.netGrants.length === 0
            ? "Not allowed by max_capabilities."
            : `Host patterns (*.example.com, host:443). Allowed: ${catalog.netGrants.join(", ")}.`}
        />
        <ListField
          name="env_read"
          label="Environment variables"
          prefix="env_read:"
          values={v.env_read}
          error={e.env_read}
          placeholder="API_KEY"
          disabled={catalog.envGrants.length === 0}
          hint={catalog.envGrants.length === 0
            ? "Not allowed by max_capabilities (add env_read:<KEY> there to offer it)."
            : `Keys the agent may read. Allowed: ${catalog.envGrants.join(", ")}.`}
        />
      </div>
      <CheckGroup
        name="tools"
        legend="Tools"
        checked={v.tools}
        error={e.tools}
        hint="None checked: the capability-free built-ins (and memory tools when held)."
        options={catalog.tools.map((t) => ({
          value: t.name,
          label: <span class="mono">{t.name}</span>,
          detail: `${t.risk} risk${
            t.capabilities && t.capabilities.length > 0
              ? ` · needs ${t.capabilities.join(", ")}`
              : ""
          }`,
        }))}
      />
      {catalog.skills.length > 0 && (
        <CheckGroup
          name="skills"
          legend="Skills"
          checked={v.skills}
          error={e.skills}
          hint="Attaching a skill adds its tools and instructions."
          options={catalog.skills.map((s) => ({
            value: s.name,
            label: <span class="mono">{s.name}</span>,
            detail: s.ready ? s.description : `refused: ${s.reason ?? "unknown reason"}`,
            disabled: !s.ready,
          }))}
        />
      )}
      <fieldset class="spawn-group">
        <legend>Budgets</legend>
        <p class="field-hint">Blank: the configured caps. A manifest can only lower them.</p>
        <div class="spawn-grid spawn-grid-4">
          {RESOURCE_FIELDS.map((field) => (
            <TextField
              key={field}
              name={field}
              label={RESOURCE_LABELS[field].label}
              type="number"
              min="0"
              step={RESOURCE_LABELS[field].step}
              value={v.resources[field]}
              error={e[`resources.${field}`]}
            />
          ))}
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy.value}>
          {busy.value ? "Spawning…" : "Spawn agent"}
        </button>
      </div>
    </form>
  );
}
