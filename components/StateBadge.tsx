/** An agent (or run) state as a small coloured badge with its name as text. */
import type { JSX } from "preact";
import { stateBadgeClass } from "../islands/lib/state_tone.ts";

/** The state's name in a badge; colour is never the only signal. */
export function StateBadge(props: { state: string }): JSX.Element {
  return <span class={stateBadgeClass(props.state)}>{props.state}</span>;
}
