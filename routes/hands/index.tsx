/**
 * `/hands`: the catalog of Hands as cards (icon, what each does, its
 * requirements met or missing with the fix), the instances with their
 * metrics, next run, last runs and cost, and their reports. POST is an
 * instance's lifecycle button without JavaScript (operator): `instance` and
 * `action` = run | pause | resume | deactivate, answered 303 back here with
 * what happened (or the refusal's error page).
 */
import type { JSX } from "preact";
import { EmptyState } from "../../components/EmptyState.tsx";
import { HandCard, InstancePanel } from "../../components/hands/HandParts.tsx";
import { Layout } from "../../components/Layout.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { actorOf, type RouteHandlers } from "../../http/define.ts";
import { page, type PageRequest } from "../../http/page.tsx";
import { TalonError } from "../../kernel/mod.ts";
import { roleAtLeast } from "../../kernel/types.ts";

const ACTIONS = ["run", "pause", "resume", "deactivate"] as const;
type Action = typeof ACTIONS[number];
const DONE: Record<Action, string> = {
  run: "started a run of",
  pause: "paused",
  resume: "resumed",
  deactivate: "deactivated",
};

const REPORTS_PER_INSTANCE = 5;

function Notice(props: { url: URL }): JSX.Element | null {
  const activated = props.url.searchParams.get("activated");
  const done = props.url.searchParams.get("done") as Action | null;
  const name = props.url.searchParams.get("instance");
  const text = activated
    ? `Activated ${activated}. It runs on its schedule; “Run now” starts a run at once.`
    : done && name && ACTIONS.includes(done)
    ? `${DONE[done][0]!.toUpperCase()}${DONE[done].slice(1)} ${name}.`
    : undefined;
  return text ? <p class="notice" role="status">{text}</p> : null;
}

function HandsPage(props: { p: PageRequest }): JSX.Element {
  const { p } = props;
  const operator = roleAtLeast(p.principal.role, "operator");
  const hands = p.kernel.hands.list();
  const instances = p.kernel.hands.instances({});
  const live = instances.filter((i) => i.state !== "deactivated");
  const past = instances.filter((i) => i.state === "deactivated");
  const reportsOf = (id: string) =>
    p.kernel.reports.list({ instance: id, limit: REPORTS_PER_INSTANCE });
  const firing = p.kernel.schedules.firing;
  return (
    <Layout page={p} title="Hands">
      <PageHeader
        title="Hands"
        description={firing
          ? "Packaged autonomous capabilities: activate one, and it works on its schedule with nobody prompting it."
          : "Packaged autonomous capabilities. Instances run only while talon serve runs."}
      />
      <Notice url={p.url} />
      <section aria-labelledby="instances-title" id="instances" class="stack">
        <h2 id="instances-title">Active instances</h2>
        {live.length === 0
          ? (
            <EmptyState
              title="No Hand is active"
              message={operator
                ? "Activate one from the catalog below."
                : "An operator can activate one."}
            />
          )
          : (
            <div class="hand-instances">
              {live.map((i) => (
                <InstancePanel
                  key={i.id}
                  instance={i}
                  reports={reportsOf(i.id)}
                  operator={operator}
                />
              ))}
            </div>
          )}
      </section>
      <section aria-labelledby="catalog-title" class="stack">
        <h2 id="catalog-title">Catalog</h2>
        <div class="hand-grid">
          {hands.map((h) => <HandCard key={h.manifest.id} hand={h} operator={operator} />)}
        </div>
      </section>
      {past.length > 0 && (
        <section aria-labelledby="past-title" class="stack">
          <h2 id="past-title">Deactivated</h2>
          <div class="hand-instances">
            {past.map((i) => (
              <InstancePanel key={i.id} instance={i} reports={reportsOf(i.id)} operator={false} />
            ))}
          </div>
        </section>
      )}
    </Layout>
  );
}

export const handler: RouteHandlers = {
  GET: page("viewer", (p) => <HandsPage p={p} />),
  POST: page("operator", async (p) => {
    const form = await p.c.req.parseBody();
    const ref = typeof form.instance === "string" ? form.instance : "";
    const action = form.action as Action;
    if (!ref || !ACTIONS.includes(action)) {
      throw new TalonError(
        "invalid_input",
        `send instance and action (one of ${ACTIONS.join(", ")})`,
        { fields: ref ? { action: "unknown action" } : { instance: "required" } },
      );
    }
    const hands = p.kernel.hands;
    const actor = { actor: actorOf(p.c) };
    const name = hands.instance(ref).name;
    if (action === "run") hands.run(ref, actor);
    else hands[action](ref, actor);
    const query = new URLSearchParams({ done: action, instance: name });
    return p.redirect(`/hands?${query}#instance-${encodeURIComponent(name)}`);
  }),
};
