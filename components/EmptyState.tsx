/** What a list shows when it has nothing yet, with an optional next step. */
import type { ComponentChildren, JSX } from "preact";

/** A quiet box: title, message, optional action. */
export function EmptyState(
  props: { title: string; message?: ComponentChildren; action?: ComponentChildren },
): JSX.Element {
  return (
    <div class="state state-empty">
      <p class="state-title">{props.title}</p>
      {props.message && <p class="muted">{props.message}</p>}
      {props.action && <div class="actions">{props.action}</div>}
    </div>
  );
}
