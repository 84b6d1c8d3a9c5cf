/**
 * `/usage`: metered LLM usage by agent, model and day (server-rendered SVG
 * charts with tables) over a `since` range, and the global budget: spend
 * against the caps, and for admins the caps form (BudgetForm island). POST
 * is that form without JavaScript (admin): it validates with the API's
 * schema and re-renders with the errors and typed values (400), or saves
 * and re-renders saying so.
 */
import { Fragment, type JSX } from "preact";
import { Layout } from "../components/Layout.tsx";
import { GlobalSpend } from "../components/ops/SpendMeter.tsx";
import { UsageSection } from "../components/ops/UsageSection.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { actorOf, type RouteHandlers } from "../http/define.ts";
import { BudgetForm } from "../http/islands.gen.ts";
import { page, type PageRequest } from "../http/page.tsx";
import {
  BUDGET_FIELDS,
  type BudgetField,
  type BudgetValues,
  budgetValuesOf,
  readBudgetForm,
} from "../islands/lib/budget_form.ts";
import { formatUsd } from "../kernel/format.ts";
import { roleAtLeast } from "../kernel/types.ts";

/** The `since` choices: label and how far back. */
const RANGES = [
  { value: "1d", label: "Last 24 hours", days: 1 },
  { value: "7d", label: "Last 7 days", days: 7 },
  { value: "30d", label: "Last 30 days", days: 30 },
  { value: "90d", label: "Last 90 days", days: 90 },
] as const;
const DEFAULT_RANGE = RANGES[2];

interface BudgetState {
  values?: BudgetValues;
  errors?: Partial<Record<BudgetField | "form", string>>;
  saved?: boolean;
}

function RangeForm(props: { range: string }): JSX.Element {
  return (
    <form method="get" action="/usage" class="inline-form" aria-label="Usage range">
      <label for="since">Range</label>
      <select id="since" name="since">
        {RANGES.map((r) => (
          <option key={r.value} value={r.value} selected={r.value === props.range}>
            {r.label}
          </option>
        ))}
      </select>
      <button type="submit" class="btn btn-small">Show</button>
    </form>
  );
}

function BudgetPanel(props: { p: PageRequest; state: BudgetState }): JSX.Element {
  const { global } = props.p.kernel.budgetReport();
  const { caps } = global;
  const admin = roleAtLeast(props.p.principal.role, "admin");
  return (
    <section class="panel" aria-labelledby="budget-title">
      <h2 id="budget-title">Global budget</h2>
      <div class="budget-grid">
        <GlobalSpend id="b" global={global} order={["hour", "day", "month"]} />
        {admin
          ? (
            <BudgetForm
              values={props.state.values ?? budgetValuesOf(caps)}
              errors={props.state.errors}
              saved={props.state.saved}
            />
          )
          : (
            <div>
              <dl class="facts">
                {BUDGET_FIELDS.map(({ key, label }) => (
                  <Fragment key={key}>
                    <dt>{label.replace(" (USD)", "")}</dt>
                    <dd>{caps[key] === undefined ? "no cap" : formatUsd(caps[key])}</dd>
                  </Fragment>
                ))}
              </dl>
              <p class="muted small-print">Only an admin can change the caps.</p>
            </div>
          )}
      </div>
    </section>
  );
}

function UsagePage(props: { p: PageRequest; budget: BudgetState }): JSX.Element {
  const { p } = props;
  const range = RANGES.find((r) => r.value === p.url.searchParams.get("since")) ?? DEFAULT_RANGE;
  const now = new Date();
  const since = new Date(now.getTime() - range.days * 86_400_000).toISOString();
  return (
    <Layout page={p} title="Usage">
      <PageHeader
        title="Usage"
        description={`Metered LLM calls, ${range.label.toLowerCase()}`}
        actions={<RangeForm range={range.value} />}
      />
      <BudgetPanel p={p} state={props.budget} />
      <div class="usage-grid">
        {(["agent", "model"] as const).map((group) => (
          <UsageSection
            key={group}
            report={p.kernel.usage({ group, since, limit: 20 })}
            now={now}
          />
        ))}
      </div>
      <UsageSection report={p.kernel.usage({ group: "day", since, limit: 100 })} now={now} />
    </Layout>
  );
}

export const handler: RouteHandlers = {
  GET: page("viewer", (p) => <UsagePage p={p} budget={{}} />),
  POST: page("admin", async (p) => {
    const form = await p.c.req.parseBody();
    const values = Object.fromEntries(
      BUDGET_FIELDS.map(({ key }) => [key, typeof form[key] === "string" ? form[key] : ""]),
    ) as BudgetValues;
    const result = readBudgetForm(values);
    if (!result.ok) {
      return p.render(<UsagePage p={p} budget={{ values, errors: result.errors }} />, {
        status: 400,
      });
    }
    p.kernel.budget.setGlobalCaps(result.patch, { actor: actorOf(p.c) });
    return <UsagePage p={p} budget={{ saved: true }} />;
  }),
};
