/** The agent page's tabs: the overview and the Memory tab. */
import type { JSX } from "preact";

/** Links to an agent's tabs, marking the current one. */
export function AgentTabs(props: { agentId: string; current: "overview" | "memory" }): JSX.Element {
  const base = `/agents/${encodeURIComponent(props.agentId)}`;
  const tab = (href: string, label: string, on: boolean) => (
    <a href={href} class={on ? "tab tab-current" : "tab"} aria-current={on ? "page" : undefined}>
      {label}
    </a>
  );
  return (
    <nav class="tabs" aria-label="Agent sections">
      {tab(base, "Overview", props.current === "overview")}
      {tab(`${base}/memory`, "Memory", props.current === "memory")}
    </nav>
  );
}
