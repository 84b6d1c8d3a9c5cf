/**
 * The agent an `/agents/{id}/…` page is about, or its 404 page: shared by
 * the agent page and its tabs.
 */
import { Button } from "../components/Button.tsx";
import { ErrorState } from "../components/ErrorState.tsx";
import { Layout } from "../components/Layout.tsx";
import { pathParam } from "./define.ts";
import type { PageRequest } from "./page.tsx";
import { TalonError } from "../kernel/mod.ts";
import type { AgentView } from "../kernel/types.ts";

/** The agent the `{id}` path parameter names (id or name), or a 404 page saying so. */
export function findAgent(p: PageRequest): AgentView | Response {
  const ref = pathParam(p.c, "id");
  try {
    return p.kernel.agents.get(ref);
  } catch (error) {
    if (!(error instanceof TalonError) || error.code !== "not_found") throw error;
    return p.render(
      <Layout page={p} title="Agent not found">
        <ErrorState
          title="Agent not found"
          message={`No agent has the id or name "${ref}". It may have been purged.`}
          action={<Button href="/agents">All agents</Button>}
        />
      </Layout>,
      { status: 404 },
    );
  }
}
