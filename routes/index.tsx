/** `/`: overview — Talon's status and its agents by state. */
import { Layout } from "../components/Layout.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import type { RouteHandlers } from "../http/define.ts";
import { page } from "../http/page.tsx";

export const handler: RouteHandlers = {
  GET: page("viewer", (p) => {
    const status = p.kernel.status();
    const provider = p.kernel.providers.defaultProvider;
    const states = Object.entries(status.agents);
    const live = states.filter(([state]) => state !== "killed")
      .reduce((sum, [, n]) => sum + n, 0);
    return (
      <Layout page={p} title="Overview">
        <PageHeader title="Overview" description={`Talon ${status.version}`} />
        <section aria-labelledby="agents-title" class="panel">
          <h2 id="agents-title">Agents</h2>
          <dl class="stats">
            <div class="stat">
              <dt>Live</dt>
              <dd>{live}</dd>
            </div>
            {states.map(([state, n]) => (
              <div class="stat" key={state}>
                <dt>
                  <StateBadge state={state} />
                </dt>
                <dd>{n}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section aria-labelledby="kernel-title" class="panel">
          <h2 id="kernel-title">Kernel</h2>
          <dl class="facts">
            <dt>Started</dt>
            <dd>{status.started_at}</dd>
            <dt>Schema</dt>
            <dd>version {status.schema_version}</dd>
            <dt>Data dir</dt>
            <dd>
              <code>{status.data_dir}</code>
            </dd>
            <dt>LLM</dt>
            <dd>
              {provider.kind === "offline"
                ? "offline driver (no API key set): set OPENAI_API_KEY or ANTHROPIC_API_KEY and restart to use a real model"
                : `${provider.name} (${provider.default_model})`}
            </dd>
          </dl>
        </section>
      </Layout>
    );
  }),
};
