/**
 * The Approvals page's requests: each pending one with exactly what will run
 * (tool, arguments pretty-printed, agent, risk, why it is gated, time left
 * counting down) and, for operators, approve and reject (optional reason)
 * buttons; below, the decided history. Without JavaScript each request is a
 * form posting to `/approvals` (`action=approve|reject`, `id`, `reason`).
 * Hydrated, the buttons call `POST /api/approvals/{id}/approve|reject` in
 * place, and an `EventSource` on `GET /api/events/stream?types=approval`
 * (from the newest approval event the page saw) brings new requests in and
 * moves decided ones to the history as they happen. Zod-free.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { JSX, TargetedSubmitEvent } from "preact";
import { useEffect } from "preact/hooks";
import { formatTs } from "../kernel/format.ts";
import type { ApprovalView } from "../kernel/types.ts";
import { ApiCallError, apiJson } from "./lib/api_fetch.ts";
import { timeLeft } from "./lib/schedule_format.ts";

/** Props: the requests as the server saw them. */
export interface ApprovalQueueProps {
  pending: ApprovalView[];
  decided: ApprovalView[];
  /** Operators and admins decide; viewers only see. */
  canDecide: boolean;
  /** Id of the newest `approval` event when the page rendered (0 when none). */
  after: number;
  /** What the last plain POST did, or why it failed. */
  notice?: { text: string; error: boolean };
  /** A rejection reason typed before a refused POST, by request id. */
  reasons?: Record<string, string>;
}

const HISTORY_LIMIT = 50;

const RISK_TONE: Record<string, string> = { low: "muted", medium: "warn", high: "bad" };
const STATUS_TONE: Record<string, string> = {
  pending: "info",
  approved: "ok",
  rejected: "bad",
  expired: "warn",
  cancelled: "muted",
};

function Args(props: { args: Record<string, unknown> }): JSX.Element {
  return <pre class="approval-args"><code>{JSON.stringify(props.args, null, 2)}</code></pre>;
}

/** Pending requests, live, with their decisions; then the history. */
export default function ApprovalQueue(props: ApprovalQueueProps): JSX.Element {
  const pending = useSignal(props.pending);
  const decided = useSignal(props.decided);
  const now = useSignal(Date.now());
  const notice = useSignal(props.notice ?? null);
  const busy = useSignal<string | null>(null);
  const live = useSignal("Showing requests as of loading the page; live updates need JavaScript.");

  /** Puts a request where its status says: pending, or the top of the history. */
  function place(request: ApprovalView): void {
    pending.value = pending.value.filter((r) => r.id !== request.id);
    decided.value = decided.value.filter((r) => r.id !== request.id);
    if (request.status === "pending") {
      pending.value = [...pending.value, request].sort((a, b) =>
        a.created_at.localeCompare(b.created_at)
      );
    } else {
      decided.value = [request, ...decided.value].slice(0, HISTORY_LIMIT);
    }
  }

  useEffect(() => {
    live.value = "Connecting to live updates…";
    const tick = setInterval(() => {
      now.value = Date.now();
    }, 1000);
    const source = new EventSource(`/api/events/stream?types=approval&after=${props.after}`);
    source.onopen = () => {
      live.value = "Live: new requests appear here as agents ask.";
    };
    source.onerror = () => {
      live.value = "Connection lost; reconnecting…";
    };
    let queue = Promise.resolve();
    source.addEventListener("approval", (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as { data?: { id?: unknown } };
      const id = event.data?.id;
      if (typeof id !== "string") return;
      queue = queue.then(async () => {
        try {
          const request = await apiJson<ApprovalView>(
            "GET",
            `/api/approvals/${encodeURIComponent(id)}`,
          );
          if (request) place(request);
        } catch {
          // The next event or a reload shows it.
        }
      });
    });
    return () => {
      clearInterval(tick);
      source.close();
    };
  }, []);

  async function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget;
    const submitter = (event as unknown as SubmitEvent).submitter as HTMLButtonElement | null;
    const data = new FormData(form);
    const id = String(data.get("id") ?? "");
    const decision = submitter?.value === "reject" ? "reject" : "approve";
    const reason = String(data.get("reason") ?? "").trim();
    busy.value = id;
    try {
      const request = await apiJson<ApprovalView>(
        "POST",
        `/api/approvals/${encodeURIComponent(id)}/${decision}`,
        decision === "reject" && reason !== "" ? { reason } : {},
      );
      if (request) place(request);
      notice.value = {
        text: `${decision === "approve" ? "Approved" : "Rejected"} ${request?.tool ?? "the call"}${
          request ? ` for ${request.agent_name}` : ""
        }.`,
        error: false,
      };
    } catch (cause) {
      const text = cause instanceof ApiCallError
        ? cause.fields?.reason ? `Reason ${cause.fields.reason}` : cause.message
        : `Deciding failed: ${(cause as Error).message}`;
      notice.value = { text, error: true };
      if (cause instanceof ApiCallError && cause.status === 409) {
        const request = await apiJson<ApprovalView>(
          "GET",
          `/api/approvals/${encodeURIComponent(id)}`,
        ).catch(() => null);
        if (request) place(request);
      }
    } finally {
      busy.value = null;
    }
  }

  return (
    <div class="approvals">
      <p class="muted small-print" role="status">{live.value}</p>
      {notice.value && (
        <p class={notice.value.error ? "form-error" : "form-notice"} role="alert">
          {notice.value.text}
        </p>
      )}
      <section aria-labelledby="pending-title" class="stack">
        <h2 id="pending-title">
          Pending <span class="muted">({pending.value.length})</span>
        </h2>
        {pending.value.length === 0
          ? (
            <p class="state state-empty muted">
              Nothing waits for a decision. Gated tool calls appear here as agents make them.
            </p>
          )
          : (
            <ul class="approval-list">
              {pending.value.map((r) => (
                <li key={r.id} class="panel approval-card" data-approval={r.id}>
                  <form method="post" action="/approvals" onSubmit={onSubmit}>
                    <input type="hidden" name="id" value={r.id} />
                    <div class="approval-head">
                      <h3>
                        <code>{r.tool}</code>
                        <span class="muted">by</span>
                        <a href={`/agents/${encodeURIComponent(r.agent_id)}`}>{r.agent_name}</a>
                      </h3>
                      <span class={`badge badge-${RISK_TONE[r.risk] ?? "muted"}`}>
                        {r.risk} risk
                      </span>
                    </div>
                    <p class="muted small-print">
                      Gated because {r.rule}. Asked{" "}
                      <time datetime={r.created_at}>{formatTs(r.created_at, { utc: true })}</time>.
                      {" "}
                      Time left:{" "}
                      <time class="approval-left" datetime={r.expires_at}>
                        {timeLeft(r.expires_at, now.value)}
                      </time>
                    </p>
                    <Args args={r.args} />
                    {props.canDecide && (
                      <div class="approval-decide">
                        <div class="field">
                          <label for={`reason-${r.id}`}>Reason if rejected (optional)</label>
                          <input
                            id={`reason-${r.id}`}
                            name="reason"
                            maxLength={2000}
                            value={props.reasons?.[r.id] ?? ""}
                            autocomplete="off"
                          />
                        </div>
                        <div class="actions">
                          <button
                            type="submit"
                            name="action"
                            value="approve"
                            class="btn btn-primary"
                            disabled={busy.value === r.id}
                          >
                            Approve
                          </button>
                          <button
                            type="submit"
                            name="action"
                            value="reject"
                            class="btn btn-danger"
                            disabled={busy.value === r.id}
                          >
                            Reject
                          </button>
                        </div>
                      </div>
                    )}
                  </form>
                </li>
              ))}
            </ul>
          )}
      </section>
      <section aria-labelledby="history-title" class="stack">
        <h2 id="history-title">Decided</h2>
        {decided.value.length === 0
          ? <p class="muted">No decisions yet.</p>
          : (
            <ul class="approval-list">
              {decided.value.map((r) => (
                <li key={r.id} class="panel approval-card approval-done">
                  <div class="approval-head">
                    <h3>
                      <code>{r.tool}</code>
                      <span class="muted">by</span>
                      <a href={`/agents/${encodeURIComponent(r.agent_id)}`}>{r.agent_name}</a>
                    </h3>
                    <span class={`badge badge-${STATUS_TONE[r.status] ?? "muted"}`}>
                      {r.status}
                    </span>
                  </div>
                  <p class="muted small-print">
                    {r.decided_by ? `By ${r.decided_by}` : "Decided"}{" "}
                    {r.decided_at && (
                      <time datetime={r.decided_at}>{formatTs(r.decided_at, { utc: true })}</time>
                    )}
                    {r.reason && <>: {r.reason}</>}
                  </p>
                  <details>
                    <summary>Arguments</summary>
                    <Args args={r.args} />
                  </details>
                </li>
              ))}
            </ul>
          )}
      </section>
    </div>
  );
}
