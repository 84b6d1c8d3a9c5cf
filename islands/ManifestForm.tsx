/**
 * "Spawn from manifest": paste an agent manifest (TOML or JSON) or pick a
 * `.toml`/`.json` file. Without JavaScript it is a multipart form POST to
 * `/agents` (the file, else the text). Hydrated, the file is read in the
 * browser into the text box, and the text is sent to `POST /api/agents` as
 * `application/toml` (or `application/json` when it is a JSON object); a
 * refusal is shown under the box with one line per field it names
 * (`capabilities.2: …`), the text kept; success goes to the agent.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedEvent } from "preact";
import { useRef } from "preact/hooks";
import { ApiCallError, apiFetch } from "./lib/api_fetch.ts";
import { isJsonText } from "../kernel/vocabulary.ts";

/** Props: the text and error of a form POST that failed. */
export interface ManifestFormProps {
  text: string;
  error?: string;
  /** The refusal's messages by manifest field path. */
  fields?: Record<string, string>;
}

const EXAMPLE = `name = "researcher"
description = "Finds and summarises sources"
capabilities = ["net_connect:*", "memory_read", "memory_write"]

[resources]
max_cost_usd_per_day = 1.0`;

/** Text box, file picker and submit button. */
export default function ManifestForm(props: ManifestFormProps): JSX.Element {
  const error = useSignal(props.error ?? "");
  const fields = useSignal(props.fields ?? {});
  const busy = useSignal(false);
  const textarea = useRef<HTMLTextAreaElement>(null);

  async function onFile(event: TargetedEvent<HTMLInputElement, Event>): Promise<void> {
    const file = event.currentTarget.files?.[0];
    if (!file || !textarea.current) return;
    textarea.current.value = await file.text();
    error.value = "";
    fields.value = {};
  }

  async function onSubmit(event: TargetedEvent<HTMLFormElement, SubmitEvent>): Promise<void> {
    event.preventDefault();
    const text = textarea.current?.value ?? "";
    if (text.trim() === "") {
      error.value = "Paste a manifest or choose a file first.";
      textarea.current?.focus();
      return;
    }
    busy.value = true;
    error.value = "";
    fields.value = {};
    try {
      const response = await apiFetch("POST", "/api/agents", {
        body: { text, type: isJsonText(text) ? "application/json" : "application/toml" },
      });
      const agent = await response.json() as { id: string };
      location.assign(`/agents/${encodeURIComponent(agent.id)}`);
    } catch (cause) {
      error.value = cause instanceof ApiCallError ? cause.message : String(cause);
      fields.value = cause instanceof ApiCallError ? cause.fields ?? {} : {};
      busy.value = false;
      textarea.current?.focus();
    }
  }

  const invalid = error.value !== "";
  return (
    <form
      method="post"
      action="/agents#manifest"
      encType="multipart/form-data"
      class="manifest-form"
      aria-busy={busy.value}
      onSubmit={onSubmit}
    >
      <input type="hidden" name="kind" value="manifest" />
      <div class="field">
        <label for="manifest-file">Manifest file</label>
        <input
          id="manifest-file"
          name="file"
          type="file"
          accept=".toml,.json,application/toml,application/json"
          aria-describedby="manifest-file-hint"
          onChange={onFile}
        />
        <p id="manifest-file-hint" class="field-hint">
          A <code>.toml</code> or <code>.json</code> agent manifest; its text appears below.
        </p>
      </div>
      <div class={invalid ? "field field-invalid" : "field"}>
        <label for="manifest-text">Manifest (TOML or JSON)</label>
        <textarea
          ref={textarea}
          id="manifest-text"
          name="manifest"
          rows={8}
          class="mono"
          spellcheck={false}
          placeholder={EXAMPLE}
          aria-describedby={invalid
            ? Object.keys(fields.value).length > 0
              ? "manifest-text-error manifest-fields"
              : "manifest-text-error"
            : undefined}
          aria-invalid={invalid ? "true" : undefined}
        >
          {props.text}
        </textarea>
        {invalid && <p id="manifest-text-error" class="field-error" role="alert">{error.value}</p>}
        {invalid && Object.keys(fields.value).length > 0 && (
          <ul id="manifest-fields" class="field-error" aria-label="Fields to fix">
            {Object.entries(fields.value).map(([path, message]) => (
              <li key={path}>
                <code>{path}</code>: {message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy.value}>
          {busy.value ? "Spawning…" : "Spawn from manifest"}
        </button>
      </div>
    </form>
  );
}
