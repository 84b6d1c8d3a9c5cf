/**
 * "Verify chain": without JavaScript a GET form to `/audit?verify=1`, which
 * renders the result; hydrated, it calls `GET /api/audit/verify` and shows
 * the result in place (intact or broken, entry count, head hash).
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedSubmitEvent } from "preact";
import type { AuditVerification } from "../kernel/types.ts";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";

/** Props: a result the server already computed, and filters to keep on the no-JS reload. */
export interface AuditVerifyProps {
  result: AuditVerification | null;
  keep: Record<string, string>;
}

function Result(props: { result: AuditVerification }): JSX.Element {
  const { result } = props;
  return (
    <div class={`verify-result ${result.ok ? "verify-ok" : "verify-broken"}`}>
      <p class="verify-title">
        {result.ok
          ? `Audit chain intact: ${result.entries} entries`
          : `Audit chain BROKEN at entry ${result.first_broken?.id}`}
      </p>
      {!result.ok && <p>{result.first_broken?.reason} ({result.entries} entries in the log)</p>}
      {result.head && (
        <p class="verify-hash">
          <span class="muted">Head #{result.head.id}:</span> <code>{result.head.hash}</code>
        </p>
      )}
      <p class="muted small-print">
        Note the head hash outside Talon: a later check that it is still there detects a truncated
        log.
      </p>
    </div>
  );
}

/** The verify button and its result. */
export default function AuditVerify(props: AuditVerifyProps): JSX.Element {
  const result = useSignal<AuditVerification | null>(props.result);
  const error = useSignal("");
  const busy = useSignal(false);

  async function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    busy.value = true;
    error.value = "";
    try {
      result.value = await apiJson<AuditVerification>("GET", "/api/audit/verify");
    } catch (cause) {
      error.value = cause instanceof ApiCallError ? cause.message : (cause as Error).message;
    } finally {
      busy.value = false;
    }
  }

  return (
    <div class="verify">
      <form method="get" action="/audit" class="inline-form" onSubmit={onSubmit}>
        {Object.entries(props.keep).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="verify" value="1" />
        <button type="submit" class="btn btn-primary" disabled={busy.value}>
          {busy.value ? "Verifying…" : "Verify chain"}
        </button>
      </form>
      <div role="status" aria-live="polite">
        {result.value && <Result result={result.value} />}
        {error.value && <p class="field-error">{error.value}</p>}
      </div>
    </div>
  );
}
