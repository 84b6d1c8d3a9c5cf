/**
 * `/hands/{id}`: one Hand — what it does, its requirements (met, or missing
 * with the fix), its schedule and budget, the activation form generated from
 * its `[[settings]]` (operators, when the requirements are met) and its
 * operating procedure rendered as markdown. POST is that form without
 * JavaScript: checked with the same schemas as the API (islands/lib/hand_form.ts);
 * success is 303 to `/hands?activated=<name>`, a refusal re-renders the page
 * with each error on the field its `fields` name and everything typed kept.
 */
import type { JSX } from "preact";
import { Requirements } from "../../components/hands/HandParts.tsx";
import { Layout } from "../../components/Layout.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { actorOf, pathParam, type RouteHandlers } from "../../http/define.ts";
import { statusOf } from "../../http/errors.ts";
import { HandActivateForm } from "../../http/islands.gen.ts";
import { page, type PageRequest } from "../../http/page.tsx";
import {
  checkHandForm,
  emptyHandForm,
  type HandFormErrors,
  type HandFormValues,
  handRefusalErrors,
  handValuesFrom,
} from "../../islands/lib/hand_form.ts";
import { loadMarkdown } from "../../islands/lib/markdown_lazy.ts";
import { formatUsd } from "../../kernel/format.ts";
import { TalonError } from "../../kernel/mod.ts";
import { type HandDetail, roleAtLeast } from "../../kernel/types.ts";

type Form = { values: HandFormValues } & HandFormErrors;

function HandPage(
  props: { p: PageRequest; hand: HandDetail; form: Form; sop: string },
): JSX.Element {
  const { p, hand, form } = props;
  const m = hand.manifest;
  const operator = roleAtLeast(p.principal.role, "operator");
  const budget = [
    m.budget.usd_per_run === undefined ? "" : `${formatUsd(m.budget.usd_per_run)} per run`,
    m.budget.usd_per_day === undefined ? "" : `${formatUsd(m.budget.usd_per_day)} per day`,
  ].filter(Boolean).join(", ") || "the configured caps";
  return (
    <Layout page={p} title={`${m.name} Hand`}>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href="/hands">Hands</a> / <span aria-current="page">{m.name}</span>
      </nav>
      <PageHeader title={`${m.icon} ${m.name}`} description={m.description} />
      <div class="hand-detail">
        <section class="panel" aria-labelledby="about-title">
          <h2 id="about-title">How it works</h2>
          <dl class="facts">
            <div>
              <dt>Schedule</dt>
              <dd class="mono">{m.schedule.cron} ({m.schedule.tz})</dd>
            </div>
            <div>
              <dt>Budget</dt>
              <dd>{budget}</dd>
            </div>
            <div>
              <dt>Tools</dt>
              <dd class="mono">{m.tools.join(", ") || "—"}</dd>
            </div>
            <div>
              <dt>Needs approval</dt>
              <dd class="mono">{m.approval.tools.join(", ") || "—"}</dd>
            </div>
            <div>
              <dt>Active instances</dt>
              <dd>{hand.instances.join(", ") || "none"}</dd>
            </div>
          </dl>
          <h3>Requirements</h3>
          <Requirements requirements={hand.requirements} />
        </section>
        {operator && (
          <section id="activate" class="panel" aria-labelledby="activate-title">
            <h2 id="activate-title">Activate</h2>
            {hand.ready
              ? (
                <HandActivateForm
                  handId={m.id}
                  settings={m.settings}
                  defaultCron={m.schedule.cron}
                  values={form.values}
                  errors={form.errors}
                  formError={form.formError}
                />
              )
              : (
                <p class="form-error" role="alert">
                  This machine does not meet every requirement yet; apply the fixes listed above,
                  then reload.
                </p>
              )}
          </section>
        )}
      </div>
      <details class="panel hand-sop">
        <summary>Operating procedure</summary>
        <div class="md" dangerouslySetInnerHTML={{ __html: props.sop }} />
      </details>
    </Layout>
  );
}

async function render(
  p: PageRequest,
  form: (hand: HandDetail) => Form,
  status = 200,
): Promise<Response> {
  const hand = p.kernel.hands.get(pathParam(p.c, "id"));
  const sop = (await loadMarkdown())(hand.sop);
  return p.render(<HandPage p={p} hand={hand} form={form(hand)} sop={sop} />, { status });
}

export const handler: RouteHandlers = {
  GET: page(
    "viewer",
    (p) => render(p, (hand) => ({ values: emptyHandForm(hand.manifest.settings), errors: {} })),
  ),
  POST: page("operator", async (p) => {
    const id = pathParam(p.c, "id");
    const settings = p.kernel.hands.get(id).manifest.settings;
    const data = await p.c.req.parseBody();
    const values = handValuesFrom(settings, (name) => data[name]);
    const check = checkHandForm(settings, values);
    if (!check.ok) return render(p, () => ({ values, ...check }), 400);
    try {
      const instance = p.kernel.hands.activate(id, check.body, { actor: actorOf(p.c) });
      const name = encodeURIComponent(instance.name);
      return p.redirect(`/hands?activated=${name}#instance-${name}`);
    } catch (error) {
      if (!(error instanceof TalonError)) throw error;
      return render(p, () => ({ values, ...handRefusalErrors(error) }), statusOf(error.code));
    }
  }),
};
