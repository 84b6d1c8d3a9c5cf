/**
 * The schedule create and edit form (operators). Without JavaScript it POSTs
 * to `/schedules` (create) or `/schedules/{id}` (`action=edit`), which
 * re-render it with inline errors and the typed values. Hydrated, it checks
 * the fields with the API's schema (islands/schedule_form.ts), sends `POST
 * /api/schedules` or `PATCH /api/schedules/{id}`, and opens the schedule's
 * page. While a cron expression or time zone is typed it previews the next
 * five fire times (`GET /api/schedules/preview`, debounced; croner stays on
 * the server) and flags a bad expression inline from the refusal's `fields`.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedEvent, TargetedSubmitEvent } from "preact";
import { useEffect } from "preact/hooks";
import type { SchedulePreview, ScheduleView } from "../kernel/types.ts";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";
import {
  checkScheduleForm,
  type PreviewState,
  type ScheduleField,
  type ScheduleFormValues,
  scheduleRefusalErrors,
  scheduleValuesFrom,
} from "./lib/schedule_form.ts";
import { zonedAndUtc } from "./lib/schedule_format.ts";

/** Props of the form. */
export interface ScheduleFormProps {
  /** The schedule being edited; absent when creating. */
  scheduleId?: string;
  values: ScheduleFormValues;
  errors: Partial<Record<ScheduleField, string>>;
  formError?: string;
  /** Agent names to pick from (create only). */
  agents: string[];
  /** The preview of `values` as the server computed it (cron only). */
  preview?: PreviewState;
}

const DEBOUNCE_MS = 300;

const KIND_HINT: Record<string, string> = {
  cron: "5 fields (minute hour day month weekday) or 6 with seconds first, e.g. 0 9 * * 1-5",
  every: "A duration: 30s, 5m, 2h or 1h30m (people's schedules: 1s at least)",
  at: "One ISO time with a zone, e.g. 2026-03-29T09:00:00Z; fires once, then disables itself",
};

/** The form. */
export default function ScheduleForm(props: ScheduleFormProps): JSX.Element {
  const create = props.scheduleId === undefined;
  const values = useSignal(props.values);
  const errors = useSignal(props.errors);
  const formError = useSignal(props.formError ?? "");
  const preview = useSignal<PreviewState>(props.preview ?? { times: [], errors: {} });
  const previewStatus = useSignal("");
  const busy = useSignal(false);
  const { kind, expr, tz } = values.value;

  useEffect(() => {
    if (kind !== "cron" || expr.trim() === "") {
      preview.value = { times: [], errors: {} };
      previewStatus.value = "";
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      previewStatus.value = "Checking…";
      const query = new URLSearchParams({ cron: expr.trim(), tz: tz.trim() || "UTC" });
      try {
        const result = await apiJson<SchedulePreview>(
          "GET",
          `/api/schedules/preview?${query}`,
          undefined,
        );
        if (abort.signal.aborted) return;
        preview.value = { times: result?.times ?? [], errors: {} };
        previewStatus.value = "";
      } catch (cause) {
        if (abort.signal.aborted) return;
        const refusal = cause instanceof ApiCallError
          ? scheduleRefusalErrors(cause)
          : { errors: {}, formError: (cause as Error).message };
        preview.value = { times: [], errors: refusal.errors };
        previewStatus.value = Object.keys(refusal.errors).length > 0
          ? ""
          : `No preview: ${refusal.formError}`;
      }
    }, DEBOUNCE_MS);
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [kind, expr, tz]);

  async function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const typed = scheduleValuesFrom((name) => data.get(name));
    if (!create) typed.agent = props.values.agent;
    values.value = typed;
    const check = checkScheduleForm(typed, { create });
    if (!check.ok) {
      errors.value = check.errors;
      formError.value = check.formError ?? "";
      return;
    }
    busy.value = true;
    try {
      const saved = create
        ? await apiJson<ScheduleView>("POST", "/api/schedules", check.body)
        : await apiJson<ScheduleView>(
          "PATCH",
          `/api/schedules/${encodeURIComponent(props.scheduleId!)}`,
          check.body,
        );
      location.assign(`/schedules/${encodeURIComponent(saved!.id)}?saved=1`);
    } catch (cause) {
      const refused = cause instanceof ApiCallError
        ? scheduleRefusalErrors(cause)
        : { errors: {}, formError: `saving failed: ${(cause as Error).message}` };
      errors.value = refused.errors;
      formError.value = refused.formError ?? "";
      busy.value = false;
    }
  }

  function set(name: ScheduleField) {
    return (event: TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
      values.value = { ...values.value, [name]: event.currentTarget.value };
    };
  }

  const prefix = create ? "new" : "edit";
  function field(
    name: ScheduleField,
    label: string,
    control: (common: Record<string, unknown>) => JSX.Element,
    hint?: string,
  ): JSX.Element {
    const id = `${prefix}-${name}`;
    const error = errors.value[name] ?? preview.value.errors[name];
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
  const action = create ? "/schedules" : `/schedules/${encodeURIComponent(props.scheduleId!)}`;
  return (
    <form method="post" action={action} class="schedule-form" onSubmit={onSubmit} noValidate>
      <input type="hidden" name="action" value={create ? "create" : "edit"} />
      {formError.value && <p class="form-error" role="alert">{formError.value}</p>}
      <div class="schedule-grid">
        {create &&
          field("agent", "Agent", (c) => (
            <select {...c} onChange={set("agent")}>
              <option value="" selected={v.agent === ""}>Choose an agent…</option>
              {props.agents.map((name) => (
                <option key={name} value={name} selected={v.agent === name}>{name}</option>
              ))}
            </select>
          ))}
        {field("kind", "Fires", (c) => (
          <select {...c} onChange={set("kind")}>
            <option value="cron" selected={v.kind === "cron"}>on a cron expression</option>
            <option value="every" selected={v.kind === "every"}>every interval</option>
            <option value="at" selected={v.kind === "at"}>once, at a time</option>
          </select>
        ))}
        {field(
          "expr",
          v.kind === "cron" ? "Cron expression" : v.kind === "every" ? "Interval" : "Time",
          (c) => (
            <input
              {...c}
              class="mono"
              value={v.expr}
              onInput={set("expr")}
              autocomplete="off"
              spellcheck={false}
            />
          ),
          KIND_HINT[v.kind],
        )}
        {v.kind === "cron" && field(
          "tz",
          "Time zone",
          (c) => <input {...c} value={v.tz} onInput={set("tz")} autocomplete="off" />,
          "IANA name, e.g. UTC or Europe/Berlin",
        )}
      </div>
      {v.kind === "cron" && (
        <div class="schedule-preview" aria-labelledby={`${prefix}-preview-title`}>
          <p id={`${prefix}-preview-title`} class="field-hint">Next five fire times</p>
          <p class="muted small-print" role="status">{previewStatus.value}</p>
          {preview.value.times.length > 0 && (
            <ol class="preview-times" aria-label="Next five fire times">
              {preview.value.times.map((time) => (
                <li key={time}>
                  <time datetime={time}>{zonedAndUtc(time, v.tz.trim() || "UTC")}</time>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
      {field(
        "message",
        "Message",
        (c) => <textarea {...c} rows={3} value={v.message} onInput={set("message")} />,
        "Sent to the agent each time the schedule fires",
      )}
      <div class="schedule-grid">
        {field(
          "catch_up",
          "Missed while down",
          (c) => (
            <select {...c} onChange={set("catch_up")}>
              <option value="once" selected={v.catch_up === "once"}>run once at start</option>
              <option value="skip" selected={v.catch_up === "skip"}>record as missed</option>
            </select>
          ),
        )}
        {field(
          "overlap",
          "If still running",
          (c) => (
            <select {...c} onChange={set("overlap")}>
              <option value="skip" selected={v.overlap === "skip"}>skip this run</option>
              <option value="queue" selected={v.overlap === "queue"}>queue this run</option>
            </select>
          ),
        )}
        {field(
          "max_runtime",
          "Max runtime",
          (c) => (
            <input {...c} value={v.max_runtime} onInput={set("max_runtime")} placeholder="10m" />
          ),
          "Blank: 10m when new, unchanged when editing",
        )}
      </div>
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy.value}>
          {busy.value ? "Saving…" : create ? "Create schedule" : "Save schedule"}
        </button>
      </div>
    </form>
  );
}
