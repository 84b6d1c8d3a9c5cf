/**
 * `/schedules`: every schedule with its agent, timing, next fire time (its
 * zone and UTC), last outcome, and for operators an enable toggle and run
 * now; below, the create form. POST is that form without JavaScript
 * (operator): checked with `CreateScheduleBody`, the API's schema; success is
 * 303 to `/schedules/{id}`, a refusal re-renders the page with each error on
 * the field its `fields` name and everything typed kept (400, or the
 * refusal's status: 404 unknown agent, …).
 */
import type { JSX } from "preact";
import { Button } from "../../components/Button.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { Layout } from "../../components/Layout.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { previewOf, schedulableAgents } from "../../components/schedules/schedule_page.ts";
import {
  LastRun,
  NextRun,
  ScheduleActions,
  Timing,
} from "../../components/schedules/ScheduleParts.tsx";
import { Table } from "../../components/Table.tsx";
import { actorOf, type RouteHandlers } from "../../http/define.ts";
import { statusOf } from "../../http/errors.ts";
import { ScheduleForm } from "../../http/islands.gen.ts";
import { page, type PageRequest } from "../../http/page.tsx";
import {
  checkScheduleForm,
  emptyScheduleForm,
  type ScheduleFormErrors,
  type ScheduleFormValues,
  scheduleRefusalErrors,
  scheduleValuesFrom,
} from "../../islands/lib/schedule_form.ts";
import { TalonError } from "../../kernel/mod.ts";
import { roleAtLeast, type ScheduleView } from "../../kernel/types.ts";

const MESSAGE_CHARS = 80;

function excerpt(text: string): string {
  return text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS - 1)}…` : text;
}

function SchedulesPage(
  props: { p: PageRequest; form: { values: ScheduleFormValues } & ScheduleFormErrors },
): JSX.Element {
  const { p, form } = props;
  const operator = roleAtLeast(p.principal.role, "operator");
  const schedules = p.kernel.schedules.list({});
  const agents = schedulableAgents(p.kernel);
  const firing = p.kernel.schedules.firing;
  return (
    <Layout page={p} title="Schedules">
      <PageHeader
        title="Schedules"
        description={firing
          ? "Messages sent to agents on a timetable, with nobody prompting them."
          : "Messages sent to agents on a timetable. They fire only while talon serve runs."}
        actions={operator && <Button href="#new" variant="primary">New schedule</Button>}
      />
      <Table<ScheduleView>
        caption="Schedules"
        rows={schedules}
        rowKey={(s) => s.id}
        empty={
          <EmptyState
            title="No schedules yet"
            message={operator
              ? "Create one below, or give an agent a [schedule] in its manifest."
              : "An operator can create one."}
          />
        }
        columns={[
          {
            label: "Agent",
            cell: (s) => <a href={`/agents/${encodeURIComponent(s.agent_id)}`}>{s.agent_name}</a>,
          },
          {
            label: "Schedule",
            cell: (s) => (
              <a class="schedule-link" href={`/schedules/${encodeURIComponent(s.id)}`}>
                <Timing schedule={s} />
              </a>
            ),
          },
          {
            label: "Message",
            cell: (s) => <span class="schedule-message">{excerpt(s.message)}</span>,
          },
          { label: "Next run", cell: (s) => <NextRun schedule={s} /> },
          { label: "Last run", cell: (s) => <LastRun schedule={s} /> },
          {
            label: "Enabled",
            cell: (s) =>
              operator
                ? <ScheduleActions schedule={s} back="/schedules" />
                : <span>{s.enabled ? "on" : "off"}</span>,
          },
        ]}
      />
      {operator && (
        <section id="new" class="panel" aria-labelledby="new-title">
          <h2 id="new-title">New schedule</h2>
          {agents.length === 0
            ? (
              <EmptyState
                title="No agent to schedule"
                message="Spawn an agent first; a schedule sends it a message."
                action={<Button href="/agents#spawn">Spawn agent</Button>}
              />
            )
            : (
              <ScheduleForm
                values={form.values}
                errors={form.errors}
                formError={form.formError}
                agents={agents}
                preview={previewOf(p.kernel, form.values)}
              />
            )}
        </section>
      )}
    </Layout>
  );
}

export const handler: RouteHandlers = {
  GET: page("viewer", (p) => {
    const agent = p.url.searchParams.get("agent") ?? "";
    return <SchedulesPage p={p} form={{ values: emptyScheduleForm(agent), errors: {} }} />;
  }),
  POST: page("operator", async (p) => {
    const form = await p.c.req.parseBody();
    const values = scheduleValuesFrom((name) => form[name]);
    const render = (errors: ScheduleFormErrors, status: number) =>
      p.render(<SchedulesPage p={p} form={{ values, ...errors }} />, { status });
    const check = checkScheduleForm(values, { create: true });
    if (!check.ok) return render(check, 400);
    try {
      const created = p.kernel.schedules.create(check.body, { actor: actorOf(p.c) });
      return p.redirect(`/schedules/${encodeURIComponent(created.id)}?saved=1`);
    } catch (error) {
      if (!(error instanceof TalonError)) throw error;
      return render(scheduleRefusalErrors(error), statusOf(error.code));
    }
  }),
};
