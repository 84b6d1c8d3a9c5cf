/**
 * Parts of the Hands pages: a catalog card (icon, what the Hand does, its
 * requirements met or missing with the fix), the requirement list, and an
 * instance panel (state, metrics, next run, last runs with their cost, its
 * reports, and plain-form lifecycle buttons that work without JavaScript).
 *
 * @module
 */
import type { JSX } from "preact";
import { formatTs, formatUsd } from "../../kernel/format.ts";
import type {
  HandInstanceView,
  HandView,
  ReportSummary,
  RequirementStatus,
} from "../../kernel/types.ts";
import { StateBadge } from "../StateBadge.tsx";

/** Requirements, each met (what was found) or missing (what is wrong and the fix). */
export function Requirements(props: { requirements: RequirementStatus[] }): JSX.Element {
  if (props.requirements.length === 0) {
    return <p class="muted small-print">No requirements: it runs on any Talon.</p>;
  }
  return (
    <ul class="hand-reqs">
      {props.requirements.map((r) => (
        <li key={`${r.kind}:${r.name}:${r.value ?? ""}`} class={r.met ? "req-met" : "req-missing"}>
          <span class={r.met ? "badge badge-ok" : "badge badge-bad"}>
            {r.met ? "met" : "missing"}
          </span>{" "}
          <strong>{r.label}</strong> <span class="muted">{r.detail}</span>
          {!r.met && <p class="req-fix">Fix: {r.fix}</p>}
        </li>
      ))}
    </ul>
  );
}

/** One Hand in the catalog, linking to its page and activation form. */
export function HandCard(props: { hand: HandView; operator: boolean }): JSX.Element {
  const { manifest: m, ready, instances } = props.hand;
  const href = `/hands/${encodeURIComponent(m.id)}`;
  return (
    <article class="hand-card" aria-labelledby={`hand-${m.id}-title`}>
      <div class="hand-card-head">
        <span class="hand-icon" aria-hidden="true">{m.icon}</span>
        <div>
          <h3 id={`hand-${m.id}-title`}>
            <a href={href}>{m.name}</a>
          </h3>
          <p class="muted small-print">{m.category} · v{m.version}</p>
        </div>
        <span class={ready ? "badge badge-ok" : "badge badge-warn"}>
          {ready ? "ready" : "needs setup"}
        </span>
      </div>
      <p class="hand-desc">{m.description}</p>
      <Requirements requirements={props.hand.requirements} />
      <div class="hand-card-foot">
        <span class="muted small-print">
          {instances.length > 0 ? `Active: ${instances.join(", ")}` : "Not active"}
        </span>
        {props.operator && ready && (
          <a class="btn btn-small btn-primary" href={`${href}#activate`}>
            Activate<span class="visually-hidden">{m.name}</span>
          </a>
        )}
      </div>
    </article>
  );
}

function when(ts: string | null): string {
  return ts ? `${formatTs(ts, { seconds: false })} UTC` : "—";
}

function LifecycleButton(
  props: { instance: HandInstanceView; action: string; label: string; danger?: boolean },
): JSX.Element {
  return (
    <form method="post" action="/hands">
      <input type="hidden" name="instance" value={props.instance.id} />
      <button
        type="submit"
        name="action"
        value={props.action}
        class={`btn btn-small ${props.danger ? "btn-danger" : "btn-secondary"}`}
      >
        {props.label}
        <span class="visually-hidden">({props.instance.name})</span>
      </button>
    </form>
  );
}

/** An instance: its state, metrics, next and last runs with cost, reports and actions. */
export function InstancePanel(
  props: { instance: HandInstanceView; reports: ReportSummary[]; operator: boolean },
): JSX.Element {
  const i = props.instance;
  const live = i.state !== "deactivated";
  return (
    <section id={`instance-${i.name}`} class="panel hand-instance" aria-labelledby={`i-${i.id}`}>
      <div class="panel-head">
        <h3 id={`i-${i.id}`}>
          {i.name} <span class="muted small-print">({i.hand_id})</span>
        </h3>
        <StateBadge state={i.state} />
      </div>
      <dl class="facts hand-facts">
        <div>
          <dt>Next run</dt>
          <dd>{i.state === "active" ? when(i.next_run_at) : "—"}</dd>
        </div>
        <div>
          <dt>Schedule</dt>
          <dd class="mono">{i.cron} ({i.tz})</dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd class="mono">{i.model ?? "default"}</dd>
        </div>
        {i.metrics.map((m) => (
          <div key={m.memory_key}>
            <dt>{m.label}</dt>
            <dd>{m.display}</dd>
          </div>
        ))}
      </dl>
      {i.last_runs.length > 0
        ? (
          <div class="table-wrap">
            <table class="table hand-runs">
              <caption class="visually-hidden">Last runs of {i.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Started (UTC)</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Cost</th>
                </tr>
              </thead>
              <tbody>
                {i.last_runs.map((r) => (
                  <tr key={r.id}>
                    <td>
                      #{r.id} <span class="muted">{r.trigger}</span>
                    </td>
                    <td>{r.started_at ? formatTs(r.started_at, { seconds: false }) : "—"}</td>
                    <td>
                      {r.outcome}
                      {r.message && <span class="muted small-print">— {r.message}</span>}
                    </td>
                    <td class="nowrap">{formatUsd(r.cost_usd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
        : <p class="muted small-print">No runs yet.</p>}
      {props.reports.length > 0 && (
        <div class="hand-reports">
          <h4>Reports</h4>
          <ul>
            {props.reports.map((r) => (
              <li key={r.id}>
                <a href={`/hands/reports/${encodeURIComponent(r.id)}`}>{r.title}</a>{" "}
                <span class="muted small-print">{when(r.created_at)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {props.operator && live && (
        <div class="row-actions">
          {i.state === "active"
            ? <LifecycleButton instance={i} action="run" label="Run now" />
            : <LifecycleButton instance={i} action="resume" label="Resume" />}
          {i.state === "active" && <LifecycleButton instance={i} action="pause" label="Pause" />}
          <LifecycleButton instance={i} action="deactivate" label="Deactivate" danger />
        </div>
      )}
    </section>
  );
}
