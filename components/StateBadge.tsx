/** An agent (or run) state as a small coloured badge with its name as text. */
import type { JSX } from "preact";

const TONE: Record<string, string> = {
  running: "ok",
  created: "info",
  paused: "warn",
  suspended: "muted",
  killed: "bad",
};

/** The state's name in a badge; colour is never the only signal. */
export function StateBadge(props: { state: string }): JSX.Element {
  return <span class={`badge badge-${TONE[props.state] ?? "muted"}`}>{props.state}</span>;
}
