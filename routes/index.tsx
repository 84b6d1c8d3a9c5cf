/**
 * `/`: overview — agents by state (each linking to the filtered agent
 * list), spend against the global caps, the newest events (live once the
 * EventFeed island hydrates) and the kernel's health.
 */
import type { JSX } from "preact";
import { Layout } from "../components/Layout.tsx";
import { GlobalSpend } from "../components/ops/SpendMeter.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import type { RouteHandlers } from "../http/define.ts";
import { EventFeed } from "../http/islands.gen.ts";
import { page, type PageRequest } from "../http/page.tsx";
import { isTalonError } from "../kernel/mod.ts";
import { roleAtLeast } from "../kernel/types.ts";
import { FEED_LIMIT, FEED_TYPES } from "../islands/lib/ops_format.ts";
import { formatTs } from "../kernel/format.ts";

function AgentsPanel(props: { counts: Record<string, number> }): JSX.Element {
  const states = Object.entries(props.counts);
  const live = states.filter(([state]) => state !== "killed").reduce((sum, [, n]) => sum + n, 0);
  return (
    <section aria-labelledby="agents-title" class="panel">
      <div class="panel-head">
        <h2 id="agents-title">Agents</h2>
        <a href="/agents">All agents</a>
      </div>
      <ul class="stats state-counts">
        <li class="stat">
          <a href="/agents">
            <span class="stat-label">Live</span>
            <span class="stat-value">{live}</span>
          </a>
        </li>
        {states.map(([state, n]) => (
          <li class="stat" key={state}>
            <a href={`/agents?state=${state}`}>
              <span class="stat-label">
                <StateBadge state={state} />
              </span>
              <span class="stat-value">{n}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function SpendPanel(props: { p: PageRequest }): JSX.Element {
  const { global } = props.p.kernel.budgetReport();
  const { caps } = global;
  return (
    <section aria-labelledby="spend-title" class="panel">
      <div class="panel-head">
        <h2 id="spend-title">Spend</h2>
        <a href="/usage">Usage and budget</a>
      </div>
      <GlobalSpend id="spend" global={global} order={["day", "hour", "month"]} />
      {Object.keys(caps).length === 0 && (
        <p class="muted small-print spend-note">
          No global caps are set. {roleAtLeast(props.p.principal.role, "admin")
            ? <a href="/usage#budget-title">Set a budget</a>
            : "An admin can set them on the usage page."}
        </p>
      )}
    </section>
  );
}

function HealthPanel(props: { p: PageRequest }): JSX.Element {
  const status = props.p.kernel.status();
  const provider = props.p.kernel.providers.defaultProvider;
  return (
    <section aria-labelledby="kernel-title" class="panel">
      <h2 id="kernel-title">Kernel</h2>
      {provider.kind === "offline" && (
        <div class="notice" role="note">
          <p>
            <strong>Offline driver.</strong>{" "}
            No provider key is set, so agents answer with Talon's deterministic offline driver. Set
            {" "}
            <code>OPENAI_API_KEY</code> or <code>ANTHROPIC_API_KEY</code>{" "}
            and restart to use a real model (see the <a href="/settings">provider entries</a>).
          </p>
        </div>
      )}
      <dl class="facts">
        <dt>Version</dt>
        <dd>Talon {status.version}</dd>
        <dt>Started</dt>
        <dd>
          <time datetime={status.started_at}>{formatTs(status.started_at, { utc: true })}</time>
        </dd>
        <dt>Schema</dt>
        <dd>version {status.schema_version}</dd>
        <dt>Provider</dt>
        <dd>
          {status.default_provider} ({provider.kind}, default model{" "}
          <code>{provider.default_model}</code>)
        </dd>
        <dt>Data dir</dt>
        <dd>
          <code>{status.data_dir}</code>
        </dd>
      </dl>
    </section>
  );
}

export const handler: RouteHandlers = {
  GET: page("viewer", (p) => {
    const events = p.kernel.bus.recent({ limit: FEED_LIMIT, types: FEED_TYPES });
    const named: Record<string, string> = {};
    for (const id of new Set(events.map((e) => e.agent_id))) {
      if (id === null) continue;
      try {
        named[id] = p.kernel.agents.get(id).name;
      } catch (error) {
        // A purged agent: the feed shows its short id.
        if (!isTalonError(error, "not_found")) throw error;
      }
    }
    return (
      <Layout page={p} title="Overview">
        <PageHeader title="Overview" description="Agents, spend and recent activity" />
        <div class="overview-grid">
          <AgentsPanel counts={p.kernel.status().agents} />
          <SpendPanel p={p} />
          <section aria-labelledby="events-title" class="panel overview-events">
            <h2 id="events-title">Recent events</h2>
            <EventFeed events={events} agents={named} />
          </section>
          <HealthPanel p={p} />
        </div>
      </Layout>
    );
  }),
};
