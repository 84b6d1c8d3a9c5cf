/** What an agent is: provider and model, capabilities, tools, budgets and dates. */
import type { JSX } from "preact";
import { formatTs } from "../../kernel/format.ts";
import type { AgentView } from "../../kernel/types.ts";

function when(iso: string | null): JSX.Element | string {
  return iso === null ? "never" : <time datetime={iso}>{formatTs(iso, { utc: true })}</time>;
}

function chips(items: readonly string[], none: string): JSX.Element {
  if (items.length === 0) return <span class="muted">{none}</span>;
  return (
    <ul class="chips">
      {items.map((item) => (
        <li key={item}>
          <code>{item}</code>
        </li>
      ))}
    </ul>
  );
}

/** The agent's facts as a definition list. */
export function AgentFacts(props: { agent: AgentView }): JSX.Element {
  const { agent } = props;
  const r = agent.manifest.resources;
  const limits = [
    r.max_tokens_per_hour !== undefined && `${r.max_tokens_per_hour} tokens/hour`,
    r.max_cost_usd_per_day !== undefined && `$${r.max_cost_usd_per_day}/day`,
    r.max_tool_calls_per_minute !== undefined && `${r.max_tool_calls_per_minute} tool calls/min`,
    r.max_iterations !== undefined && `${r.max_iterations} iterations/turn`,
  ].filter((x): x is string => typeof x === "string");
  return (
    <dl class="facts agent-facts">
      <dt>Model</dt>
      <dd>
        <code>{agent.provider}</code> / <code>{agent.model}</code>
      </dd>
      <dt>Capabilities</dt>
      <dd>{chips(agent.capabilities, "none")}</dd>
      <dt>Tools</dt>
      <dd>{chips(agent.manifest.tools ?? [], "default built-ins")}</dd>
      <dt>Budgets</dt>
      <dd>
        {limits.length ? limits.join(" · ") : <span class="muted">configured caps only</span>}
      </dd>
      <dt>Last active</dt>
      <dd>{when(agent.last_active_at)}</dd>
      <dt>Created</dt>
      <dd>{when(agent.created_at)}</dd>
      <dt>Id</dt>
      <dd>
        <code>{agent.id}</code>
      </dd>
    </dl>
  );
}
