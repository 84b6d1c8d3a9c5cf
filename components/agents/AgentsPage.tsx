/**
 * The `/agents` page: the filtered, paged table of agents (or the reason it
 * could not be read) and, for operators and admins, the spawn form and
 * "spawn from manifest".
 *
 * @module
 */
import type { JSX } from "preact";
import { AgentList, ManifestForm, SpawnAgentForm } from "../../http/islands.gen.ts";
import type { PageRequest } from "../../http/page.tsx";
import {
  AGENT_PAGE_SIZE,
  type AgentListFilter,
  type AgentRow,
  agentRowOf,
} from "../../islands/lib/agent_rows.ts";
import {
  emptySpawnForm,
  type FieldErrors,
  type SpawnFormValues,
} from "../../islands/lib/spawn_form.ts";
import type { Kernel } from "../../kernel/mod.ts";
import { AgentListQuery, AgentState, describeIssues, roleAtLeast } from "../../kernel/types.ts";
import { Button } from "../Button.tsx";
import { ErrorState } from "../ErrorState.tsx";
import { Layout } from "../Layout.tsx";
import { PageHeader } from "../PageHeader.tsx";
import { spawnCatalogOf } from "./spawn_catalog.ts";

/** One page of the table, or why the query could not be read. */
export type AgentPage =
  | { ok: true; rows: AgentRow[]; filter: AgentListFilter; next: string | null }
  | { ok: false; message: string };

/** Reads `q`, `state`, `limit` and `before` from `url` and lists that page with spend. */
export function agentPageOf(kernel: Kernel, url: URL): AgentPage {
  const picked: Record<string, string> = {};
  for (const key of ["q", "state", "limit", "before"]) {
    const value = url.searchParams.get(key)?.trim();
    if (value) picked[key] = value;
  }
  const parsed = AgentListQuery.safeParse({ limit: String(AGENT_PAGE_SIZE), ...picked });
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  const query = parsed.data;
  const agents = kernel.agents.list({ ...query, limit: Math.min(query.limit + 1, 500) });
  const more = agents.length > query.limit || agents.length === 500;
  const page = agents.slice(0, query.limit);
  return {
    ok: true,
    rows: page.map((a) =>
      agentRowOf(a, a.state === "killed" ? undefined : kernel.budget.agentBudget(a))
    ),
    filter: {
      q: query.q ?? "",
      state: query.state ?? "",
      limit: query.limit,
      before: query.before ?? "",
    },
    next: more && page.length > 0 ? page[page.length - 1]!.id : null,
  };
}

/** What the spawn forms show: typed values and errors after a failed POST. */
export interface SpawnState {
  values: SpawnFormValues;
  errors: FieldErrors;
  manifestText: string;
  manifestError?: string;
  /** The manifest refusal's messages by field path. */
  manifestFields?: Record<string, string>;
}

/** The forms as a GET shows them: empty. */
export function freshSpawnState(): SpawnState {
  return { values: emptySpawnForm(), errors: {}, manifestText: "" };
}

/** The whole page. */
export function AgentsPage(
  props: { page: PageRequest; list: AgentPage; spawn: SpawnState },
): JSX.Element {
  const p = props.page;
  const canSpawn = roleAtLeast(p.principal.role, "operator");
  const { list, spawn } = props;
  return (
    <Layout page={p} title="Agents">
      <PageHeader
        title="Agents"
        description="Every agent: its state, model, spend over the last 24 hours and last activity."
        actions={canSpawn && <Button href="#spawn" variant="primary">Spawn agent</Button>}
      />
      {list.ok
        ? (
          <AgentList
            rows={list.rows}
            filter={list.filter}
            next={list.next}
            states={[...AgentState.options]}
            canSpawn={canSpawn}
          />
        )
        : (
          <ErrorState
            title="Could not list agents"
            message={`The filter is not valid: ${list.message}`}
            action={<Button href="/agents">Show all agents</Button>}
          />
        )}
      {canSpawn && (
        <section id="spawn" class="panel spawn-panel" aria-labelledby="spawn-title">
          <h2 id="spawn-title">Spawn an agent</h2>
          <SpawnAgentForm
            catalog={spawnCatalogOf(p.kernel)}
            values={spawn.values}
            errors={spawn.errors}
          />
        </section>
      )}
      {canSpawn && (
        <section id="manifest" class="panel spawn-panel" aria-labelledby="manifest-title">
          <h2 id="manifest-title">Spawn from a manifest</h2>
          <ManifestForm
            text={spawn.manifestText}
            error={spawn.manifestError}
            fields={spawn.manifestFields}
          />
        </section>
      )}
    </Layout>
  );
}
