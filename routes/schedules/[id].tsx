/**
 * `/schedules/{id}`: one schedule — its timing, message, next fire time (its
 * zone and UTC), last outcome, the run history (`?before=<run id>` pages
 * back) and, for operators, the enable toggle, run now and the edit form
 * (rows owned by a manifest are edited through their agent). POST is the
 * same page without JavaScript (operators): `action=enable|disable|run`
 * (then 303 to `back`, a path on this site, or the page) and `action=edit`,
 * checked with `ScheduleEdit`, re-rendering with inline errors and the typed
 * values on a refusal.
 */
import type { JSX } from "preact";
import { Button } from "../../components/Button.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Layout } from "../../components/Layout.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { previewOf } from "../../components/schedules/schedule_page.ts";
import {
  LastRun,
  NextRun,
  RunTable,
  ScheduleActions,
  Timing,
} from "../../components/schedules/ScheduleParts.tsx";
import { actorOf, pathParam, type RouteHandlers } from "../../http/define.ts";
import { statusOf } from "../../http/errors.ts";
import { ScheduleForm } from "../../http/islands.gen.ts";
import { page, type PageRequest, safeNext } from "../../http/page.tsx";
import {
  checkScheduleForm,
  type ScheduleFormErrors,
  type ScheduleFormValues,
  scheduleRefusalErrors,
  scheduleValuesFrom,
  scheduleValuesOf,
} from "../../islands/lib/schedule_form.ts";
import { formatTs } from "../../kernel/format.ts";
import { TalonError } from "../../kernel/mod.ts";
import { roleAtLeast, ScheduleRunsQuery, type ScheduleView } from "../../kernel/types.ts";

const RUNS_LIMIT = 25;

interface PageState {
  edit?: { values: ScheduleFormValues } & ScheduleFormErrors;
  notice?: string;
}

function findSchedule(p: PageRequest): ScheduleView | Response {
  const id = pathParam(p.c, "id");
  try {
    return p.kernel.schedules.get(id);
  } catch (error) {
    if (!(error instanceof TalonError) || error.code !== "not_found") throw error;
    return p.render(
      <Layout page={p} title="Schedule not found">
        <ErrorState
          title="Schedule not found"
          message={`No schedule has the id "${id}". It may have been removed.`}
          action={<Button href="/schedules">All schedules</Button>}
        />
      </Layout>,
      { status: 404 },
    );
  }
}

function SchedulePage(
  props: { p: PageRequest; schedule: ScheduleView; state: PageState },
): JSX.Element {
  const { p, schedule: s, state } = props;
  const operator = roleAtLeast(p.principal.role, "operator");
  const self = `/schedules/${encodeURIComponent(s.id)}`;
  const query = ScheduleRunsQuery.safeParse({
    limit: RUNS_LIMIT,
    before: p.url.searchParams.get("before") ?? undefined,
  });
  const runs = p.kernel.schedules.runs(s.id, query.success ? query.data : { limit: RUNS_LIMIT });
  const values = state.edit?.values ?? scheduleValuesOf(s);
  const title = `Schedule of ${s.agent_name}`;
  return (
    <Layout page={p} title={title}>
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href="/schedules">Schedules</a> <span aria-hidden="true">/</span>{" "}
        <span aria-current="page">{s.id.slice(0, 8)}</span>
      </nav>
      <PageHeader
        title={title}
        description={<Timing schedule={s} />}
        actions={operator && <ScheduleActions schedule={s} back={self} />}
      />
      {state.notice && <p class="form-error" role="alert">{state.notice}</p>}
      {p.url.searchParams.has("saved") && !state.edit && (
        <p class="form-notice" role="status">Saved.</p>
      )}
      <section class="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">Schedule</h2>
        <dl class="facts">
          <dt>Agent</dt>
          <dd>
            <a href={`/agents/${encodeURIComponent(s.agent_id)}`}>{s.agent_name}</a>
          </dd>
          <dt>Message</dt>
          <dd class="schedule-message">{s.message}</dd>
          <dt>Next run</dt>
          <dd>
            <NextRun schedule={s} />
          </dd>
          <dt>Last run</dt>
          <dd>
            <LastRun schedule={s} />
          </dd>
          <dt>Enabled</dt>
          <dd>{s.enabled ? "on" : "off"}</dd>
          <dt>Policies</dt>
          <dd>
            missed runs: {s.catch_up === "once" ? "run once at start" : "recorded as missed"}{" "}
            · overlap: {s.overlap} · max runtime: {s.max_runtime}
          </dd>
          <dt>Owner</dt>
          <dd>
            {s.owner === "manifest" ? "the agent's manifest" : s.owner} ({s.created_by},{"  "}
            <time datetime={s.created_at}>{formatTs(s.created_at, { utc: true })}</time>)
          </dd>
        </dl>
      </section>
      <section id="runs" class="panel" aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        <RunTable runs={runs.runs} />
        {(runs.next_before !== null || p.url.searchParams.has("before")) && (
          <p class="actions">
            {p.url.searchParams.has("before") && (
              <a class="btn btn-small" href={`${self}#runs`}>Newest runs</a>
            )}
            {runs.next_before !== null && (
              <a class="btn btn-small" href={`${self}?before=${runs.next_before}#runs`}>
                Older runs
              </a>
            )}
          </p>
        )}
      </section>
      {operator && (
        <section id="edit" class="panel" aria-labelledby="edit-title">
          <h2 id="edit-title">Edit</h2>
          {s.owner === "manifest"
            ? (
              <p class="muted">
                This schedule follows its agent's manifest <code>[schedule]</code>; edit it on the
                {" "}
                <a href={`/agents/${encodeURIComponent(s.agent_id)}#edit`}>agent's page</a>.
              </p>
            )
            : (
              <ScheduleForm
                scheduleId={s.id}
                values={values}
                errors={state.edit?.errors ?? {}}
                formError={state.edit?.formError}
                agents={[]}
                preview={previewOf(p.kernel, values)}
              />
            )}
        </section>
      )}
    </Layout>
  );
}

export const handler: RouteHandlers = {
  GET: page("viewer", (p) => {
    const schedule = findSchedule(p);
    return schedule instanceof Response
      ? schedule
      : <SchedulePage p={p} schedule={schedule} state={{}} />;
  }),
  POST: page("operator", async (p) => {
    const schedule = findSchedule(p);
    if (schedule instanceof Response) return schedule;
    const form = await p.c.req.parseBody();
    const field = (name: string) => (typeof form[name] === "string" ? form[name] as string : "");
    const self = `/schedules/${encodeURIComponent(schedule.id)}`;
    const options = { actor: actorOf(p.c) };
    const render = (state: PageState, status: number) =>
      p.render(<SchedulePage p={p} schedule={schedule} state={state} />, { status });
    const back = field("back") === "" ? self : safeNext(field("back"));
    try {
      switch (field("action")) {
        case "enable":
          p.kernel.schedules.enable(schedule.id, options);
          return p.redirect(back);
        case "disable":
          p.kernel.schedules.disable(schedule.id, options);
          return p.redirect(back);
        case "run":
          p.kernel.schedules.runNow(schedule.id, options);
          return p.redirect(back);
        case "edit": {
          const values = { ...scheduleValuesFrom(field), agent: schedule.agent_name };
          const check = checkScheduleForm(values, { create: false });
          if (!check.ok) return render({ edit: { values, ...check } }, 400);
          try {
            p.kernel.schedules.update(schedule.id, check.body, options);
          } catch (error) {
            if (!(error instanceof TalonError)) throw error;
            return render(
              { edit: { values, ...scheduleRefusalErrors(error) } },
              statusOf(error.code),
            );
          }
          return p.redirect(`${self}?saved=1`);
        }
        default:
          return render(
            { notice: `Unknown action "${field("action")}": use the page's buttons.` },
            400,
          );
      }
    } catch (error) {
      if (!(error instanceof TalonError)) throw error;
      return render({ notice: error.message }, statusOf(error.code));
    }
  }),
};
